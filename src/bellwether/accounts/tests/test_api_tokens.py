"""Personal API tokens: on the settings page and at /api/v1/tokens (signed-in sessions only).

Every token expires and has a scope; a token can never list, create or revoke tokens;
every refused token is audited without the secret, and failures are throttled per IP.
"""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bellwether.accounts import services_members, services_tokens
from bellwether.accounts.models import ApiToken, ThrottleHit, TokenScope
from bellwether.accounts.tests.helpers import frozen_at
from bellwether.accounts.tokens import digest
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent

URL = "/api/v1/tokens"
BATCH = "/api/v1/people/batch"
DRY_RUN = {"records": [{"employee_id": "N1", "name": "New Person"}], "dry_run": True}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def make_token(membership, **kwargs):
    return services_tokens.create_api_token(membership=membership, name="script", **kwargs)


@pytest.fixture
def leader_token(members):
    return services_tokens.create_api_token(
        membership=members["leader"], name="laptop script", scope=TokenScope.READ_WRITE
    )


def audit_rows_text() -> str:
    return " ".join(str(row) for row in AuditEvent.objects.values_list())


# --- creating and storing ------------------------------------------------------------------


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
    assert event.details == {
        "name": "laptop script",
        "prefix": row.prefix,
        "scope": "read_write",
        "days": 90,
    }


def test_a_new_token_is_read_only_for_ninety_days_unless_chosen_otherwise(members):
    token, _ = make_token(members["coach"])
    assert token.scope == "read"
    assert timedelta(days=89, hours=23) < token.expires_at - timezone.now() <= timedelta(days=90)
    longer, _ = make_token(members["coach"], scope="read_write", days=365)
    assert longer.scope == "read_write"
    assert longer.expires_at - timezone.now() > timedelta(days=364)


@pytest.mark.parametrize("days", [0, -1, 366, 10_000, True])
def test_a_lifetime_beyond_a_year_or_below_a_day_is_refused(members, days):
    with pytest.raises(DomainError) as refusal:
        make_token(members["coach"], days=days)
    assert refusal.value.field_errors == {"expires_in_days": ["A token lasts from 1 to 365 days."]}
    assert not ApiToken.objects.exists()


def test_an_unknown_scope_is_refused(members):
    with pytest.raises(DomainError):
        make_token(members["coach"], scope="admin")
    assert not ApiToken.objects.exists()


# --- a token may not manage tokens -------------------------------------------------------------


@pytest.mark.parametrize(
    "call",
    [
        lambda c, t: c.get(URL),
        lambda c, t: c.post(URL, {"name": "successor"}, content_type="application/json"),
        lambda c, t: c.delete(f"{URL}/{t.pk}"),
    ],
    ids=["list", "create", "revoke"],
)
def test_a_token_can_never_list_create_or_revoke_tokens(leader_token, members, call):
    sibling, _ = make_token(members["leader"])
    _, secret = leader_token
    response = call(Client(headers=bearer(secret)), sibling)
    assert response.status_code == 403
    assert response.json()["error"] == {
        "code": "forbidden",
        "message": "An API token cannot list, create or revoke API tokens. "
        "Sign in to Bellwether and use Settings → API tokens.",
        "fields": {},
    }
    assert ApiToken.objects.count() == 2
    assert not ApiToken.objects.filter(revoked_at__isnull=False).exists()
    refused = AuditEvent.objects.get(action="request.refused")
    assert refused.organisation == members["leader"].organisation
    assert refused.actor == members["leader"].user
    assert refused.details["status"] == 403


def test_a_signed_in_session_lists_creates_and_revokes_through_the_api(client_for, members):
    client = client_for("leader")
    created = client.post(
        URL,
        {"name": "ci", "scope": "read_write", "expires_in_days": 30},
        content_type="application/json",
    )
    assert created.status_code == 201
    body = created.json()
    assert (body["name"], body["scope"], body["state"], body["active"]) == (
        "ci",
        "read_write",
        "active",
        True,
    )
    assert ApiToken.objects.get(pk=body["id"]).digest == digest(body["secret"])
    listing = client.get(URL).json()
    assert [(t["id"], t["scope"]) for t in listing] == [(body["id"], "read_write")]
    assert all("secret" not in item for item in listing)
    assert client.delete(f"{URL}/{body['id']}").status_code == 204
    assert ApiToken.objects.get(pk=body["id"]).revoked_at is not None


@pytest.mark.parametrize(
    "payload",
    [
        {"name": ""},
        {"name": "ci", "expires_in_days": 400},
        {"name": "ci", "expires_in_days": 0},
        {"name": "ci", "scope": "everything"},
        {"name": "ci", "unknown": 1},
    ],
)
def test_the_api_refuses_a_bad_token_request_and_creates_nothing(client_for, payload):
    response = client_for("leader").post(URL, payload, content_type="application/json")
    assert response.status_code == 422
    assert not ApiToken.objects.exists()


def test_revoking_someone_elses_token_is_404_and_changes_nothing(client_for, members):
    other, _ = make_token(members["admin"])
    response = client_for("leader").delete(f"{URL}/{other.pk}")
    assert response.status_code == 404
    assert ApiToken.objects.get(pk=other.pk).revoked_at is None
    event = AuditEvent.objects.get(action="permission.denied")
    assert event.details["check"] == "accounts.own_api_token"
    assert not AuditEvent.objects.filter(action="request.refused").exists()  # logged once


# --- refused tokens ---------------------------------------------------------------------------


def test_a_revoked_token_gets_401_with_a_clear_message_and_is_audited(leader_token, members):
    token, secret = leader_token
    services_tokens.revoke_api_token(membership=members["leader"], token_id=token.pk)
    response = Client().get("/api/v1/framework", headers=bearer(secret))
    assert response.status_code == 401
    assert response.json()["error"]["message"] == (
        "This API token has been revoked. Create a new one under Settings → API tokens."
    )
    assert response["WWW-Authenticate"] == "Bearer"
    event = AuditEvent.objects.get(action="token.auth_failed")
    assert event.organisation == members["leader"].organisation
    assert (event.target_id, event.details["reason"]) == (str(token.pk), "revoked")
    assert not AuditEvent.objects.filter(action="request.refused").exists()
    assert secret not in audit_rows_text()


def test_an_expired_token_gets_401_saying_when_it_expired(members):
    token, secret = make_token(members["leader"], days=7)
    with frozen_at(token.expires_at + timedelta(seconds=1)):
        response = Client().get("/api/v1/framework", headers=bearer(secret))
    assert response.status_code == 401
    day = timezone.localtime(token.expires_at)
    assert response.json()["error"]["message"] == (
        f"This API token expired on {day.day} {day:%B %Y}. "
        "Create a new one under Settings → API tokens."
    )
    event = AuditEvent.objects.get(action="token.auth_failed")
    assert event.details == {"method": "GET", "path": "/api/v1/framework", "reason": "expired"}


def test_a_token_works_until_the_moment_it_expires(members):
    token, secret = make_token(members["leader"], days=7)
    with frozen_at(token.expires_at - timedelta(seconds=1)):
        assert Client().get("/api/v1/framework", headers=bearer(secret)).status_code == 200


def test_an_unknown_token_is_audited_in_no_organisation_and_never_stored(members):
    forged = "bw_" + "x" * 43
    response = Client().get("/api/v1/framework", headers=bearer(forged))
    assert response.status_code == 401
    event = AuditEvent.objects.get(action="token.auth_failed")
    assert (event.organisation, event.actor, event.details["reason"]) == (None, None, "unknown")
    assert forged not in audit_rows_text()
    assert forged[:10] not in audit_rows_text()


def test_no_token_at_all_gets_401_and_the_refusal_is_audited(db):
    assert Client().get(URL).status_code == 401
    event = AuditEvent.objects.get(action="request.refused")
    assert event.details == {"status": 401, "method": "GET", "path": URL}


def test_a_deactivated_members_tokens_stop_working(leader_token, members):
    _, secret = leader_token
    services_members.deactivate_member(
        organisation=members["leader"].organisation,
        actor=members["admin"],
        membership_id=members["leader"].pk,
    )
    assert Client().get("/api/v1/framework", headers=bearer(secret)).status_code == 401


# --- scopes -------------------------------------------------------------------------------------


def test_a_read_only_token_reads_but_may_not_write(members):
    _, secret = make_token(members["admin"], scope="read")
    client = Client(headers=bearer(secret))
    assert client.get("/api/v1/people").status_code == 200
    response = client.post(BATCH, DRY_RUN, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["error"]["message"].startswith("This API token is read-only")
    refused = AuditEvent.objects.get(action="request.refused")
    assert refused.details == {"status": 403, "method": "POST", "path": BATCH}
    assert refused.organisation == members["admin"].organisation


def test_a_read_write_token_may_write(members):
    _, secret = make_token(members["admin"], scope="read_write")
    response = Client(headers=bearer(secret)).post(BATCH, DRY_RUN, content_type="application/json")
    assert response.status_code == 200


# --- throttling per client IP ---------------------------------------------------------------------


def test_failed_tokens_from_one_address_are_throttled_and_others_are_not(members, settings):
    settings.BELLWETHER_THROTTLE_TOKEN_FAILURES = 3
    _, good = make_token(members["leader"])
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    for n in range(3):
        assert attacker.get("/api/v1/framework", headers=bearer(f"bw_guess{n}")).status_code == 401
    response = attacker.get("/api/v1/framework", headers=bearer("bw_guess4"))
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert response.json()["error"]["message"] == (
        "Too many failed API token attempts from your address. Try again in 15 minutes."
    )
    assert 14 * 60 <= int(response["Retry-After"]) <= 15 * 60
    # Only failures are throttled: a good token is served, from anywhere.
    assert attacker.get("/api/v1/framework", headers=bearer(good)).status_code == 200
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert other.get("/api/v1/framework", headers=bearer("bw_typo")).status_code == 401
    reasons = list(
        AuditEvent.objects.filter(action="token.auth_failed")
        .order_by("id")
        .values_list("details__reason", flat=True)
    )
    assert reasons == ["unknown", "unknown", "unknown", "throttled", "unknown"]
    assert not AuditEvent.objects.filter(action="request.refused").exists()


def test_the_token_throttle_slides_with_time(members, settings):
    settings.BELLWETHER_THROTTLE_TOKEN_FAILURES = 2
    client = Client(REMOTE_ADDR="203.0.113.9")
    start = timezone.now()
    client.get("/api/v1/framework", headers=bearer("bw_one"))
    with frozen_at(start + timedelta(minutes=10)):
        client.get("/api/v1/framework", headers=bearer("bw_two"))
    with frozen_at(start + timedelta(minutes=14)):
        assert client.get("/api/v1/framework", headers=bearer("bw_x")).status_code == 429
    # The first failure has left the 15-minute window: one more try is allowed.
    with frozen_at(start + timedelta(minutes=15, seconds=5)):
        assert client.get("/api/v1/framework", headers=bearer("bw_y")).status_code == 401
    with frozen_at(start + timedelta(minutes=60)):
        client.get("/api/v1/framework", headers=bearer("bw_three"))
    # Old hits are cleared as new ones come, so the table does not grow without bound.
    assert ThrottleHit.objects.count() == 1


def test_successful_token_calls_are_never_throttled(members, settings):
    settings.BELLWETHER_THROTTLE_TOKEN_FAILURES = 2
    _, good = make_token(members["leader"])
    client = Client(headers=bearer(good))
    assert {client.get("/api/v1/framework").status_code for _ in range(5)} == {200}
    assert not ThrottleHit.objects.exists()


# --- the settings page -----------------------------------------------------------------------------


def test_the_settings_page_shows_a_new_secret_exactly_once(client_for, members):
    client = client_for("coach")
    response = client.post(
        "/accounts/settings/tokens/",
        {"name": "reporting", "scope": "read_write", "expires_in_days": "30"},
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(membership=members["coach"])
    assert (token.scope, (token.expires_at - timezone.now()).days) == ("read_write", 29)
    secret = response.context["new_secret"]
    assert token.digest == digest(secret)
    assert secret in response.content.decode()
    assert secret not in client.get("/accounts/settings/").content.decode()


def test_the_settings_page_refuses_a_lifetime_it_does_not_offer(client_for):
    response = client_for("coach").post(
        "/accounts/settings/tokens/", {"name": "x", "scope": "read", "expires_in_days": "5000"}
    )
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_settings_page_shows_scope_expiry_and_expired_tokens(client_for, members):
    make_token(members["coach"], days=7)
    with frozen_at(timezone.now() + timedelta(days=8)):
        page = client_for("coach").get("/accounts/settings/").content.decode()
    assert "Read only" in page
    assert ">expired<" in page


def test_the_settings_page_revokes_your_own_token(client_for, members):
    token, _ = make_token(members["coach"])
    response = client_for("coach").post(
        f"/accounts/settings/tokens/{token.pk}/revoke/", {"confirmed": "yes"}
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_settings_page_will_not_revoke_someone_elses_token(client_for, members):
    token, _ = make_token(members["admin"])
    response = client_for("coach").post(
        f"/accounts/settings/tokens/{token.pk}/revoke/", {"confirmed": "yes"}
    )
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("role", ["admin", "sponsor", "leader", "coach", "reviewer"])
def test_every_role_may_manage_their_own_tokens(client_for, role):
    response = client_for(role).get("/accounts/settings/")
    assert response.status_code == 200
    assert b"API tokens" in response.content
