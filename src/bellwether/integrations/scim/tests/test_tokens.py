"""SCIM tokens: only organisation admins manage them; the secret is shown once and
stored hashed; a revoked, unknown or missing token gets a SCIM 401 (audited); a token
only ever reaches its own organisation."""

from __future__ import annotations

import pytest

from bellwether.core.models import AuditEvent
from bellwether.integrations.scim import services, tokens
from bellwether.integrations.scim.models import ScimToken
from bellwether.integrations.scim.tests.conftest import ScimClient, user_body
from bellwether.people.models import Person


def test_admin_creates_sees_once_and_revokes_a_token(client_for, org):
    client = client_for("admin")
    assert client.get("/integrations/scim/").status_code == 200
    response = client.post("/integrations/scim/tokens/new", {"name": "Entra ID"})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret.startswith("scim_")
    token = ScimToken.objects.get(organisation=org)
    assert token.digest == tokens.digest(secret)
    assert secret not in str(list(ScimToken.objects.values()))
    assert secret not in client.get("/integrations/scim/").content.decode()
    assert ScimClient(secret).get("Users").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    revoked = client.post(f"/integrations/scim/tokens/{token.pk}/revoke")
    assert revoked.status_code == 302
    refused = ScimClient(secret).get("Users")
    assert refused.status_code == 401
    assert refused.json()["status"] == "401"
    assert "revoked" in refused.json()["detail"]
    assert AuditEvent.objects.filter(organisation=org, action="token.auth_failed").exists()
    assert set(AuditEvent.objects.filter(organisation=org).values_list("action", flat=True)) >= {
        "scim.token_created",
        "scim.token_revoked",
    }


def test_a_blank_name_is_refused_and_creates_nothing(client_for):
    response = client_for("admin").post("/integrations/scim/tokens/new", {"name": "  "})
    assert response.status_code == 400
    assert not ScimToken.objects.exists()


@pytest.mark.parametrize("role", ["sponsor", "leader", "coach", "reviewer"])
def test_other_roles_may_not_manage_tokens(client_for, role, scim_token):
    client = client_for(role)
    assert client.get("/integrations/scim/").status_code == 403
    assert client.post("/integrations/scim/tokens/new", {"name": "x"}).status_code == 403
    assert client.post(f"/integrations/scim/tokens/{scim_token[0].pk}/revoke").status_code == 403
    assert ScimToken.objects.count() == 1
    assert ScimToken.objects.get().revoked_at is None


def test_another_organisations_admin_cannot_revoke(client_for, scim_token):
    response = client_for("outsider").post(f"/integrations/scim/tokens/{scim_token[0].pk}/revoke")
    assert response.status_code == 404
    scim_token[0].refresh_from_db()
    assert scim_token[0].revoked_at is None


@pytest.mark.parametrize("secret", ["", "scim_forged", "bw_personal-api-token"])
def test_missing_or_unknown_tokens_get_401(secret, db, org):
    response = ScimClient(secret).post("Users", user_body("eve"))
    assert response.status_code == 401
    assert response.json()["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Person.objects.filter(organisation=org, employee_id="eve").exists()


def test_a_session_is_no_scim_credential(client_for):
    assert client_for("admin").get("/scim/v2/Users").status_code == 401


def test_a_token_reaches_only_its_organisation(members, other_org, scim):
    created = scim.post("Users", user_body("ours")).json()
    _token, secret = services.create_scim_token(membership=members["outsider"], name="Globex")
    theirs = ScimClient(secret)
    assert theirs.get(f"Users/{created['id']}").status_code == 404
    assert theirs.get("Users").json()["totalResults"] == 0
    assert theirs.delete(f"Users/{created['id']}").status_code == 404
    assert Person.objects.get(employee_id="ours").active is True
