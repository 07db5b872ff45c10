"""Signing in through an organisation's SAML 2.0 provider: a pysaml2 identity provider
started on this machine, signing with xmlsec1."""

from __future__ import annotations

import base64

import pytest
from django.test import Client
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from bellwether.core.models import AuditEvent
from bellwether.integrations.sso import services
from bellwether.integrations.sso.models import IdentityProvider, SsoLink
from bellwether.integrations.sso.tests.conftest import saml_post, saml_start

pytestmark = pytest.mark.django_db


def configure(membership, saml, **extra) -> IdentityProvider:
    data = services.ProviderInput(
        protocol="saml",
        name=extra.pop("name", "Acme ADFS"),
        email_domains=extra.pop("email_domains", "acme.test"),
        metadata_url=extra.pop("metadata_url", saml.metadata_url),
        **extra,
    )
    return services.configure_provider(membership=membership, data=data)


def signed_in_as(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return int(value) if value else None


def answer_for(client: Client, saml, slug: str = "acme") -> dict[str, str]:
    request = saml_start(client, slug)
    return saml.respond(request["SAMLRequest"], request["RelayState"])


def test_metadata_url_is_read_when_saved(members, saml):
    provider = configure(members["admin"], saml)
    assert provider.entity_id == saml.metadata_url
    assert provider.sso_url == f"{saml.base_url}/sso/redirect"
    assert provider.x509cert
    # Pasted XML works the same.
    pasted = configure(members["admin"], saml, metadata_url="", metadata_xml=saml.metadata())
    assert pasted.entity_id == saml.metadata_url


def test_sign_in_links_a_member_by_email(members, saml):
    configure(members["admin"], saml)
    saml.user = {"subject": "adfs-leader", "email": "leader@acme.test"}
    client = Client(HTTP_HOST="testserver")
    finish = saml_post(client, answer_for(client, saml))
    assert finish.status_code == 302, finish.content.decode()[:2000]
    assert signed_in_as(client) == members["leader"].user_id
    assert SsoLink.objects.get(subject="adfs-leader").user_id == members["leader"].user_id


def test_member_of_another_organisation_is_refused(members, saml):
    configure(members["outsider"], saml, name="Globex ADFS", email_domains="globex.test")
    saml.user = {"subject": "x", "email": "leader@acme.test"}
    client = Client(HTTP_HOST="testserver")
    finish = saml_post(client, answer_for(client, saml, "globex"))
    assert finish.status_code == 403
    assert "is not a member of Globex" in finish.content.decode()
    assert signed_in_as(client) is None
    event = AuditEvent.objects.get(action="sso.refused")
    assert event.details["reason"] == "other_organisation"


def _refused(finish, client) -> str:
    assert finish.status_code == 400, finish.content.decode()[:2000]
    assert signed_in_as(client) is None
    assert not SsoLink.objects.exists()
    event = AuditEvent.objects.get(action="sso.failed")
    return event.details["reason"]


def test_wrong_audience_is_refused(members, saml):
    configure(members["admin"], saml)
    saml.user = {"subject": "adfs-leader", "email": "leader@acme.test"}
    saml.audience = "https://another-service.example/saml"
    client = Client(HTTP_HOST="testserver")
    reason = _refused(saml_post(client, answer_for(client, saml)), client)
    assert "audience" in reason.lower(), reason


def test_unsigned_assertion_is_refused(members, saml):
    configure(members["admin"], saml)
    saml.user = {"subject": "adfs-leader", "email": "leader@acme.test"}
    saml.sign_assertion = False
    client = Client(HTTP_HOST="testserver")
    reason = _refused(saml_post(client, answer_for(client, saml)), client)
    assert "not signed" in reason, reason


def test_expired_assertion_is_refused(members, saml, monkeypatch):
    configure(members["admin"], saml)
    saml.user = {"subject": "adfs-leader", "email": "leader@acme.test"}
    client = Client(HTTP_HOST="testserver")
    answer = answer_for(client, saml)
    # Delivered an hour late: past the assertion's 5-minute lifetime.
    later = OneLogin_Saml2_Utils.now() + 3600
    monkeypatch.setattr(OneLogin_Saml2_Utils, "now", staticmethod(lambda: later))
    reason = _refused(saml_post(client, answer), client)
    assert "expired" in reason.lower() or "no longer valid" in reason.lower(), reason


def test_replayed_assertion_is_refused(members, saml):
    configure(members["admin"], saml)
    saml.user = {"subject": "adfs-leader", "email": "leader@acme.test"}
    client = Client(HTTP_HOST="testserver")
    answer = answer_for(client, saml)
    assert saml_post(client, answer).status_code == 302
    thief = Client(HTTP_HOST="testserver")
    replay = saml_post(thief, answer)
    assert replay.status_code == 400
    assert "already used" in replay.content.decode()
    assert signed_in_as(thief) is None
    assert AuditEvent.objects.filter(action="sso.failed").exists()
    assert SsoLink.objects.count() == 1


@pytest.mark.parametrize(
    "response",
    [
        "not base64 at all!",
        base64.b64encode(b"<samlp:Response><unclosed>").decode(),
        base64.b64encode(b"just text").decode(),
    ],
)
def test_malformed_response_is_refused(members, saml, response):
    configure(members["admin"], saml)
    client = Client(HTTP_HOST="testserver")
    saml_start(client, "acme")
    answer = {"acs": "/sso/saml/acme/acs/", "SAMLResponse": response, "RelayState": ""}
    assert _refused(saml_post(client, answer), client)
