"""Reads for single sign-on: the organisation's provider, the provider for an email
address or an organisation slug, whether a user must sign in through SSO, and a user's
own security keys (two-factor sign-in)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.db.models import QuerySet

from bellwether.core.models import Organisation
from bellwether.integrations.sso.models import IdentityProvider


def provider_of(organisation: Organisation) -> IdentityProvider | None:
    return IdentityProvider.objects.filter(organisation=organisation).first()


def enabled_providers() -> QuerySet[IdentityProvider]:
    return IdentityProvider.objects.filter(is_enabled=True).select_related("organisation")


def provider_for_slug(slug: str) -> IdentityProvider | None:
    return enabled_providers().filter(organisation__slug=slug).first()


def provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider whose organisation lists the address's domain."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    for provider in enabled_providers().filter(email_domains__icontains=domain):
        if domain in provider.domains:
            return provider
    return None


def providers_requiring_sso_for(user_id: int) -> list[IdentityProvider]:
    """The enabled providers with "SSO required" of organisations the user is an active
    member of."""
    return list(
        enabled_providers().filter(
            sso_required=True,
            organisation__memberships__user_id=user_id,
            organisation__memberships__is_active=True,
        )
    )


def security_keys_of(user: Any) -> QuerySet[Authenticator]:
    """The user's own security keys (WebAuthn), oldest first."""
    return Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.WEBAUTHN).order_by(
        "created_at", "pk"
    )


def security_key_of(user: Any, pk: int) -> Authenticator | None:
    """One of the user's own keys; None for anyone else's (the page answers 404)."""
    return security_keys_of(user).filter(pk=pk).first()
