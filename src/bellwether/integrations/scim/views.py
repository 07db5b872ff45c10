"""The admin's page for SCIM provisioning: the endpoint's address, the organisation's
SCIM tokens (created here, the secret shown once, revoked here)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error
from bellwether.integrations.scim import selectors, services
from bellwether.integrations.scim.access import MANAGE_SCIM
from bellwether.integrations.scim.models import ScimToken


class ScimTokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        help_text="Which identity provider uses it, e.g. “Entra ID production”.",
    )


def _context(
    request: MemberRequest,
    *,
    form: ScimTokenForm | None = None,
    secret: str = "",
    new_token: ScimToken | None = None,
) -> dict[str, object]:
    return {
        "tokens": selectors.tokens_for(request.membership.organisation),
        "form": form or ScimTokenForm(),
        "secret": secret,
        "new_token": new_token,
        "base_url": request.build_absolute_uri("/scim/v2/"),
    }


@page(MANAGE_SCIM)
def tokens(request: MemberRequest) -> HttpResponse:
    return render(request, "scim/tokens.html", _context(request))


@page(MANAGE_SCIM, methods=["POST"])
def create_token(request: MemberRequest) -> HttpResponse:
    form = ScimTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services.create_scim_token(
                membership=request.membership, name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            add_domain_error(form, exc, fallback="name")
        else:
            # Rendered, not redirected: the secret is shown on this response only.
            return render(
                request, "scim/tokens.html", _context(request, secret=secret, new_token=token)
            )
    return render(request, "scim/tokens.html", _context(request, form=form), status=400)


@page(MANAGE_SCIM, methods=["POST"])
def revoke_token(request: MemberRequest, token_id: int) -> HttpResponse:
    try:
        token = services.revoke_scim_token(membership=request.membership, token_id=token_id)
    except DomainError:
        raise Http404("There is no such SCIM token.") from None
    messages.success(
        request,
        f"The SCIM token “{token.name}” has been revoked. Requests with it are now refused.",
    )
    return redirect("scim_admin:tokens")
