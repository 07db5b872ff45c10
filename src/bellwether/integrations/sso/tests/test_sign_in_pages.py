"""The public steps of SSO sign-in, "SSO required", and the invitation hook."""

from __future__ import annotations

import pytest
from django.test import Client

from bellwether.accounts import services_invitations
from bellwether.accounts.models import MembershipInvitation
from bellwether.core.models import AuditEvent
from bellwether.integrations.sso.models import IdentityProvider
from bellwether.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(org) -> IdentityProvider:
    return IdentityProvider.objects.create(
        organisation=org,
        protocol=IdentityProvider.Protocol.SAML,
        name="Acme ADFS",
        email_domains="acme.test acme.example",
        entity_id="https://idp.acme.test/metadata",
        sso_url="https://idp.acme.test/sso",
        x509cert="MIIBdGVzdA==",
    )


def test_sign_in_page_offers_sign_in_with_your_company():
    page = Client().get("/accounts/sign-in/").content.decode()
    assert "Sign in with your company" in page


def test_work_email_leads_to_the_organisations_sign_in(provider):
    client = Client()
    answer = client.post("/sso/start/", {"email": "Someone@ACME.example"})
    assert answer["Location"] == "/sso/org/acme/"
    page = client.get(answer["Location"]).content.decode()
    assert "Sign in with Acme ADFS" in page
    go = client.get("/sso/org/acme/go/", HTTP_HOST="testserver")
    assert go.status_code == 302
    assert go["Location"].startswith("https://idp.acme.test/sso?SAMLRequest=")


def test_unknown_domain_is_told_so(provider):
    client = Client()
    answer = client.post("/sso/start/", {"email": "x@elsewhere.test"}, follow=True)
    assert "No single sign-on is set up for that email address" in answer.content.decode()


def test_disabled_provider_has_no_sign_in(provider):
    provider.is_enabled = False
    provider.save()
    assert Client().get("/sso/org/acme/").status_code == 404
    assert Client().get("/sso/org/acme/go/").status_code == 404


def test_sso_required_turns_off_passwords_for_members_only(provider, members):
    provider.sso_required = True
    provider.save()
    client = Client()
    answer = client.post(
        "/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD}
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Acme Corp signs in with single sign-on" in text
    assert "Sign in with Acme ADFS" in text
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.filter(action="sign_in.failed").latest("pk")
    assert event.details["reason"] == "sso_required"
    # A wrong password still says only that the details are wrong: nothing leaks.
    wrong = client.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": "nope"})
    assert "signs in with single sign-on" not in wrong.content.decode()
    # A member of another organisation signs in with a password as before.
    other = Client()
    ok = other.post("/accounts/sign-in/", {"email": "admin@globex.test", "password": TEST_PASSWORD})
    assert ok.status_code == 302
    assert "_auth_user_id" in other.session


def test_invitation_offers_the_organisations_sign_in(provider, members):
    from bellwether.accounts.models import User

    invited = User.objects.create_user("new@acme.test")
    from datetime import timedelta

    from django.utils import timezone

    invitation = MembershipInvitation.objects.create(
        organisation=provider.organisation,
        user=invited,
        invited_by=members["admin"].user,
        expires_at=timezone.now() + timedelta(days=7),
    )
    assert services_invitations.sso_sign_in_url(invitation) == "/sso/org/acme/"
    provider.is_enabled = False
    provider.save()
    assert services_invitations.sso_sign_in_url(invitation) is None
