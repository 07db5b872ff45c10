"""Sign-in, account settings and member management pages. Thin: parse, call, render."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bellwether.accounts import (
    access,
    selectors,
    services,
    services_members,
    services_tokens,
)
from bellwether.accounts.access import MemberRequest, current_member, page
from bellwether.accounts.forms import (
    AddMemberForm,
    ApiTokenForm,
    ChangePasswordForm,
    MemberRolesForm,
    PasswordSignInForm,
    SignInCodeForm,
    SignInLinkRequestForm,
)
from bellwether.accounts.middleware import SESSION_ORGANISATION_KEY
from bellwether.accounts.models import Membership, User
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error, confirmation
from bellwether.core.pages import safe_next
from bellwether.people import selectors as people_selectors
from bellwether.people.models import Person

# Remembered between asking for a code and typing it, so it never sits in a URL.
SESSION_CODE_EMAIL = "bw_sign_in_email"


def _link_minutes() -> int:
    return int(settings.BELLWETHER_SIGN_IN_LINK_MINUTES)


def _safe_next(request: HttpRequest) -> str:
    target = safe_next(request)
    if target:
        return target
    user = request.user
    if isinstance(user, User) and selectors.pending_invitations_for(user).exists():
        # Someone invited them: show that first, it is what the email told them to do.
        return reverse("accounts:invitations")
    return reverse("core:home")


def _status_for(error: DomainError) -> int:
    return 429 if error.code == "throttled" else 400


# --- signing in and out ---------------------------------------------------------------


@sensitive_post_parameters("password")
@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    password_form = PasswordSignInForm(request.POST if request.method == "POST" else None)
    link_form = SignInLinkRequestForm()
    error = ""
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and password_form.is_valid():
        try:
            services.sign_in_with_password(
                request=request,
                email=password_form.cleaned_data["email"],
                password=password_form.cleaned_data["password"],
            )
        except DomainError as exc:
            if exc.code == "second_factor":
                # The message is the second factor's page; the "next" goes along.
                nxt = request.POST.get("next", "")
                query = "?" + urlencode({"next": nxt}) if nxt.startswith("/") else ""
                return redirect(exc.message + query)
            error = exc.message
            status = _status_for(exc)
        else:
            return redirect(_safe_next(request))
    return render(
        request,
        "accounts/sign_in.html",
        {
            "password_form": password_form,
            "link_form": link_form,
            "error": error,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "link_minutes": _link_minutes(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def request_link(request: HttpRequest) -> HttpResponse:
    if request.method == "GET":
        return redirect("accounts:sign_in")
    form = SignInLinkRequestForm(request.POST)
    status = 400
    if form.is_valid():
        email = form.cleaned_data["email"]
        try:
            services.request_sign_in_code(email=email, request=request)
        except DomainError as exc:
            form.add_error(None, exc.message)
            status = _status_for(exc)
    if form.errors:
        return render(
            request,
            "accounts/sign_in.html",
            {
                "password_form": PasswordSignInForm(),
                "link_form": form,
                "error": "",
                "link_minutes": _link_minutes(),
            },
            status=status,
        )
    request.session[SESSION_CODE_EMAIL] = email
    # The same answer for every address: nobody learns who has an account.
    return redirect(reverse("accounts:sign_in_code") + "?sent=1")


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_code(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = SignInCodeForm(request.POST)
        status = 400
        if form.is_valid():
            try:
                services.sign_in_with_code(
                    request=request,
                    email=form.cleaned_data["email"],
                    code=form.cleaned_data["code"],
                )
            except DomainError as exc:
                form.add_error("code", exc.message)
                status = _status_for(exc)
            else:
                return redirect(_safe_next(request))
        return render(
            request,
            "accounts/sign_in_code.html",
            {"form": form, "sent": False, "link_minutes": _link_minutes()},
            status=status,
        )
    email = request.session.get(SESSION_CODE_EMAIL, "")
    form = SignInCodeForm(initial={"email": email})
    return render(
        request,
        "accounts/sign_in_code.html",
        {
            "form": form,
            "sent": bool(email and request.GET.get("sent")),
            "email": email,
            "link_minutes": _link_minutes(),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def sign_in_link(request: HttpRequest, token: str) -> HttpResponse:
    # GET only shows a button: mail scanners that open links must not use them up.
    if request.method == "GET":
        usable = selectors.sign_in_link_is_usable(token)
        return render(
            request,
            "accounts/sign_in_link.html",
            {
                "usable": usable,
                "link_form": SignInLinkRequestForm(),
                "link_minutes": _link_minutes(),
            },
            status=200 if usable else 410,
        )
    try:
        services.sign_in_with_link(request=request, token=token)
    except DomainError as exc:
        throttled = exc.code == "throttled"
        return render(
            request,
            "accounts/sign_in_link.html",
            {
                "usable": False,
                "error": exc.message if throttled else "",
                "link_form": SignInLinkRequestForm(),
                "link_minutes": _link_minutes(),
            },
            status=429 if throttled else 410,
        )
    return redirect(_safe_next(request))


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    services.sign_out(request=request)
    messages.success(request, "You have signed out.")
    return redirect("accounts:sign_in")


# --- account settings --------------------------------------------------------------------


def _settings_context(request: HttpRequest, **extra: object) -> dict[str, object]:
    user = request.user
    assert isinstance(user, User)
    membership = current_member(request)
    context: dict[str, object] = {
        "password_form": ChangePasswordForm(has_password=user.has_usable_password()),
        "token_form": ApiTokenForm(),
        "tokens": list(selectors.tokens_of(membership)) if membership else [],
        "invitations": list(selectors.pending_invitations_for(user)),
        "has_password": user.has_usable_password(),
        "can_use_api": access.USE_API.allows(membership),
        "can_manage_members": access.MANAGE_MEMBERS.allows(membership),
        "new_secret": "",
    }
    context.update(extra)
    return context


@sensitive_post_parameters("old_password", "new_password1", "new_password2")
@login_required
@require_http_methods(["GET", "POST"])
def account_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "GET":
        return render(request, "accounts/settings.html", _settings_context(request))
    form = ChangePasswordForm(request.POST, has_password=user.has_usable_password())
    if form.is_valid():
        try:
            services.change_password(
                user=user,
                old_password=form.cleaned_data.get("old_password", ""),
                new_password=form.cleaned_data["new_password1"],
                request=request,
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            # Keeps this session; every other session of the user ends.
            update_session_auth_hash(request, user)
            messages.success(request, "Your password has been changed.")
            return redirect("accounts:settings")
    return render(
        request,
        "accounts/settings.html",
        _settings_context(request, password_form=form),
        status=400,
    )


@page(access.USE_API, methods=["POST"])
def create_token(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, secret = services_tokens.create_api_token(
                membership=membership,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["expires_in_days"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, fallback="name")
        else:
            # Rendered, not redirected: the secret is shown on this one response only.
            return render(
                request,
                "accounts/settings.html",
                _settings_context(request, new_secret=secret, new_token=token),
            )
    return render(
        request, "accounts/settings.html", _settings_context(request, token_form=form), status=400
    )


@page(access.USE_API, methods=["POST"])
def revoke_token(request: MemberRequest, token_id: int) -> HttpResponse:
    membership = request.membership
    found = access.get_api_token_for(request, membership, token_id)
    asked = confirmation(
        request,
        question=f"Revoke the token “{found.name}”?",
        consequence="Anything using it is refused from now on. A revoked token cannot be "
        "restored; you can create a new one.",
        back=reverse("accounts:settings"),
        confirm_label="Revoke the token",
    )
    if asked is not None:
        return asked
    token = services_tokens.revoke_api_token(membership=membership, token_id=token_id)
    messages.success(
        request, f"The token “{token.name}” has been revoked. Anything using it is now refused."
    )
    return redirect("accounts:settings")


# --- members ----------------------------------------------------------------------------------


def _find_person(membership: Membership, employee_id: str, form: AddMemberForm) -> Person | None:
    if not employee_id:
        return None
    person = people_selectors.person_by_employee_id(membership.organisation, employee_id)
    if person is None:
        form.add_error("employee_id", f"Nobody in People has employee id “{employee_id}”.")
    return person


@page(access.MANAGE_MEMBERS, methods=["GET", "POST"])
def members(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = AddMemberForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        employee_id = form.cleaned_data["employee_id"].strip()
        person = _find_person(membership, employee_id, form)
        if not form.errors:
            try:
                invitation = services_members.invite_member(
                    organisation=membership.organisation,
                    actor=membership,
                    email=form.cleaned_data["email"],
                    roles=form.cleaned_data["roles"],
                    person=person,
                )
            except DomainError as exc:
                add_domain_error(form, exc, fallback="email")
            else:
                messages.success(
                    request,
                    f"We have emailed an invitation to {invitation.user.email}. They become "
                    "a member once they sign in and accept it.",
                )
                return redirect("accounts:members")
    return render(
        request,
        "accounts/members.html",
        {
            "members": list(selectors.members_of(membership.organisation)),
            "invitations": list(selectors.pending_invitations_of(membership.organisation)),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@page(access.MANAGE_MEMBERS, methods=["POST"])
def withdraw_invitation(request: MemberRequest, invitation_id: int) -> HttpResponse:
    membership = request.membership
    found = access.get_invitation_for(request, membership, invitation_id)
    asked = confirmation(
        request,
        question=f"Withdraw the invitation to {found.user.email}?",
        consequence="Their link stops working. You can invite them again afterwards.",
        back=reverse("accounts:members"),
        confirm_label="Withdraw the invitation",
    )
    if asked is not None:
        return asked
    invitation = services_members.withdraw_invitation(
        organisation=membership.organisation, actor=membership, invitation_id=invitation_id
    )
    messages.success(request, f"The invitation to {invitation.user.email} has been withdrawn.")
    return redirect("accounts:members")


# --- invitations to join an organisation (the invited person's side) ----------------------


@login_required
@require_GET
def invitations(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    return render(
        request,
        "accounts/invitations.html",
        {"invitations": list(selectors.pending_invitations_for(user))},
    )


def _respond_to_invitation(
    request: HttpRequest, invitation_id: int, *, accept: bool
) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    # Someone else's invitation, or one no longer open: as if it did not exist.
    access.require_own_invitation(request, user, invitation_id)
    try:
        if accept:
            joined = services_members.accept_invitation(
                user=user, invitation_id=invitation_id, request=request
            )
        else:
            declined = services_members.decline_invitation(
                user=user, invitation_id=invitation_id, request=request
            )
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:invitations")
    if accept:
        # Straight into the organisation they just joined, for this session only: their
        # default organisation does not change.
        request.session[SESSION_ORGANISATION_KEY] = joined.organisation_id
        messages.success(request, f"You are now a member of {joined.organisation.name}.")
        return redirect("core:home")
    messages.success(request, f"You declined the invitation from {declined.organisation.name}.")
    return redirect("accounts:invitations")


@login_required
@require_POST
def accept_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    return _respond_to_invitation(request, invitation_id, accept=True)


@login_required
@require_POST
def decline_invitation(request: HttpRequest, invitation_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    access.require_own_invitation(request, user, invitation_id)  # refused before asked
    asked = confirmation(
        request,
        question="Decline this invitation?",
        consequence="It cannot be accepted afterwards: to join later, ask the organisation's "
        "administrator for a new invitation.",
        back=reverse("accounts:invitations"),
        confirm_label="Decline the invitation",
    )
    if asked is not None:
        return asked
    return _respond_to_invitation(request, invitation_id, accept=False)


@page(access.MANAGE_MEMBERS, methods=["GET", "POST"])
def member_detail(request: MemberRequest, member_id: int) -> HttpResponse:
    membership = request.membership
    member = access.get_member_for(request, membership, member_id)
    initial = {"roles": sorted(role.value for role in member.roles)}
    form = MemberRolesForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services_members.set_member_roles(
                organisation=membership.organisation,
                actor=membership,
                membership_id=member.pk,
                roles=form.cleaned_data["roles"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, fallback="roles")
        else:
            messages.success(request, f"Roles for {member.user.email} have been saved.")
            return redirect("accounts:members")
    return render(
        request,
        "accounts/member_detail.html",
        {"member": member, "form": form, "deactivate_error": ""},
        status=400 if form.errors else 200,
    )


@page(access.MANAGE_MEMBERS, methods=["POST"])
def deactivate(request: MemberRequest, member_id: int) -> HttpResponse:
    membership = request.membership
    member = access.get_member_for(request, membership, member_id)
    asked = confirmation(
        request,
        question=f"Remove {member.user.email}'s access to {membership.organisation.name}?",
        consequence="They can no longer sign in to this organisation and lose their roles. "
        "To undo, invite them again.",
        back=reverse("accounts:member_detail", args=[member.pk]),
        confirm_label="Remove access",
    )
    if asked is not None:
        return asked
    try:
        services_members.deactivate_member(
            organisation=membership.organisation, actor=membership, membership_id=member.pk
        )
    except DomainError as exc:
        initial = {"roles": sorted(role.value for role in member.roles)}
        return render(
            request,
            "accounts/member_detail.html",
            {
                "member": member,
                "form": MemberRolesForm(initial=initial),
                "deactivate_error": exc.message,
            },
            status=400,
        )
    messages.success(
        request, f"{member.user.email} no longer has access to {membership.organisation.name}."
    )
    return redirect("accounts:members")
