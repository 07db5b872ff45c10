"""Signing in through an organisation's OpenID Connect provider, a real one started on
this machine (oidc-provider-mock, built on Authlib)."""

from __future__ import annotations

import pytest
import requests
from django.test import Client

from bellwether.accounts.models import Membership
from bellwether.core.models import AuditEvent
from bellwether.integrations.sso import secrets, services
from bellwether.integrations.sso.models import IdentityProvider, SsoLink
from bellwether.integrations.sso.tests.conftest import oidc_sign_in, path_of
from bellwether.testing.idps import set_oidc_user

pytestmark = pytest.mark.django_db(transaction=False)


def configure(membership: Membership, issuer: str, client_id: str, **extra) -> IdentityProvider:
    data = services.ProviderInput(
        protocol="oidc",
        name=extra.pop("name", "Acme Okta"),
        email_domains=extra.pop("email_domains", "acme.test"),
        server_url=issuer,
        client_id=client_id,
        client_secret=extra.pop("client_secret", "s3cret-value"),
        **extra,
    )
    return services.configure_provider(membership=membership, data=data)


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def test_secret_is_encrypted_at_rest(members, oidc_issuer):
    provider = configure(members["admin"], oidc_issuer, "acme-client")
    assert "s3cret-value" not in provider.client_secret_encrypted
    assert secrets.decrypt(provider.client_secret_encrypted) == "s3cret-value"
    # Saving again without a secret keeps the stored one.
    again = configure(members["admin"], oidc_issuer, "acme-client", client_secret="")
    assert secrets.decrypt(again.client_secret_encrypted) == "s3cret-value"


def test_sign_in_links_a_member_by_verified_email(members, oidc_issuer):
    configure(members["admin"], oidc_issuer, "acme-client")
    set_oidc_user(
        oidc_issuer, "okta-sponsor-1", {"email": "Sponsor@acme.test", "email_verified": True}
    )
    client = Client()
    answer = oidc_sign_in(client, "acme", "okta-sponsor-1")
    assert answer.status_code == 302
    assert answer["Location"] == "/"
    assert signed_in_as(client) == members["sponsor"].user_id
    link = SsoLink.objects.get(subject="okta-sponsor-1")
    assert link.user_id == members["sponsor"].user_id
    assert AuditEvent.objects.filter(action="sso.linked", actor_id=link.user_id).exists()
    event = AuditEvent.objects.filter(action="sign_in.succeeded").latest("pk")
    assert event.details == {"method": "sso"}
    # The second time the link is used, whatever the email says now.
    set_oidc_user(
        oidc_issuer, "okta-sponsor-1", {"email": "renamed@acme.test", "email_verified": True}
    )
    again = Client()
    assert oidc_sign_in(again, "acme", "okta-sponsor-1").status_code == 302
    assert signed_in_as(again) == members["sponsor"].user_id
    assert SsoLink.objects.count() == 1


def test_member_of_another_organisation_is_refused_with_a_page_and_an_audit_event(
    members, oidc_issuer
):
    # Globex configures its own provider; Acme's sponsor tries to use it.
    configure(
        members["outsider"],
        oidc_issuer,
        "globex-client",
        name="Globex Entra",
        email_domains="globex.test",
    )
    set_oidc_user(oidc_issuer, "intruder", {"email": "sponsor@acme.test", "email_verified": True})
    client = Client()
    answer = oidc_sign_in(client, "globex", "intruder")
    assert answer.status_code == 403
    text = answer.content.decode()
    assert "is not a member of Globex" in text
    assert signed_in_as(client) is None
    event = AuditEvent.objects.get(action="sso.refused")
    assert event.organisation_id == members["outsider"].organisation_id
    assert event.details["reason"] == "other_organisation"
    assert not SsoLink.objects.exists()


def test_unknown_and_unverified_emails_are_refused(members, oidc_issuer):
    configure(members["admin"], oidc_issuer, "acme-client")
    set_oidc_user(oidc_issuer, "stranger", {"email": "nobody@acme.test", "email_verified": True})
    set_oidc_user(
        oidc_issuer, "unverified", {"email": "sponsor@acme.test", "email_verified": False}
    )
    first = oidc_sign_in(Client(), "acme", "stranger")
    assert first.status_code == 403
    assert (
        "There is no Bellwether account for nobody@acme.test in Acme Corp" in first.content.decode()
    )
    second = oidc_sign_in(Client(), "acme", "unverified")
    assert second.status_code == 403
    assert "has not verified the address sponsor@acme.test" in second.content.decode()
    reasons = sorted(
        AuditEvent.objects.filter(action="sso.refused").values_list("details__reason", flat=True)
    )
    assert reasons == ["email_unverified", "unknown_person"]
    assert not SsoLink.objects.exists()


def test_callback_replayed_is_refused(members, oidc_issuer):
    configure(members["admin"], oidc_issuer, "acme-client")
    set_oidc_user(oidc_issuer, "okta-admin", {"email": "admin@acme.test", "email_verified": True})
    client = Client()
    start = client.get("/sso/org/acme/go/")
    authorize = requests.post(
        start["Location"], data={"sub": "okta-admin"}, allow_redirects=False, timeout=10
    )
    callback = path_of(authorize.headers["Location"])
    assert client.get(callback).status_code == 302
    other = Client()
    replay = other.get(callback)
    assert replay.status_code == 400
    assert "did not succeed" in replay.content.decode()
    assert signed_in_as(other) is None
    assert AuditEvent.objects.filter(action="sso.failed").exists()


def test_code_issued_to_another_client_is_refused(members, oidc_issuer):
    """A code the provider issued for another application (another audience) does not
    sign anyone in here."""
    configure(members["admin"], oidc_issuer, "acme-client")
    set_oidc_user(oidc_issuer, "okta-admin", {"email": "admin@acme.test", "email_verified": True})
    client = Client()
    start = client.get("/sso/org/acme/go/")
    foreign = start["Location"].replace("client_id=acme-client", "client_id=someone-else")
    authorize = requests.post(
        foreign, data={"sub": "okta-admin"}, allow_redirects=False, timeout=10
    )
    answer = client.get(path_of(authorize.headers["Location"]))
    assert answer.status_code == 400
    assert signed_in_as(client) is None
    assert AuditEvent.objects.filter(action="sso.failed").exists()
