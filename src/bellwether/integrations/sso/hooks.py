"""What the accounts app asks single sign-on (through ``BELLWETHER_SSO_HOOKS``, so
accounts never imports this app): must a user sign in through SSO, and where does an
organisation sign in."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from bellwether.accounts.models import User
from bellwether.core.models import Organisation
from bellwether.integrations.sso import selectors, services_mfa


def password_refusal(user: User) -> str:
    providers = selectors.providers_requiring_sso_for(user.pk)
    if not providers:
        return ""
    names = " or ".join(f"“Sign in with {p.name}”" for p in providers)
    orgs = ", ".join(p.organisation.name for p in providers)
    return (
        f"{orgs} signs in with single sign-on: passwords are turned off for its members. "
        f"Use {names} below (enter your work email under “Sign in with your company”)."
    )


def sign_in_url(organisation: Organisation) -> str | None:
    if selectors.provider_for_slug(organisation.slug) is None:
        return None
    return reverse("sso:organisation", args=[organisation.slug])


def second_factor_url(request: HttpRequest, user: User) -> str:
    if not services_mfa.hold_for_second_factor(request, user):
        return ""
    return reverse("mfa:verify")
