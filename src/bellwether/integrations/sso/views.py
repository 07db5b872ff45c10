"""Single sign-on pages: the admin's configuration page, and the public sign-in steps
(work email → the organisation's page → its identity provider). Thin: parse, call, render."""

from __future__ import annotations

import binascii
import functools
import logging
from collections.abc import Callable
from typing import Any

from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.providers.base import AuthProcess
from django import forms
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from lxml import etree
from onelogin.saml2.errors import OneLogin_Saml2_Error, OneLogin_Saml2_ValidationError

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error
from bellwether.core.pages import safe_next
from bellwether.integrations.sso import adapter, selectors, services
from bellwether.integrations.sso.access import MANAGE_SSO
from bellwether.integrations.sso.models import IdentityProvider

logger = logging.getLogger(__name__)


class ProviderForm(forms.Form):
    protocol = forms.ChoiceField(
        choices=IdentityProvider.Protocol.choices, widget=forms.RadioSelect, label="Protocol"
    )
    name = forms.CharField(
        max_length=100,
        label="Name on the sign-in button",
        help_text="The button reads “Sign in with” and this name, e.g. “Acme (Okta)”.",
    )
    email_domains = forms.CharField(
        max_length=500,
        required=False,
        label="Work email domains",
        help_text="Separated by spaces, e.g. “acme.com acme.co.uk”: people who type such an address are sent to this provider.",
    )
    is_enabled = forms.BooleanField(required=False, initial=True, label="Enabled")
    sso_required = forms.BooleanField(
        required=False,
        label="Require single sign-on",
        help_text="Turns off password sign-in for the organisation's members.",
    )
    server_url = forms.CharField(
        max_length=500,
        required=False,
        label="Issuer (server) URL",
        help_text="OpenID Connect: e.g. https://acme.okta.com or https://login.microsoftonline.com/TENANT-ID/v2.0.",
    )
    client_id = forms.CharField(max_length=255, required=False, label="Client id")
    client_secret = forms.CharField(
        max_length=1000,
        required=False,
        label="Client secret",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="Stored encrypted. Leave blank to keep the one already saved.",
    )
    metadata_url = forms.CharField(
        max_length=500,
        required=False,
        label="Metadata URL",
        help_text="SAML 2.0: the identity provider's metadata address; or paste the XML below.",
    )
    metadata_xml = forms.CharField(
        required=False, label="Metadata XML", widget=forms.Textarea(attrs={"rows": 4})
    )
    entity_id = forms.CharField(
        max_length=500,
        required=False,
        label="Identity provider entity id",
        help_text="SAML 2.0: needed only when the metadata describes more than one provider.",
    )


def _initial(provider: IdentityProvider | None) -> dict[str, object]:
    if provider is None:
        return {"protocol": IdentityProvider.Protocol.OIDC, "is_enabled": True}
    return {
        "protocol": provider.protocol,
        "name": provider.name,
        "email_domains": provider.email_domains,
        "is_enabled": provider.is_enabled,
        "sso_required": provider.sso_required,
        "server_url": provider.server_url,
        "client_id": provider.client_id,
        "metadata_url": provider.metadata_url,
        "metadata_xml": provider.metadata_xml,
        "entity_id": provider.entity_id,
    }


def _render(
    request: MemberRequest, form: ProviderForm, provider: IdentityProvider | None, status: int
) -> HttpResponse:
    slug = request.membership.organisation.slug
    return render(
        request,
        "sso/settings.html",
        {
            "form": form,
            "provider": provider,
            "oidc_callback": request.build_absolute_uri(
                reverse("openid_connect_callback", kwargs={"provider_id": slug})
            ),
            "saml_acs": request.build_absolute_uri(reverse("saml_acs", args=[slug])),
            "saml_metadata": request.build_absolute_uri(reverse("saml_metadata", args=[slug])),
            "sign_in_page": request.build_absolute_uri(reverse("sso:organisation", args=[slug])),
        },
        status=status,
    )


@page(MANAGE_SSO, methods=["GET", "POST"])
def provider_settings(request: MemberRequest) -> HttpResponse:
    provider = selectors.provider_of(request.membership.organisation)
    if request.method == "GET":
        return _render(request, ProviderForm(initial=_initial(provider)), provider, 200)
    form = ProviderForm(request.POST)
    if form.is_valid():
        data = services.ProviderInput(**form.cleaned_data)
        try:
            services.configure_provider(membership=request.membership, data=data)
        except DomainError as exc:
            add_domain_error(form, exc, fallback=None)
        else:
            messages.success(request, "Single sign-on is saved.")
            return redirect("sso_admin:settings")
    return _render(request, form, provider, 400)


@page(MANAGE_SSO, methods=["POST"])
def remove_provider(request: MemberRequest) -> HttpResponse:
    try:
        services.remove_provider(membership=request.membership)
    except DomainError:
        raise Http404("There is no identity provider.") from None
    messages.success(request, "Single sign-on is removed. Members sign in with links or passwords.")
    return redirect("sso_admin:settings")


# --- signing in (public) -----------------------------------------------------------------


@never_cache
@require_POST
def start(request: HttpRequest) -> HttpResponse:
    """ "Sign in with your company": the work email's domain picks the provider."""
    email = (request.POST.get("email") or "").strip()
    provider = selectors.provider_for_email(email) if "@" in email else None
    if provider is None:
        messages.error(
            request,
            "No single sign-on is set up for that email address. Sign in with a link or "
            "a password, or ask your administrator for your organisation's sign-in page.",
        )
        return redirect("accounts:sign_in")
    target = reverse("sso:organisation", args=[provider.organisation.slug])
    nxt = request.POST.get("next", "")
    return redirect(f"{target}?{urlencode({'next': nxt})}" if nxt.startswith("/") else target)


@never_cache
@require_GET
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    provider = selectors.provider_for_slug(slug)
    if provider is None:
        raise Http404("This organisation has no single sign-on.")
    return render(
        request,
        "sso/organisation.html",
        {"provider": provider, "next": safe_next(request)},
    )


@never_cache
@require_GET
def go(request: HttpRequest, slug: str) -> HttpResponse:
    """Off to the organisation's identity provider (a link, so no form is redirected)."""
    provider = selectors.provider_for_slug(slug)
    if provider is None:
        raise Http404("This organisation has no single sign-on.")
    request.META.setdefault("HTTP_HOST", request.get_host())
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        social = get_adapter().get_provider(request, slug)
    else:
        social = get_adapter().get_provider(request, adapter.SAML, client_id=slug)
    try:
        return social.redirect(request, AuthProcess.LOGIN, next_url=safe_next(request) or None)
    except Exception as exc:  # the provider is unreachable or misconfigured
        logger.exception("could not start the sign-in with %s", provider)
        services.record_failure(request=request, provider=provider, reason=repr(exc))
        return adapter.refusal_page(
            request,
            provider,
            f"Bellwether could not reach {provider.name} to start the sign-in. Try again "
            "later; if it keeps happening, tell your administrator.",
            502,
        )


_BAD_ANSWERS = (
    PermissionDenied,
    SuspiciousOperation,
    etree.XMLSyntaxError,
    binascii.Error,
    ValueError,
    KeyError,
    OneLogin_Saml2_Error,
    OneLogin_Saml2_ValidationError,
)


def guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """An allauth protocol view whose refusals of a bad answer (malformed XML, a state
    already used, …) become the clear sign-in refusal page, audited, instead of an error."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        # python3-saml reads the Host header itself; HTTP/1.0 clients may not send one.
        request.META.setdefault("HTTP_HOST", request.get_host())
        try:
            return view(request, *args, **kwargs)
        except ObjectDoesNotExist:
            raise Http404("This organisation has no such single sign-on.") from None
        except _BAD_ANSWERS as exc:
            slug = kwargs.get("organization_slug") or kwargs.get("provider_id") or ""
            provider = selectors.provider_for_slug(slug)
            reason = f"{type(exc).__name__}: {exc}"[:300]
            services.record_failure(request=request, provider=provider, reason=reason)
            name = provider.name if provider else "your identity provider"
            return adapter.refusal_page(
                request,
                provider,
                f"Signing in with {name} did not succeed: its answer could not be accepted "
                "(it was malformed, or already used). Nothing was changed. Start again "
                "from your organisation's sign-in page.",
                400,
            )

    return wrapper
