"""In a real browser: a member adds a security key on /security/ (on a phone), then signs
in with password + key. The key is Chromium's virtual authenticator (DevTools protocol,
"WebAuthn" domain), so the browser's own WebAuthn code talks to Bellwether's pages."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent
from bellwether.testing.a11y import serious_violations
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import TEST_PASSWORD, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


def virtual_key(page: Any) -> tuple[Any, str]:
    """Attach a virtual authenticator to ``page``: its DevTools session and its id."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    added = session.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    return session, added["authenticatorId"]


def test_a_member_adds_a_key_and_signs_in_with_password_and_key(page_at, live_server, org) -> None:
    member = make_member(org, Role.LEADER, email="key-leader@acme.test")
    base = live_server.url
    assert base.startswith("http://localhost:")  # a secure context; the key's relying party

    phone = page_at(PHONE)
    phone_key, phone_key_id = virtual_key(phone)
    # When this is a run's first browser test, the live server's first answer imports
    # every app's URLs and API (on a busy machine, longer than the default 15 s).
    phone.goto(f"{base}/accounts/sign-in/", timeout=90_000)
    sign_in(phone, base, "key-leader@acme.test")
    phone.goto(f"{base}/accounts/settings/")
    phone.get_by_role("link", name="Set up two-factor sign-in").click()
    phone.get_by_role("heading", name="Security keys and passkeys").wait_for()
    phone.get_by_label("Name of the key").fill("Phone passkey")
    phone.get_by_role("button", name="Add a security key").click()
    phone.locator("#recovery-codes").wait_for()
    assert (
        phone.locator("#security-keys")
        .get_by_role("cell", name="Phone passkey", exact=True)
        .is_visible()
    )
    assert serious_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(phone, "webauthn-key-added-phone")
    assert phone.js_errors == []
    stored = Authenticator.objects.get(user=member.user, type=Authenticator.Type.WEBAUTHN)
    assert stored.data["name"] == "Phone passkey"
    assert AuditEvent.objects.filter(action="mfa.security_key_added").exists()

    # The same key (its credential moved to another browser's virtual authenticator).
    credentials = phone_key.send("WebAuthn.getCredentials", {"authenticatorId": phone_key_id})
    assert len(credentials["credentials"]) == 1
    desktop = page_at(DESKTOP)
    desktop_key, desktop_key_id = virtual_key(desktop)
    desktop_key.send(
        "WebAuthn.addCredential",
        {"authenticatorId": desktop_key_id, "credential": credentials["credentials"][0]},
    )
    desktop.goto(f"{base}/accounts/sign-in/?next=/accounts/settings/")
    form = desktop.locator("form:has(input[type=password])")
    form.get_by_label("Email address").fill("key-leader@acme.test")
    form.get_by_label("Password").fill(TEST_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    desktop.get_by_role("heading", name="Use your security key").wait_for()
    assert serious_violations(desktop) == []
    screenshot(desktop, "webauthn-verify")
    desktop.get_by_role("button", name="Use your security key").click()
    desktop.wait_for_url(f"{base}/accounts/settings/")
    assert desktop.js_errors == []
    event = AuditEvent.objects.filter(action="sign_in.succeeded").latest("pk")
    assert event.details == {"method": "password+webauthn"}
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_a_key_that_was_never_added_is_refused_and_recovery_codes_still_work(
    page_at, live_server, org
) -> None:
    make_member(org, Role.SPONSOR, email="key-sponsor@acme.test")
    base = live_server.url
    page = page_at(PHONE)
    virtual_key(page)
    sign_in(page, base, "key-sponsor@acme.test")
    page.goto(f"{base}/security/")
    page.get_by_role("button", name="Add a security key").click()
    page.locator("#recovery-codes").wait_for()
    recovery = page.locator("#recovery-codes li").first.inner_text().strip()
    # Remove nothing; sign in from a browser whose (virtual) key was never added.
    other = page_at(PHONE)
    virtual_key(other)
    other.goto(f"{base}/accounts/sign-in/")
    form = other.locator("form:has(input[type=password])")
    form.get_by_label("Email address").fill("key-sponsor@acme.test")
    form.get_by_label("Password").fill(TEST_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    other.get_by_role("button", name="Use your security key").click()
    # The browser finds no key of this site and says so; nothing is posted.
    other.locator("#key-error").get_by_text("did not answer").wait_for()
    assert other.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    other.get_by_role("textbox", name="Code").fill(recovery)
    other.get_by_role("button", name="Sign in").click()
    other.wait_for_url(f"{base}/")

    # Removing the key asks first (a dialog); the last key gone, two-factor is off.
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Remove Security key").click()
    page.get_by_text("Two-factor sign-in is off.").first.wait_for()
    assert not Authenticator.objects.exists()
    assert AuditEvent.objects.filter(action="mfa.security_key_removed").exists()
