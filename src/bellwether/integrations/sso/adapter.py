"""django-allauth's socialaccount adapter for Bellwether: the apps (one per organisation
with an enabled identity provider) come from ``IdentityProvider`` rows, built per request
with the secret decrypted, so no plaintext secret is stored; nobody signs up through a
provider, and the sign-in itself is decided by ``services.sign_in``."""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialApp, SocialLogin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from bellwether.integrations.sso import secrets, selectors, services
from bellwether.integrations.sso.models import IdentityProvider

OIDC = "openid_connect"
SAML = "saml"
APP_KEY = "bellwether_provider"


def _app(provider: IdentityProvider) -> SocialApp:
    slug = provider.organisation.slug
    if provider.protocol == IdentityProvider.Protocol.OIDC:
        return SocialApp(
            provider=OIDC,
            provider_id=slug,
            name=provider.name,
            client_id=provider.client_id,
            secret=secrets.decrypt(provider.client_secret_encrypted),
            settings={APP_KEY: provider.pk, "server_url": provider.server_url},
        )
    return SocialApp(
        provider=SAML,
        provider_id=SAML,
        name=provider.name,
        client_id=slug,
        settings={
            APP_KEY: provider.pk,
            "idp": {
                "entity_id": provider.entity_id,
                "sso_url": provider.sso_url,
                "x509cert": provider.x509cert,
            },
            "attribute_mapping": {
                "uid": ["uid", "urn:oid:0.9.2342.19200300.100.1.1"],
                "email": [
                    "email",
                    "mail",
                    "urn:oid:0.9.2342.19200300.100.1.3",
                    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
                ],
                "email_verified": ["email_verified"],
                "first_name": ["givenName", "urn:oid:2.5.4.42"],
                "last_name": ["sn", "surname", "urn:oid:2.5.4.4"],
            },
            "use_nameid_for_email": False,
            "advanced": {
                "strict": True,
                # An unsigned assertion is refused, whatever the envelope says.
                "want_assertion_signed": True,
                "reject_idp_initiated_sso": True,
                "allow_single_label_domains": True,
            },
        },
    )


def provider_of(app: SocialApp) -> IdentityProvider | None:
    pk = (app.settings or {}).get(APP_KEY)
    if not isinstance(pk, int):
        return None
    return IdentityProvider.objects.select_related("organisation").filter(pk=pk).first()


def refusal_page(
    request: HttpRequest, provider: IdentityProvider | None, message: str, status: int
) -> HttpResponse:
    return render(
        request,
        "sso/refused.html",
        {"provider": provider, "message": message},
        status=status,
    )


class OrganisationSocialAccountAdapter(DefaultSocialAccountAdapter):
    def list_apps(
        self, request: HttpRequest, provider: Any = None, client_id: Any = None
    ) -> list[SocialApp]:
        rows = selectors.enabled_providers()
        if provider == SAML:
            rows = rows.filter(protocol=IdentityProvider.Protocol.SAML)
            if client_id:
                rows = rows.filter(organisation__slug=client_id)
        elif provider == OIDC:
            rows = rows.filter(protocol=IdentityProvider.Protocol.OIDC)
            if client_id:
                rows = rows.filter(client_id=client_id)
        elif provider:
            rows = rows.filter(protocol=IdentityProvider.Protocol.OIDC, organisation__slug=provider)
        return [_app(row) for row in rows]

    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        provider = provider_of(sociallogin.provider.app)
        if provider is None:
            raise ImmediateHttpResponse(
                refusal_page(request, None, "This sign-in is no longer set up.", 404)
            )
        email = getattr(sociallogin.user, "email", "") or ""
        if provider.protocol == IdentityProvider.Protocol.OIDC:
            verified = any(
                a.verified and a.email.lower() == email.lower() for a in sociallogin.email_addresses
            )
        else:
            # The organisation's own SAML provider vouches for its addresses, unless it
            # says otherwise in an email_verified attribute.
            raw = sociallogin.account.extra_data or {}
            flag = raw.get("email_verified") if isinstance(raw, dict) else None
            flag = flag[0] if isinstance(flag, list) and flag else flag
            verified = str(flag).strip().lower() not in {"false", "0", "no", "f", "n"}
        try:
            services.sign_in(
                request=request,
                provider=provider,
                subject=str(sociallogin.account.uid),
                email=email,
                email_verified=verified,
            )
        except services.SignInRefused as exc:
            raise ImmediateHttpResponse(refusal_page(request, provider, exc.message, 403)) from None
        target = sociallogin.state.get("next") or ""
        if not target or not url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            target = reverse("core:home")
        raise ImmediateHttpResponse(redirect(target))

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        row = provider_of(provider.app) if getattr(provider, "app", None) else None
        extra = extra_context or {}
        reason = str(extra.get("saml_last_error_reason") or exception or error or "unknown error")
        services.record_failure(request=request, provider=row, reason=reason)
        name = row.name if row else "your identity provider"
        message = (
            f"Signing in with {name} did not succeed: its answer could not be accepted "
            f"({reason[:200]}). Nothing was changed. Try again from the start; if it "
            "happens again, tell your administrator."
        )
        if str(error) == "cancelled":
            message = f"The sign-in with {name} was cancelled. Nothing was changed."
        raise ImmediateHttpResponse(refusal_page(request, row, message, 400))
