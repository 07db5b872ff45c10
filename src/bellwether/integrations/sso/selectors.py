"""Reads for single sign-on: the organisation's provider, the provider for an email
address or an organisation slug, and whether a user must sign in through SSO."""

from __future__ import annotations

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
