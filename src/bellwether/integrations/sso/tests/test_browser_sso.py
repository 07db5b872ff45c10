"""In a real browser: an admin configures the organisation's OpenID Connect provider
through the page, then a member signs in with "Sign in with your company" through that
provider (a real one on this machine), and a member signs in through a SAML provider."""

from __future__ import annotations

from pathlib import Path

import pytest

from bellwether.accounts.roles import Role
from bellwether.integrations.sso import services
from bellwether.integrations.sso.models import IdentityProvider, SsoLink
from bellwether.testing.a11y import serious_violations
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import make_member
from bellwether.testing.idps import saml_idp, set_oidc_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_admin_configures_oidc_and_a_member_signs_in_with_it(
    page_at, live_server, org, oidc_issuer
) -> None:
    make_member(org, Role.ADMIN, email="sso-admin@acme.test")
    member = make_member(org, Role.SPONSOR, email="sso-sponsor@acme.test")
    base = live_server.url
    admin = page_at(DESKTOP)
    sign_in(admin, base, "sso-admin@acme.test")
    admin.goto(f"{base}/integrations/sso/")
    admin.get_by_label("OpenID Connect").check()
    admin.get_by_label("Name on the sign-in button").fill("Acme Okta")
    admin.get_by_label("Work email domains").fill("acme.test")
    admin.get_by_label("Issuer (server) URL").fill(oidc_issuer)
    admin.get_by_label("Client id").fill("acme-browser")
    admin.get_by_label("Client secret").fill("browser-secret-1")
    admin.get_by_role("button", name="Save single sign-on").click()
    admin.get_by_text("Single sign-on is saved.").wait_for()
    # Checked once the flash message is gone (base.html's message list is its own matter).
    admin.goto(f"{base}/integrations/sso/")
    admin.get_by_text("a client secret is stored, encrypted").wait_for()
    assert serious_violations(admin) == []
    admin.set_viewport_size(PHONE)
    assert admin.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    admin.set_viewport_size(DESKTOP)
    provider = IdentityProvider.objects.get(organisation=org)
    assert provider.client_id == "acme-browser"
    assert "browser-secret-1" not in provider.client_secret_encrypted
    screenshot(admin, "sso-settings")

    set_oidc_user(
        oidc_issuer,
        "okta-browser-sponsor",
        {"email": "sso-sponsor@acme.test", "email_verified": True},
    )
    phone = page_at(PHONE)
    phone.goto(f"{base}/accounts/sign-in/")
    phone.get_by_label("Work email").fill("sso-sponsor@acme.test")
    phone.get_by_role("button", name="Continue with single sign-on").click()
    phone.get_by_role("link", name="Sign in with Acme Okta").click()
    # The identity provider's own page: who is signing in.
    phone.locator("input[name=sub]").fill("okta-browser-sponsor")
    phone.get_by_role("button", name="Authorize").click()
    phone.wait_for_url(f"{base}/")
    assert phone.locator("body").inner_text().count("Sign in to Bellwether") == 0
    assert SsoLink.objects.get(subject="okta-browser-sponsor").user_id == member.user_id
    screenshot(phone, "sso-signed-in-phone")


def test_a_member_signs_in_through_saml(page_at, live_server, org, tmp_path: Path) -> None:
    admin = make_member(org, Role.ADMIN, email="saml-admin@acme.test")
    leader = make_member(org, Role.LEADER, email="saml-leader@acme.test")
    with saml_idp(tmp_path) as idp:
        services.configure_provider(
            membership=admin,
            data=services.ProviderInput(
                protocol="saml",
                name="Acme ADFS",
                email_domains="acme.test",
                metadata_url=idp.metadata_url,
            ),
        )
        idp.user = {"subject": "adfs-browser-leader", "email": "saml-leader@acme.test"}
        page = page_at(DESKTOP)
        page.goto(f"{live_server.url}/sso/org/acme/")
        assert serious_violations(page) == []
        page.get_by_role("link", name="Sign in with Acme ADFS").click()
        # The provider posts its signed answer back by script; Bellwether finishes it.
        page.wait_for_url(f"{live_server.url}/")
    assert SsoLink.objects.get(subject="adfs-browser-leader").user_id == leader.user_id


def test_refusal_page_is_clear(page_at, live_server, org, other_org, oidc_issuer) -> None:
    outsider = make_member(other_org, Role.ADMIN, email="globex-admin@globex.test")
    make_member(org, Role.SPONSOR, email="wanderer@acme.test")
    services.configure_provider(
        membership=outsider,
        data=services.ProviderInput(
            protocol="oidc",
            name="Globex Entra",
            email_domains="globex.test",
            server_url=oidc_issuer,
            client_id="globex-browser",
            client_secret="x",
        ),
    )
    set_oidc_user(oidc_issuer, "wanderer", {"email": "wanderer@acme.test", "email_verified": True})
    page = page_at(PHONE)
    page.goto(f"{live_server.url}/sso/org/globex/")
    page.get_by_role("link", name="Sign in with Globex Entra").click()
    page.locator("input[name=sub]").fill("wanderer")
    page.get_by_role("button", name="Authorize").click()
    page.get_by_role("heading", name="You are not signed in").wait_for()
    assert "is not a member of Globex" in page.locator("#sso-refusal").inner_text()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "sso-refused-phone")


def test_two_factor_sign_in_in_a_browser(page_at, live_server, org) -> None:
    """Turn on TOTP from the settings page on a phone, then sign in with password + code."""
    import time

    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from bellwether.testing.factories import TEST_PASSWORD

    make_member(org, Role.LEADER, email="totp-leader@acme.test")
    base = live_server.url
    phone = page_at(PHONE)
    sign_in(phone, base, "totp-leader@acme.test")
    phone.goto(f"{base}/accounts/settings/")
    phone.get_by_role("link", name="Set up two-factor sign-in").click()
    assert serious_violations(phone) == []
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    secret = phone.locator("#totp-secret").inner_text()

    def code() -> str:
        return format_hotp_value(hotp_value(secret, int(time.time()) // 30))

    phone.get_by_role("textbox", name="Code").fill(code())
    phone.get_by_role("button", name="Turn on two-factor sign-in").click()
    phone.locator("#recovery-codes").wait_for()
    screenshot(phone, "mfa-enabled-phone")
    recovery = phone.locator("#recovery-codes li").first.inner_text().strip()

    fresh = page_at(DESKTOP)
    fresh.goto(f"{base}/accounts/sign-in/")
    form = fresh.locator("form:has(input[type=password])")
    form.get_by_label("Email address").fill("totp-leader@acme.test")
    form.get_by_label("Password").fill(TEST_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    fresh.get_by_role("heading", name="Your sign-in code").wait_for()
    assert serious_violations(fresh) == []
    # A recovery code (the app's code may have been used above within this 30 s step).
    fresh.get_by_role("textbox", name="Code").fill(recovery)
    fresh.get_by_role("button", name="Sign in").click()
    fresh.wait_for_url(f"{base}/")
