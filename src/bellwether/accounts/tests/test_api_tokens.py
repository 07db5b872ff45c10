"""Personal API tokens: on the settings page and at /api/v1/tokens."""

import pytest
from django.test import Client

from bellwether.accounts import services
from bellwether.accounts.models import ApiToken
from bellwether.accounts.tokens import digest
from bellwether.core.models import AuditEvent

URL = "/api/v1/tokens"


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def leader_token(members):
    return services.create_api_token(membership=members["leader"], name="laptop script")


def test_a_token_is_stored_only_as_a_digest(leader_token):
    token, secret = leader_token
    row = ApiToken.objects.get(pk=token.pk)
    assert secret.startswith("bw_")
    assert len(secret) > 40
    assert row.digest == digest(secret)
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    assert all(secret not in value for value in stored)
    assert row.prefix == secret[:10]
    event = AuditEvent.objects.get(action="token.created")
    assert event.details == {"name": "laptop script", "prefix": row.prefix}


def test_the_api_lists_only_your_own_tokens(leader_token, members):
    services.create_api_token(membership=members["admin"], name="admin's")
    token, secret = leader_token
    response = Client().get(URL, headers=bearer(secret))
    assert response.status_code == 200
    assert [(t["id"], t["name"], t["active"]) for t in response.json()] == [
        (token.pk, "laptop script", True)
    ]
    assert "secret" not in response.json()[0]
    assert response["Cache-Control"] == "no-store"


def test_the_api_creates_a_token_and_shows_the_secret_once(leader_token, members):
    _, secret = leader_token
    response = Client().post(
        URL, {"name": "ci"}, content_type="application/json", headers=bearer(secret)
    )
    assert response.status_code == 201
    body = response.json()
    assert body["name"] == "ci"
    assert ApiToken.objects.get(pk=body["id"]).digest == digest(body["secret"])
    listing = Client().get(URL, headers=bearer(body["secret"])).json()
    assert all("secret" not in item for item in listing)


def test_the_api_refuses_a_nameless_token(leader_token):
    _, secret = leader_token
    response = Client().post(
        URL, {"name": ""}, content_type="application/json", headers=bearer(secret)
    )
    assert response.status_code == 422
    assert ApiToken.objects.count() == 1


def test_a_revoked_token_gets_401(leader_token, members):
    token, secret = leader_token
    response = Client().delete(f"{URL}/{token.pk}", headers=bearer(secret))
    assert response.status_code == 204
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    response = Client().get(URL, headers=bearer(secret))
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
    assert AuditEvent.objects.filter(action="token.revoked").count() == 1


def test_revoking_someone_elses_token_is_404_and_changes_nothing(leader_token, members):
    other, _ = services.create_api_token(membership=members["admin"], name="admin's")
    _, secret = leader_token
    response = Client().delete(f"{URL}/{other.pk}", headers=bearer(secret))
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None
    event = AuditEvent.objects.get(action="permission.denied")
    assert event.details["check"] == "owns_api_token"


def test_no_token_and_a_wrong_token_get_401(db):
    assert Client().get(URL).status_code == 401
    assert Client().get(URL, headers=bearer("bw_forged")).status_code == 401


def test_a_deactivated_members_tokens_stop_working(leader_token, members):
    _, secret = leader_token
    services.deactivate_member(
        organisation=members["leader"].organisation,
        actor=members["admin"],
        membership_id=members["leader"].pk,
    )
    assert Client().get(URL, headers=bearer(secret)).status_code == 401


def test_the_settings_page_shows_a_new_secret_exactly_once(client_for, members):
    client = client_for("coach")
    response = client.post("/accounts/settings/tokens/", {"name": "reporting"})
    assert response.status_code == 200
    token = ApiToken.objects.get(membership=members["coach"])
    secret = response.context["new_secret"]
    assert token.digest == digest(secret)
    assert secret in response.content.decode()
    assert secret not in client.get("/accounts/settings/").content.decode()


def test_the_settings_page_revokes_your_own_token(client_for, members):
    token, _ = services.create_api_token(membership=members["coach"], name="old")
    response = client_for("coach").post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_settings_page_will_not_revoke_someone_elses_token(client_for, members):
    token, _ = services.create_api_token(membership=members["admin"], name="admin's")
    response = client_for("coach").post(f"/accounts/settings/tokens/{token.pk}/revoke/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("role", ["admin", "sponsor", "leader", "coach", "reviewer"])
def test_every_role_may_manage_their_own_tokens(client_for, role):
    response = client_for(role).get("/accounts/settings/")
    assert response.status_code == 200
    assert b"API tokens" in response.content
