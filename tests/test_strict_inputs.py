"""Strict API inputs: a wrong body is a 4xx and nothing happens.

Unknown keys are refused (a misspelt ``dryRun`` never writes for real), JSON types are
never coerced (``true`` is not person 1, ``"5"`` is not 5), a body must be an object,
and nothing is "everyone" unless the caller says so. Each refusal is checked to leave
every table, the audit log and the outbox as they were.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from bellwether.accounts.models import ApiToken
from bellwether.accounts.tokens import digest, display_prefix, new_secret
from bellwether.assessments.models import Rater, ReadinessCycle
from bellwether.assessments.tests.helpers import launch, make_team
from bellwether.core.models import AuditEvent
from bellwether.engagement.models import EngagementPlan
from bellwether.influence.models import Tie
from bellwether.initiatives.models import DecisionLogEntry, Initiative, Measurement
from bellwether.initiatives.services import ARCHETYPES, create_initiative
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys.models import Invitation

BIG = 2**63  # one past the largest id any database here can hold


@pytest.fixture
def api(members):
    """``api(role)``: a client sending that member's API token."""

    def make(role: str) -> Client:
        secret = new_secret()
        ApiToken.objects.create(
            membership=members[role], name="t", prefix=display_prefix(secret), digest=digest(secret)
        )
        return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    return make


def _send(client: Client, method: str, url: str, body: Any) -> Any:
    raw = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(url, raw, content_type="application/json")


def _state() -> dict[str, Any]:
    """Everything a refused request must leave alone."""
    return {
        "rows": {
            model.__name__: model.objects.count()
            for model in (
                ReadinessCycle,
                Invitation,
                Rater,
                Person,
                OrgUnit,
                Initiative,
                DecisionLogEntry,
                Measurement,
                EngagementPlan,
                Tie,
            )
        },
        "audit": list(AuditEvent.objects.order_by("pk").values_list("pk", flat=True)),
        "initiatives": list(Initiative.objects.order_by("pk").values()),
        "mail": len(mail.outbox),
    }


def _refused(response: Any, before: dict[str, Any], status: int = 422) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["message"]
    assert _state() == before
    return error


# --- readiness cycles: never "every leader" unless asked ----------------------------------------


def _cycle_body(leaders: Any = ..., **extra: Any) -> dict[str, Any]:
    now = timezone.now()
    body = {
        "name": "Spring",
        "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
        "closes_at": (now + dt.timedelta(days=9)).isoformat(),
        **extra,
    }
    if leaders is not ...:
        body["leaders"] = leaders
    return body


@pytest.mark.parametrize(
    "leaders",
    [
        ...,  # left out
        None,
        {},
        [],
        [1, 2],
        5,
        "all",
        True,
        {"all": False},
        {"all": "yes"},
        {"all": 1},
        {"all": True, "leader_levels": ["senior"]},
        {"unknown": [1]},
        {"person_ids": [True]},
        {"person_ids": ["1"]},
        {"person_ids": [1.0]},
        {"person_ids": [BIG]},
        {"person_ids": [0]},
        {"person_ids": [-4]},
        {"org_unit_ids": [BIG]},
        {"person_ids": 3},
        {"leader_levels": "senior"},
    ],
)
def test_a_cycle_without_an_explicit_choice_of_leaders_invites_nobody(api, org, unit, leaders):
    make_team(org, unit)
    before = _state()
    response = _send(api("admin"), "post", "/api/v1/readiness/cycles", _cycle_body(leaders))
    error = _refused(response, before)
    assert any(key.startswith("leaders") for key in error["fields"]), error


@pytest.mark.parametrize(
    "extra",
    [
        {"sendEmail": False},  # misspelt: refused, not ignored
        {"send_email": "false"},
        {"send_email": 0},
        {"name": 5},
        {"opens_at": 1_700_000_000},
        {"opens_at": "2026-03-01T09:00:00"},  # no zone
        {"closes_at": "9999-12-31T00:00:00Z"},
        {"opens_at": "1066-10-14T09:00:00Z"},
    ],
)
def test_a_cycle_with_a_wrong_field_is_refused(api, org, unit, extra):
    make_team(org, unit)
    before = _state()
    response = _send(
        api("admin"), "post", "/api/v1/readiness/cycles", _cycle_body({"all": True}, **extra)
    )
    _refused(response, before)


@pytest.mark.parametrize("body", ["5", "[1]", '"all"', "null", "true"])
def test_a_cycle_body_that_is_not_an_object_is_refused(api, org, unit, body):
    make_team(org, unit)
    before = _state()
    _refused(_send(api("admin"), "post", "/api/v1/readiness/cycles", body), before)


def test_all_true_invites_every_active_leader_and_nobody_else(api, org, unit, members):
    team = make_team(org, unit)
    response = _send(
        api("admin"),
        "post",
        "/api/v1/readiness/cycles",
        _cycle_body({"all": True}, send_email=False),
    )
    assert response.status_code == 201, response.content
    leaders = Person.objects.filter(organisation=org, active=True).exclude(leader_level="")
    assert response.json()["leaders"] == leaders.count()
    assert team.reports[0].pk not in set(
        ReadinessCycle.objects.get().leaders.values_list("person_id", flat=True)
    )


# --- reminders: a target, said explicitly ---------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "5",
        "[1, 2]",
        "{}",
        "null",
        {"category": "peer"},
        {"all": False},
        {"all": "true"},
        {"person_id": True},
        {"person_id": "12"},
        {"person_id": BIG},
        {"person_id": 0},
        {"all": True, "person_id": 1},
        {"all": True, "leader": 1},
    ],
)
def test_a_reminder_without_an_explicit_target_reminds_nobody(api, org, unit, body):
    team = make_team(org, unit)
    cycle = launch(org, team.leaders)
    before = _state()
    response = _send(api("admin"), "post", f"/api/v1/readiness/cycles/{cycle.pk}/reminders", body)
    _refused(response, before)
    assert not AuditEvent.objects.filter(action="readiness.reminders_sent").exists()


def test_all_true_reminds_everyone_still_due(api, org, unit):
    team = make_team(org, unit)
    cycle = launch(org, team.leaders)
    response = _send(
        api("admin"), "post", f"/api/v1/readiness/cycles/{cycle.pk}/reminders", {"all": True}
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"pending": len(team.leaders)}


# --- nominations and decisions: ids are whole numbers a row can have -------------------------------


@pytest.mark.parametrize("person_id", [True, "1", 1.0, BIG, 10**30, 0, -1, None])
def test_a_nomination_with_a_bad_person_id_is_refused(api, org, unit, leader_person, person_id):
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], rater_mode="nominated")
    before = _state()
    body = {"raters": [{"person_id": person_id, "category": "peer"}]}
    _refused(
        _send(api("leader"), "post", f"/api/v1/readiness/cycles/{cycle.pk}/nominations", body),
        before,
    )
    assert team.boss.pk  # the team exists, so a coerced id could have matched someone


@pytest.mark.parametrize("rater_ids", [[True], [BIG], [0], [-3], ["1"], 7, []])
def test_a_nomination_decision_with_bad_ids_is_refused(api, org, unit, leader_person, rater_ids):
    make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], rater_mode="nominated")
    before = _state()
    body = {"rater_ids": rater_ids, "decision": "approve"}
    _refused(
        _send(
            api("admin"), "post", f"/api/v1/readiness/cycles/{cycle.pk}/nominations/decision", body
        ),
        before,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/readiness/cycles/{big}",
        "/api/v1/readiness/cycles/0",
        "/api/v1/readiness/cycles/{cycle}/leaders/{big}/raters",
        "/api/v1/readiness/bands/{big}",
        "/api/v1/readiness/leaders/{big}/report",
        "/api/v1/readiness/organisation/heatmap?cycle_id={big}",
        "/api/v1/readiness/organisation/transitions?from_cycle_id=0",
        "/api/v1/readiness/cycles/{cycle}/leaders?offset={big}",
        "/api/v1/initiatives/{big}",
        "/api/v1/engagement/plans/{big}",
        "/api/v1/influence/profiles/{big}",
        "/api/v1/surveys/campaigns/{big}",
    ],
)
def test_an_id_past_the_database_in_a_url_is_a_clear_4xx(api, org, unit, url):
    team = make_team(org, unit)
    cycle = launch(org, team.leaders)
    response = api("admin").get(url.format(big=BIG, cycle=cycle.pk))
    assert response.status_code in {404, 422}, response.content
    assert response.json()["error"]["message"]


def _initiative(org: Any, sponsor: Person) -> Initiative:
    return create_initiative(
        organisation=org,
        actor=None,
        name="Triage",
        archetype=sorted(ARCHETYPES)[0],
        sponsor=sponsor,
    )


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Buy?", "initiative_id": BIG},
        {"title": "Buy?", "initiative_id": True},
        {"title": "Buy?", "initiative_id": 0},
        {"title": "Buy?", "requested_at": "9999-12-31T23:59:59Z"},
        {"title": "Buy?", "requested_at": "2026-01-01"},
        {"title": "Buy?", "requested": "2026-01-01T00:00:00Z"},
        {"title": 5},
    ],
)
def test_a_bad_decision_request_is_refused(api, org, leader_person, body):
    _initiative(org, leader_person)
    before = _state()
    _refused(_send(api("admin"), "post", "/api/v1/initiatives/decisions", body), before)


@pytest.mark.parametrize("decided_by_id", [BIG, True, 0, -1, "1"])
def test_recording_a_decision_by_a_bad_person_id_is_refused(api, org, leader_person, decided_by_id):
    _send(api("admin"), "post", "/api/v1/initiatives/decisions", {"title": "Buy?"})
    entry = DecisionLogEntry.objects.get()
    before = _state()
    body = {"outcome": "yes", "decided_by_id": decided_by_id}
    _refused(
        _send(api("admin"), "post", f"/api/v1/initiatives/decisions/{entry.pk}/decide", body),
        before,
    )


# --- initiative PATCH ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"name": None},
        {"problem": None},
        {"raci": None},
        {"business_owner_id": BIG},
        {"business_owner_id": True},
        {"model_owner_id": 0},
        {"raci": {"monitoring": "everyone"}},
        {"raci": {"monitoring": {"responsible": 5}}},
        {"raci": ["monitoring"]},
        {"name": "x" * 201},
        {"horizon": "H12"},
        {"stage": "scaling"},  # not changed here: refused, not ignored
        {"nmae": "Typo"},
        "[]",
        "7",
    ],
)
def test_a_bad_initiative_patch_is_refused_and_changes_nothing(api, org, leader_person, body):
    initiative = _initiative(org, leader_person)
    before = _state()
    response = _send(api("admin"), "patch", f"/api/v1/initiatives/{initiative.pk}", body)
    assert response.status_code in {400, 422}, response.content
    assert _state() == before


def test_clearing_an_owner_with_null_still_works(api, org, leader_person):
    initiative = _initiative(org, leader_person)
    client = api("admin")
    set_owner = {"business_owner_id": leader_person.pk}
    assert (
        _send(client, "patch", f"/api/v1/initiatives/{initiative.pk}", set_owner).status_code == 200
    )
    cleared = _send(
        client, "patch", f"/api/v1/initiatives/{initiative.pk}", {"business_owner_id": None}
    )
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["business_owner"] is None


@pytest.mark.parametrize(
    "sample",
    [
        {"cohort": "majority", "week": 1, "suggestions": 2**31, "accepted": 0},
        {"cohort": "majority", "week": 1, "suggestions": 10, "accepted": 1, "active_users": 2**40},
        {"cohort": "majority", "week": 99999, "suggestions": 1, "accepted": 0},
        {"cohort": "majority", "week": True, "suggestions": 1, "accepted": 0},
    ],
)
def test_adoption_counts_past_the_column_are_refused(api, org, leader_person, sample):
    initiative = _initiative(org, leader_person)
    before = _state()
    url = f"/api/v1/initiatives/{initiative.pk}/adoption"
    _refused(_send(api("admin"), "post", url, {"samples": [sample]}), before)


@pytest.mark.parametrize(
    "point",
    [
        {"metric_id": 1, "measured_at": "9999-12-31T00:00:00Z", "value": 1},
        {"metric_id": 1, "measured_at": "2026-01-01T00:00:00Z", "value": "1"},
        {"metric_id": BIG, "measured_at": "2026-01-01T00:00:00Z", "value": 1},
        {"metric_id": 1, "measured_at": "2026-01-01T00:00:00Z", "value": 1, "unit": "%"},
    ],
)
def test_bad_measurements_are_refused(api, org, leader_person, point):
    initiative = _initiative(org, leader_person)
    before = _state()
    url = f"/api/v1/initiatives/{initiative.pk}/measurements"
    _refused(_send(api("admin"), "post", url, {"measurements": [point]}), before)


# --- batch imports --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/people/batch", "/api/v1/org-units/batch"])
@pytest.mark.parametrize(
    "extra",
    [{"dryRun": True}, {"dry-run": True}, {"dry_run": "true"}, {"dry_run": 1}, {"dry_run": None}],
)
def test_a_misspelt_or_mistyped_dry_run_writes_nothing(api, members, path, extra):
    records = [{"employee_id": "N1", "name": "New", "code": "NU"}]
    if path.endswith("people/batch"):
        records = [{"employee_id": "N1", "name": "New"}]
    else:
        records = [{"code": "NU", "name": "New unit"}]
    before = _state()
    error = _refused(_send(api("admin"), "post", path, {"records": records, **extra}), before)
    assert error["code"] == "invalid"


@pytest.mark.parametrize(
    "records",
    [
        [{"employee_id": "N1", "name": {"first": "N"}}],
        [{"employee_id": "N1", "name": ["N"]}],
        [{"employee_id": "N1", "name": "N", "active": 1.5}],
        [5],
        ["N1"],
        "N1",
        None,
    ],
)
def test_a_people_batch_with_values_no_cell_could_hold_is_refused(api, members, records):
    before = _state()
    _refused(_send(api("admin"), "post", "/api/v1/people/batch", {"records": records}), before)


@pytest.mark.parametrize(
    "record",
    [
        {"employee_id": "N1", "name": "N", "start_date": "9999-12-31"},
        {"employee_id": "N1", "name": "N", "start_date": "0001-01-01"},
        {"employee_id": "N1", "name": "N", "manager": str(BIG)},
        {"employee_id": str(BIG), "name": "N", "org_unit": "x" * 5000},
        {"employee_id": "N1", "name": "N", "email": "a@b.c" * 300},
    ],
)
def test_a_people_batch_with_values_out_of_range_is_refused_whole(api, members, record):
    before = _state()
    response = _send(api("admin"), "post", "/api/v1/people/batch", {"records": [record]})
    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid_records"
    assert _state() == before


# --- ids: true is not person 1 ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "body"),
    [
        ("/api/v1/influence/ties", {"source_id": True, "target_id": 2}),
        ("/api/v1/influence/ties", {"source_id": "1", "target_id": "2"}),
        ("/api/v1/influence/ties", {"source_id": BIG, "target_id": 1}),
        ("/api/v1/influence/planner-runs", {"k": True}),
        ("/api/v1/influence/planner-runs", {"seed": 1.0}),
        ("/api/v1/influence/analysis", {"force": "yes"}),
        ("/api/v1/initiatives", {"name": "X", "archetype": "a", "sponsor_id": True}),
        ("/api/v1/tokens", {"name": "x", "expires": "never"}),
        ("/api/v1/tokens", {"name": 5}),
    ],
)
def test_mistyped_ids_and_flags_are_refused(api, members, url, body):
    before = _state()
    _refused(_send(api("admin"), "post", url, body), before)


# --- engagement plans: the calendar the domain uses ----------------------------------------------


@pytest.mark.parametrize(
    "start", ["9999-12-31", "9999-12-01", "1066-10-14", "2026-13-01", "20260101", 20260101]
)
def test_a_plan_starting_outside_the_calendar_is_refused(api, members, leader_person, start):
    before = _state()
    url = f"/api/v1/engagement/plans/{leader_person.pk}/generate"
    _refused(_send(api("admin"), "post", url, {"start_date": start}), before)


def test_the_plan_service_refuses_year_9999_too(leader_person):
    from bellwether.core.errors import DomainError
    from bellwether.engagement import services

    with pytest.raises(DomainError, match="between 1900 and 2200"):
        services.generate_plan(person=leader_person, actor=None, start=dt.date(9999, 12, 31))
    assert not EngagementPlan.objects.exists()
