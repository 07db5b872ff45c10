"""Two-factor sign-in pages: a member turns it on or off for themselves (self-service),
and the password sign-in's second step asks for the code. Thin: parse, call, render."""

from __future__ import annotations

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from bellwether.accounts.models import User
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error
from bellwether.integrations.sso import services_mfa


class CodeForm(forms.Form):
    code = forms.CharField(
        max_length=64,
        label="Code",
        help_text="The 6-digit code your authenticator app shows, or a recovery code.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text"}),
    )


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _security(
    request: HttpRequest,
    *,
    form: CodeForm | None = None,
    status: int = 200,
    codes: list[str] | None = None,
) -> HttpResponse:
    user = _user(request)
    context: dict[str, object] = {
        "enabled": services_mfa.has_mfa(user),
        "form": form or CodeForm(),
        "recovery_codes": codes or [],
    }
    if not context["enabled"]:
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
            messages.success(request, "Two-factor sign-in is off.")
            return redirect("mfa:security")
    return _security(request, form=form, status=400)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    """The second step of a password sign-in."""
    if services_mfa.pending_user(request) is None:
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
                    messages.error(request, exc.message)
                    return redirect("accounts:sign_in")
                add_domain_error(form, exc, fallback="code")
            else:
                return redirect(_safe_next(request))
    nxt = request.POST.get("next") or request.GET.get("next", "")
    return render(request, "sso/mfa_verify.html", {"form": form, "next": nxt}, status=status)
