"""The admin configures the organisation's identity provider: bad input gets a clear
message and changes nothing; only the admin may."""

from __future__ import annotations

import pytest
from django.test import Client

from bellwether.core.models import AuditEvent
from bellwether.integrations.sso import secrets
from bellwether.integrations.sso.models import IdentityProvider

pytestmark = pytest.mark.django_db

URL = "/integrations/sso/"


def oidc_form(issuer: str, **extra) -> dict[str, str]:
    form = {
        "protocol": "oidc",
        "name": "Acme Okta",
        "email_domains": "acme.test",
        "is_enabled": "on",
        "server_url": issuer,
        "client_id": "acme-client",
        "client_secret": "s3cret-value",
    }
    form.update(extra)
    return form


def test_admin_saves_an_oidc_provider_with_its_secret_encrypted(client_for, oidc_issuer):
    admin = client_for("admin")
    page = admin.get(URL)
    assert page.status_code == 200
    assert "/sso/oidc/acme/login/callback/" in page.content.decode()
    answer = admin.post(URL, oidc_form(oidc_issuer))
    assert answer.status_code == 302
    provider = IdentityProvider.objects.get()
    assert provider.client_id == "acme-client"
    assert secrets.decrypt(provider.client_secret_encrypted) == "s3cret-value"
    # The secret is never shown back.
    assert "s3cret-value" not in admin.get(URL).content.decode()
    event = AuditEvent.objects.get(action="sso.configured")
    assert "s3cret" not in str(event.details)


@pytest.mark.parametrize(
    ("form", "field", "message"),
    [
        ({"server_url": "ftp://idp.example.com"}, "server_url", "must be an https:// address"),
        ({"server_url": "http://idp.example.com"}, "server_url", "must be an https:// address"),
        ({"client_id": ""}, "client_id", "Enter the client id"),
        ({"client_secret": ""}, "client_secret", "Enter the client secret"),
        ({"email_domains": "not a domain!"}, "email_domains", "is not an email domain"),
        ({"name": ""}, "name", "This field is required"),
        (
            {"sso_required": "on", "is_enabled": ""},
            "sso_required",
            "only while the provider is enabled",
        ),
    ],
)
def test_bad_oidc_input_gets_a_clear_message_and_changes_nothing(
    client_for, oidc_issuer, form, field, message
):
    answer = client_for("admin").post(URL, oidc_form(oidc_issuer, **form))
    assert answer.status_code == 400
    assert message in answer.content.decode()
    assert not IdentityProvider.objects.exists()
    assert not AuditEvent.objects.filter(action="sso.configured").exists()


def test_an_issuer_that_is_not_an_oidc_provider_is_refused(client_for, oidc_issuer, saml):
    admin = client_for("admin")
    # The SAML test provider answers 404 at /.well-known/openid-configuration.
    answer = admin.post(URL, oidc_form(saml.base_url))
    assert answer.status_code == 400
    assert "could not read the provider" in answer.content.decode()
    # Nothing listens on this port.
    answer = admin.post(URL, oidc_form("http://127.0.0.1:9"))
    assert answer.status_code == 400
    assert not IdentityProvider.objects.exists()


def test_bad_saml_metadata_gets_a_clear_message_and_changes_nothing(client_for, saml, oidc_issuer):
    admin = client_for("admin")
    assert admin.post(URL, oidc_form(oidc_issuer)).status_code == 302
    before = IdentityProvider.objects.values().get()
    cases = [
        ({"metadata_url": f"{saml.base_url}/nothing-here"}, "could not fetch the metadata"),
        ({"metadata_url": "not a url"}, "must be an https:// address"),
        ({"metadata_xml": "<not-metadata/>"}, "names no identity provider"),
        ({"metadata_xml": "<EntityDescriptor unclosed"}, "not valid SAML 2.0 metadata"),
        ({}, "Give the metadata URL or paste the metadata XML"),
        (
            {"metadata_url": saml.metadata_url, "entity_id": "https://someone-else/"},
            "names no identity provider for the entity id",
        ),
    ]
    for extra, message in cases:
        form = {"protocol": "saml", "name": "Acme ADFS", "is_enabled": "on", **extra}
        answer = admin.post(URL, form)
        assert answer.status_code == 400, extra
        assert message in answer.content.decode(), (extra, answer.content.decode()[-3000:])
    assert IdentityProvider.objects.values().get() == before


def test_admin_removes_the_provider(client_for, oidc_issuer):
    admin = client_for("admin")
    admin.post(URL, oidc_form(oidc_issuer))
    assert admin.post(f"{URL}remove").status_code == 302
    assert not IdentityProvider.objects.exists()
    assert AuditEvent.objects.filter(action="sso.removed").exists()
    assert admin.post(f"{URL}remove").status_code == 404


@pytest.mark.parametrize("role", ["sponsor", "leader", "coach", "reviewer"])
def test_other_roles_may_not_configure(client_for, oidc_issuer, role):
    member = client_for(role)
    assert member.get(URL).status_code == 403
    assert member.post(URL, oidc_form(oidc_issuer)).status_code == 403
    assert not IdentityProvider.objects.exists()


def test_another_organisations_admin_configures_only_their_own(client_for, oidc_issuer):
    client_for("admin").post(URL, oidc_form(oidc_issuer))
    ours = IdentityProvider.objects.values().get()
    outsider = client_for("outsider")
    # Their page shows their (empty) configuration, never ours.
    page = outsider.get(URL).content.decode()
    assert "Acme Okta" not in page
    # Removing removes nothing of ours: they have no provider (404).
    assert outsider.post(f"{URL}remove").status_code == 404
    assert IdentityProvider.objects.values().get() == ours


def test_anonymous_is_sent_to_sign_in():
    answer = Client().get(URL)
    assert answer.status_code == 302
    assert "/accounts/sign-in/" in answer["Location"]


def test_plain_http_localhost_is_refused_in_production(client_for, oidc_issuer, settings):
    settings.BELLWETHER_SSO_ALLOW_HTTP_LOCALHOST = False
    answer = client_for("admin").post(URL, oidc_form(oidc_issuer))
    assert answer.status_code == 400
    assert "must be an https:// address" in answer.content.decode()
    assert not IdentityProvider.objects.exists()
