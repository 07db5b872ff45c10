"""The invitation email's link (set a password and join) and the admin's resend."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from bellwether.accounts import access, services_invitations
from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.forms import ChangePasswordForm
from bellwether.accounts.middleware import SESSION_ORGANISATION_KEY
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error, announce


def _password_form(data: object = None) -> forms.Form:
    return ChangePasswordForm(data, has_password=False)


@never_cache
@sensitive_post_parameters("new_password1", "new_password2")
@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows the invitation and the set-password form (mail scanners that open the
    link use nothing up); POST sets the password, joins and signs in."""
    state = services_invitations.read_link(token)
    if state.invitation is None:
        return render(
            request, "accounts/join.html", {"problem": state.problem}, status=state.status
        )
    invitation = state.invitation
    has_password = invitation.user.has_usable_password()
    form = _password_form(request.POST if request.method == "POST" and not has_password else None)
    if request.method == "POST" and form.is_valid():
        try:
            joined = services_invitations.join_with_link(
                token=token, password=form.cleaned_data["new_password1"], request=request
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            request.session[SESSION_ORGANISATION_KEY] = joined.organisation_id
            messages.success(request, f"Welcome to {joined.organisation.name} on Bellwether.")
            return redirect("core:home")
    return render(
        request,
        "accounts/join.html",
        {
            "invitation": invitation,
            "form": form,
            "has_password": has_password,
            "sso_url": services_invitations.sso_sign_in_url(invitation),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@page(access.MANAGE_MEMBERS, methods=["POST"])
def resend(request: MemberRequest, invitation_id: int) -> HttpResponse:
    membership = request.membership
    access.get_invitation_for(request, membership, invitation_id)
    announce(
        request,
        lambda: services_invitations.resend_invitation(
            organisation=membership.organisation, actor=membership, invitation_id=invitation_id
        ),
        lambda invitation: (
            f"The invitation to {invitation.user.email} is sent again; it is "
            f"open until {invitation.expires_at:%d %B %Y}."
        ),
    )
    return redirect("accounts:members")
