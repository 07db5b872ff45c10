"""Two-factor sign-in pages: a member sets up an authenticator app or adds and removes
security keys for themselves (self-service), and the password sign-in's second step
asks for a key or a code. Thin: parse, call, render."""

from __future__ import annotations

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from bellwether.accounts.models import User
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error, confirmation
from bellwether.core.pages import safe_next
from bellwether.integrations.sso import selectors, services_mfa, services_webauthn


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=64,
        label="Code",
        help_text="The 6-digit code your authenticator app shows, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


class KeyForm(forms.Form):
    name = forms.CharField(
        max_length=services_webauthn.NAME_MAX,
        required=False,
        label="Name of the key",
        help_text="So you can tell your keys apart, e.g. “YubiKey on my keyring” or “This laptop”.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Filled by static/sso/webauthn.js with the key's answer.
    credential = forms.CharField(required=False, widget=forms.HiddenInput)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _security(
    request: HttpRequest,
    *,
    form: CodeForm | None = None,
    key_form: KeyForm | None = None,
    status: int = 200,
    codes: list[str] | None = None,
) -> HttpResponse:
    user = _user(request)
    totp_on = services_mfa.totp_of(user) is not None
    context: dict[str, object] = {
        "enabled": services_mfa.has_mfa(user),
        "totp_on": totp_on,
        "form": form or CodeForm(),
        "key_form": key_form or KeyForm(),
        "keys": list(selectors.security_keys_of(user)),
        "creation_options": services_webauthn.registration_options(request=request, user=user),
        "recovery_codes": codes or [],
    }
    if not totp_on:
        adapter = get_mfa_adapter()
        secret = services_mfa.enrolment_secret(request)
        url = adapter.build_totp_url(user, secret)
        context |= {"secret": secret, "totp_url": url, "qr_svg": adapter.build_totp_svg(url)}
    return render(request, "sso/mfa.html", context, status=status)


@never_cache
@login_required
def security(request: HttpRequest) -> HttpResponse:
    return _security(request)


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_POST
def enable(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            codes = services_mfa.enrol_totp(
                request=request, user=_user(request), code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            add_domain_error(form, exc, fallback="code")
        else:
            return _security(request, codes=codes)
    return _security(request, form=form, status=400)


@sensitive_post_parameters("code")
@never_cache
@login_required
@require_POST
def disable(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST)
    if form.is_valid():
        try:
            services_mfa.disable_mfa(
                request=request, user=_user(request), code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            add_domain_error(form, exc, fallback="code")
        else:
            on = services_mfa.has_mfa(_user(request))
            messages.success(
                request,
                "The authenticator app is removed; your security keys still sign you in."
                if on
                else "Two-factor sign-in is off.",
            )
            return redirect("mfa:security")
    return _security(request, form=form, status=400)


@never_cache
@login_required
@require_POST
def add_key(request: HttpRequest) -> HttpResponse:
    """Keep the security key the browser just registered (static/sso/webauthn.js)."""
    form = KeyForm(request.POST)
    if form.is_valid():
        try:
            key, codes = services_webauthn.add_security_key(
                request=request,
                user=_user(request),
                name=form.cleaned_data["name"],
                credential=form.cleaned_data["credential"],
            )
        except DomainError as exc:
            add_domain_error(form, exc, field_map={"credential": None})
        else:
            messages.success(request, f"Security key “{key.data['name']}” added.")
            if codes:
                return _security(request, codes=codes)  # shown once, so not redirected
            return redirect("mfa:security")
    return _security(request, key_form=form, status=400)


@never_cache
@login_required
@require_POST
def remove_key(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    key = selectors.security_key_of(user, pk)
    if key is None:
        raise Http404("No such security key.")
    name = key.data.get("name", "")
    last = services_mfa.totp_of(user) is None and selectors.security_keys_of(user).count() == 1
    asked = confirmation(
        request,
        question=f"Remove the security key “{name}”?",
        consequence="It no longer signs you in; to use it again, add it again."
        + (" It is your last second factor: two-factor sign-in turns off." if last else ""),
        back=reverse("mfa:security"),
        confirm_label="Remove the key",
    )
    if asked is not None:
        return asked
    services_webauthn.remove_security_key(request=request, user=user, key=key)
    messages.success(
        request,
        f"Security key “{name}” removed." + (" Two-factor sign-in is off." if last else ""),
    )
    return redirect("mfa:security")


def _verify_page(
    request: HttpRequest, user: User, form: CodeForm, *, status: int = 200, key_error: str = ""
) -> HttpResponse:
    nxt = request.POST.get("next") or request.GET.get("next", "")
    totp_on = services_mfa.totp_of(user) is not None
    if not totp_on:
        form.fields["code"].help_text = "One of your recovery codes."
    context = {
        "form": form,
        "next": nxt,
        "totp_on": totp_on,
        "request_options": services_webauthn.sign_in_options(request=request, user=user),
        "key_error": key_error,
    }
    return render(request, "sso/mfa_verify.html", context, status=status)


def _expired(request: HttpRequest, exc: DomainError) -> HttpResponse:
    messages.error(request, exc.message)
    return redirect("accounts:sign_in")


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a password sign-in."""
    user = services_mfa.pending_user(request)
    if user is None:
        messages.error(request, "Sign in with your email and password first.")
        return redirect("accounts:sign_in")
    form = CodeForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services_mfa.complete_sign_in(request=request, code=form.cleaned_data["code"])
            except DomainError as exc:
                if exc.code == "mfa_expired":
                    return _expired(request, exc)
                add_domain_error(form, exc, fallback="code")
            else:
                return redirect(safe_next(request) or reverse("core:home"))
    return _verify_page(request, user, form, status=status)


@never_cache
@require_POST
def verify_key(request: HttpRequest) -> HttpResponse:
    """The second step of a password sign-in, answered by a security key."""
    try:
        services_webauthn.complete_sign_in(
            request=request, credential=request.POST.get("credential", "")
        )
    except DomainError as exc:
        user = services_mfa.pending_user(request)
        if exc.code == "mfa_expired" or user is None:
            return _expired(request, exc)
        return _verify_page(request, user, CodeForm(), status=400, key_error=exc.message)
    return redirect(safe_next(request) or reverse("core:home"))
