"""Every page of a member area asks a declared access rule (``@page(RULE)``).

A page without one is either public on purpose (signing in, health checks, the
respondent's personal link, which carries its own signed token) and listed here, or a
page that forgot to ask: this test fails for it until it does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver

from bellwether.core.access import RULES

# Pages that are not member pages, and why.
NOT_MEMBER_PAGES = {
    "core:home": "signed in without a membership, it says so (every member opens it)",
    "core:switch_organisation": "chooses among the signed-in user's own memberships",
    "accounts:settings": "the signed-in user's own settings, with or without a membership",
    "core:healthz": "load balancers probe it without signing in",
    "core:readyz": "load balancers probe it without signing in",
    "core:metrics": "Prometheus scrapes it with a token or from an allowed address",
    "core:favicon": "a static icon",
    "accounts:sign_in": "signing in",
    "accounts:request_link": "asking for a sign-in link",
    "accounts:sign_in_link": "the link in the sign-in email (its signed token is the check)",
    "accounts:sign_in_code": "the code from the sign-in email",
    "accounts:sign_out": "anyone may sign out",
    "accounts:invitations": "invitations to join an organisation the user is not yet in",
    "accounts:accept_invitation": "answered by the invited user, before membership",
    "accounts:decline_invitation": "answered by the invited user, before membership",
    "accounts:join": "the invitation email's link (its signed token is the check)",
    "surveys:respond": "a respondent's personal link (signed token, checked by the view)",
    "surveys:save_draft": "a respondent's personal link (signed token, checked by the view)",
    "surveys:thanks": "a respondent's personal link (signed token, checked by the view)",
    "behaviours:check_in_link": "the one-tap check-in link (signed, expiring, one leader and day)",
    "communications:ical": "a calendar feed URL (a revocable token, checked by the view)",
    "sso:start": "signing in: a work email chooses the organisation's identity provider",
    "sso:organisation": "signing in: the organisation's 'Sign in with your company' page",
    "sso:go": "signing in: sends the browser to the organisation's identity provider",
    "mfa:security": "the signed-in user's own two-factor settings, with or without a membership",
    "mfa:enable": "the signed-in user's own two-factor settings, with or without a membership",
    "mfa:disable": "the signed-in user's own two-factor settings, with or without a membership",
    "mfa:verify": "signing in: the second step, before the user is signed in",
    "mfa:verify_key": "signing in: the second step with a security key, before signing in",
    "mfa:add_key": "the signed-in user's own security keys, with or without a membership",
    "mfa:remove_key": "the signed-in user's own security keys (another's key answers 404)",
}
# The SCIM protocol answers to an organisation's SCIM bearer token, never to a session
# (integrations/scim/protocol.py); the admin's token page asks a rule like any page.
_SCIM_ENDPOINTS = ("users", "user", "groups", "group", "service_provider_config")
_SCIM_ENDPOINTS += ("resource_types", "resource_type", "schemas", "schema", "unknown")
NOT_MEMBER_PAGES.update(
    {f"scim:{name}": "a SCIM endpoint (its SCIM token is the check)" for name in _SCIM_ENDPOINTS}
)


def _pages(resolver: Any, namespace: str = "") -> Iterator[tuple[str, Any]]:
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "api":
                continue  # API operations: tests/test_access_matrix.py, op by op
            inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
            yield from _pages(pattern, inner)
        elif isinstance(pattern, URLPattern):
            module = getattr(pattern.callback, "__module__", "")
            if module.startswith("bellwether."):
                yield namespace + (pattern.name or str(pattern.pattern)), pattern.callback


def test_every_member_page_asks_a_declared_rule() -> None:
    undeclared = sorted(
        name
        for name, view in _pages(get_resolver())
        if name not in NOT_MEMBER_PAGES and getattr(view, "access_rule", None) is None
    )
    assert undeclared == []


_APP_LABELS = {
    config.label for config in apps.get_app_configs() if config.name.startswith("bellwether.")
}


def test_the_rules_pages_ask_are_registered_by_their_names() -> None:
    for name, view in _pages(get_resolver()):
        rule = getattr(view, "access_rule", None)
        if rule is not None:
            assert RULES[rule.name] is rule, name
            # A rule is named after the app that declares it.
            assert rule.name.split(".")[0] in _APP_LABELS, rule.name


def test_public_pages_still_exist() -> None:
    names = {name for name, _ in _pages(get_resolver())}
    assert set(NOT_MEMBER_PAGES) <= names
