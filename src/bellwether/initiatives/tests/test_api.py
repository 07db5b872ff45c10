"""The initiatives API: what each call does, and its refusals change nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent
from bellwether.initiatives.models import BottleneckTeam, GateReview, Initiative, Measurement
from bellwether.initiatives.tests.factories import add_impact, add_reply_right, make_scale_ready
from bellwether.testing.factories import api_client_for, make_member

pytestmark = pytest.mark.django_db

BASE = "/api/v1/initiatives"


@pytest.fixture
def executive_api(org, executive) -> Client:
    """The initiative's sponsor, an executive who is a leader member."""
    return api_client_for(make_member(org, Role.LEADER, email="eve@acme.test", person=executive))


def test_a_sponsor_registers_an_initiative_with_its_eight_gates(members, executive) -> None:
    response = api_client_for(members["sponsor"]).post(
        BASE,
        {
            "name": "Credit limits",
            "archetype": "archetype.ml_decisioning",
            "sponsor_id": executive.pk,
            "horizon": "H2",
        },
        content_type="application/json",
    )
    assert response.status_code == 201
    body = response.json()
    assert (body["name"], body["stage"], body["horizon"], body["gates_total"]) == (
        "Credit limits",
        "stage.idea",
        "H2",
        8,
    )
    assert len(body["gates"]) == 8
    assert body["learning_only"] is True


def test_a_bad_archetype_gets_the_house_error(members, executive) -> None:
    response = api_client_for(members["admin"]).post(
        BASE,
        {"name": "X", "archetype": "nope", "sponsor_id": executive.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": "invalid",
            "message": "Unknown archetype “nope”.",
            "fields": {"archetype": ["Unknown archetype “nope”."]},
        }
    }
    assert Initiative.objects.count() == 0


def test_the_leader_sees_only_initiatives_they_sign_or_own(
    members, initiative, org, executive, leader_person
) -> None:
    client = api_client_for(members["leader"])
    assert client.get(BASE).json() == {"items": []}
    initiative.operational_owner = leader_person
    initiative.save()
    assert [i["id"] for i in client.get(BASE).json()["items"]] == [initiative.pk]


def test_coaches_see_no_initiatives(members) -> None:
    assert api_client_for(members["coach"]).get(BASE).status_code == 403


def test_a_measurement_push_is_idempotent(members, initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    metric = initiative.metrics.get(layer="layer.counter_metric")
    client = api_client_for(members["admin"])
    batch = {
        "measurements": [
            {"metric_id": metric.pk, "measured_at": f"2026-01-0{d}T00:00:00Z", "value": 10 + d}
            for d in range(1, 4)
        ]
    }
    url = f"{BASE}/{initiative.pk}/measurements"
    first = client.post(url, batch, content_type="application/json")
    rows = list(Measurement.objects.order_by("pk").values())
    again = client.post(url, batch, content_type="application/json")
    assert first.json() == {"created": 3, "updated": 0, "unchanged": 0}
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3}
    assert list(Measurement.objects.order_by("pk").values()) == rows
    detail = client.get(f"{BASE}/{initiative.pk}").json()
    assert [a["kind"] for a in detail["alerts"]] == ["guardrail", "weak_chain"]


def test_a_naive_timestamp_is_refused(members, initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    metric = initiative.metrics.first()
    response = api_client_for(members["admin"]).post(
        f"{BASE}/{initiative.pk}/measurements",
        {
            "measurements": [
                {"metric_id": metric.pk, "measured_at": "2026-01-01T00:00:00", "value": 1}
            ]
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "measurements[1].measured_at": [
            "Value error, give the time with its time zone, e.g. 2026-03-01T09:00:00Z"
        ]
    }
    assert Measurement.objects.count() == 0


def test_an_offset_no_database_can_store_is_normalised_to_utc(members, initiative) -> None:
    # ISO 8601 allows -17:43; PostgreSQL does not. The API stores every time in UTC.
    response = api_client_for(members["admin"]).post(
        f"{BASE}/decisions",
        {"title": "Fund the pilot", "requested_at": "2026-08-22T01:51:33-17:43"},
        content_type="application/json",
    )
    assert response.status_code in {200, 201}


def test_a_year_outside_the_stored_range_is_refused(members, initiative) -> None:
    response = api_client_for(members["admin"]).post(
        f"{BASE}/decisions",
        {"title": "Fund the pilot", "requested_at": "0326-08-22T01:51:33Z"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {
        "requested_at": ["Value error, the year must be between 1900 and 2200"]
    }


def test_the_stage_change_refusal_lists_what_is_missing(initiative, executive_api) -> None:
    response = executive_api.post(
        f"{BASE}/{initiative.pk}/stage",
        {"stage": "stage.scale_ready"},
        content_type="application/json",
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "not_scale_ready"
    assert len(error["fields"]["stage"]) == 11
    assert error["fields"]["stage"][-1] == "Non-negotiable: Incident process is open."
    initiative.refresh_from_db()
    assert initiative.stage == "stage.idea"


def test_the_executive_sponsor_completes_the_gates_and_moves_to_scale_ready(
    initiative, executive, executive_api
) -> None:
    make_scale_ready(initiative, executive)
    GateReview.objects.filter(initiative=initiative, key="gate.data_rights").update(
        status="open", endorsed_by=None
    )
    url = f"{BASE}/{initiative.pk}/gates/gate.data_rights"
    assert (
        executive_api.post(
            f"{url}/evidence", {"text": "DPA signed"}, content_type="application/json"
        ).json()["status"]
        == "evidence_submitted"
    )
    endorsed = executive_api.post(f"{url}/endorse").json()
    assert (endorsed["status"], endorsed["endorsed_by"]["name"]) == ("endorsed", "Eve Executive")
    response = executive_api.post(
        f"{BASE}/{initiative.pk}/stage",
        {"stage": "stage.scale_ready"},
        content_type="application/json",
    )
    assert response.json() == {"id": initiative.pk, "stage": "stage.scale_ready"}


def test_an_executive_records_alignment_and_gets_the_share(
    initiative, executive, executive_api
) -> None:
    from bellwether.initiatives import services

    services.set_signatories(initiative=initiative, actor=None, people=[executive])
    response = executive_api.post(
        f"{BASE}/{initiative.pk}/alignment",
        {"element": "alignment.gates", "agrees": False, "comment": "Gate 3 too strict"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["executives"], body["aligned"], body["share"]) == (1, 0, 0.0)
    assert body["disagreements"][0]["element"] == "alignment.gates"


def test_starting_beyond_the_cap_is_refused_and_only_the_sponsor_may_override(
    org, members, initiative, executive_api
) -> None:
    team = BottleneckTeam.objects.create(organisation=org, name="Security", cap=0)
    url = f"{BASE}/{initiative.pk}/teams/{team.pk}/start"
    refused = api_client_for(members["admin"]).post(url, {}, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "over_capacity"
    not_sponsor = api_client_for(members["admin"]).post(
        url, {"override_reason": "Because"}, content_type="application/json"
    )
    assert not_sponsor.status_code == 403
    assert not AuditEvent.objects.filter(action="initiative.capacity_overridden").exists()
    overridden = executive_api.post(
        url, {"override_reason": "Regulator deadline"}, content_type="application/json"
    )
    assert overridden.json() == {
        "team": "Security",
        "in_flight": True,
        "override_reason": "Regulator deadline",
    }
    capacity = api_client_for(members["sponsor"]).get(f"{BASE}/capacity").json()
    assert capacity == [
        {
            "id": team.pk,
            "name": "Security",
            "cap": 0,
            "in_flight": 1,
            "overrides": 1,
            "waiting": 0,
            "over_cap": True,
        }
    ]


def test_the_chain_answer_says_why_it_is_weak(members, initiative) -> None:
    response = api_client_for(members["admin"]).put(
        f"{BASE}/{initiative.pk}/chain",
        {
            "links": [
                {"kind": "chain.ai_output", "text": "Drafts"},
                {"kind": "chain.decision_or_workflow_step", "text": "Agent sends"},
            ]
        },
        content_type="application/json",
    )
    assert response.json()["weaknesses"] == ["The chain never reaches a business or risk outcome."]


def test_patch_sets_the_operating_model(members, initiative, bystander) -> None:
    response = api_client_for(members["admin"]).patch(
        f"{BASE}/{initiative.pk}",
        {"business_owner_id": bystander.pk, "incident_process": "Page on-call"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["business_owner"] == {"id": bystander.pk, "name": "Bea Bystander"}
    assert response.json()["incident_process"] == "Page on-call"


def test_time_to_decision_and_organisation_alignment_are_served(members) -> None:
    client = api_client_for(members["sponsor"])
    assert client.get(f"{BASE}/time-to-decision?baseline_days=10").json() == {
        "median_days": None,
        "baseline_days": 10.0,
        "change_percent": None,
        "by_month": [],
        "open_requests": 0,
    }
    assert client.get(f"{BASE}/alignment").json()["share"] is None


def test_the_decision_log_feeds_time_to_decision(members, initiative, executive) -> None:
    client = api_client_for(members["sponsor"])
    created = client.post(
        f"{BASE}/decisions",
        {
            "title": "Fund the eval harness",
            "initiative_id": initiative.pk,
            "requested_at": "2026-01-01T09:00:00Z",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    decision_id = created.json()["id"]
    decided = client.post(
        f"{BASE}/decisions/{decision_id}/decide",
        {"outcome": "Funded", "decided_by_id": executive.pk, "decided_at": "2026-01-05T09:00:00Z"},
        content_type="application/json",
    )
    assert decided.json()["decided_by"] == {"id": executive.pk, "name": "Eve Executive"}
    again = client.post(
        f"{BASE}/decisions/{decision_id}/decide",
        {"outcome": "Refused", "decided_by_id": executive.pk},
        content_type="application/json",
    )
    assert again.json()["error"]["code"] == "already_decided"
    result = client.get(f"{BASE}/time-to-decision?baseline_days=8").json()
    assert (result["median_days"], result["change_percent"], result["by_month"]) == (
        4.0,
        -50.0,
        [{"month": "2026-01", "median_days": 4.0}],
    )
    assert [d["outcome"] for d in client.get(f"{BASE}/decisions").json()] == ["Funded"]


def _patch(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.patch(path, body, content_type="application/json")


def test_metrics_impacts_and_rights_are_changed_through_the_api(
    members, initiative, executive
) -> None:
    from bellwether.initiatives.models import ChangeImpact, DecisionRight, Metric

    make_scale_ready(initiative, executive)
    client = api_client_for(members["sponsor"])
    metric = Metric.objects.get(name="Handling time")
    base = f"{BASE}/{initiative.pk}"
    response = _patch(client, f"{base}/metrics/{metric.pk}", {"target": 8, "guardrail": None})
    assert response.status_code == 200
    assert response.json()["target"] == 8
    # A non-nullable field sent as null, or a bad comparison: refused, nothing changes.
    for bad in ({"name": None}, {"comparison": "comparison.vibes"}, {"baseline_period": ""}):
        response = _patch(client, f"{base}/metrics/{metric.pk}", bad)
        assert response.status_code == 400, bad
        assert response.json()["error"]["fields"], bad
    metric.refresh_from_db()
    assert (metric.name, metric.comparison, metric.target) == (
        "Handling time",
        "comparison.ab_test",
        8.0,
    )

    impact = add_impact(initiative, executive)
    response = _patch(
        client,
        f"{base}/change-impacts/{impact.pk}",
        {"status": "mitigated", "owner_id": executive.pk, "mitigation": "Done"},
    )
    assert response.status_code == 200
    assert response.json()["owner"]["id"] == executive.pk
    assert ChangeImpact.objects.get().status == "mitigated"
    bad_impacts: list[dict[str, Any]] = [
        {"status": "gone"},
        {"affected_group": " "},
        {"owner_id": 10**9},
    ]
    for bad in bad_impacts:
        assert _patch(client, f"{base}/change-impacts/{impact.pk}", bad).status_code == 400

    right = add_reply_right(initiative)
    response = _patch(client, f"{base}/decision-rights/{right.pk}", {"mode": "binding"})
    assert response.json()["mode"] == "binding"
    assert _patch(client, f"{base}/decision-rights/{right.pk}", {"mode": "x"}).status_code == 400
    assert _patch(client, f"{base}/decision-rights/{right.pk}", {"decision": None}).status_code == (
        400
    )
    assert DecisionRight.objects.get().mode == "binding"

    detail = client.get(base).json()
    assert [i["status"] for i in detail["change_impacts"]] == ["mitigated"]
    assert [r["mode"] for r in detail["decision_rights"]] == ["binding"]


def test_objects_of_another_initiative_are_not_found(members, org, initiative, executive):
    from bellwether.initiatives import services

    other = services.create_initiative(
        organisation=org, actor=None, name="Other", archetype="archetype.other", sponsor=executive
    )
    metric = services.add_metric(
        initiative=other, actor=None, name="M", layer="layer.operational", direction="increase"
    )
    impact = add_impact(other, executive)
    client = api_client_for(members["admin"])
    base = f"{BASE}/{initiative.pk}"
    assert _patch(client, f"{base}/metrics/{metric.pk}", {"target": 1}).status_code == 404
    assert _patch(client, f"{base}/change-impacts/{impact.pk}", {}).status_code == 404
    assert _patch(client, f"{base}/decision-rights/{impact.pk}", {}).status_code == 404


def test_the_before_after_view_and_the_adoption_curve(members, initiative) -> None:
    client = api_client_for(members["sponsor"])
    base = f"{BASE}/{initiative.pk}"
    response = client.put(
        f"{base}/before-after",
        {"dimensions": {"before_after.accountability": {"before": "Agent", "after": "Agent+AI"}}},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "before_after.accountability": {"before": "Agent", "after": "Agent+AI"}
    }
    response = client.put(
        f"{base}/before-after",
        {"dimensions": {"before_after.nope": {"before": "a"}}},
        content_type="application/json",
    )
    assert response.status_code == 400
    initiative.refresh_from_db()
    assert list(initiative.before_after) == ["before_after.accountability"]

    samples = [
        {"cohort": cohort, "week": week, "suggestions": 100, "accepted": rate}
        for week in range(1, 9)
        for cohort, rate in (("early_adopters", 80), ("majority", 45))
    ]
    pushed = client.post(f"{base}/adoption", {"samples": samples}, content_type="application/json")
    assert pushed.json()["majority_wall"] is True
    curve = client.get(f"{base}/adoption").json()
    assert curve["majority_wall"] is True
    assert curve["wall_weeks"] == [5, 6, 7, 8]
    assert "coaching" in curve["guidance"]
    assert len(curve["samples"]) == 16
    assert curve["samples"][1]["acceptance_rate"] == 45.0


def test_the_decision_list_has_the_log_pages_filters(members, initiative, executive) -> None:
    client = api_client_for(members["sponsor"])
    for title, linked in (("Fund the eval harness", True), ("Hire an AI lead", False)):
        client.post(
            f"{BASE}/decisions",
            {"title": title, "initiative_id": initiative.pk if linked else None},
            content_type="application/json",
        )
    [first] = [d for d in client.get(f"{BASE}/decisions").json() if d["initiative_id"]]
    client.post(
        f"{BASE}/decisions/{first['id']}/decide",
        {"outcome": "Funded", "decided_by_id": executive.pk},
        content_type="application/json",
    )

    def titles(query: str) -> list[str]:
        return [d["title"] for d in client.get(f"{BASE}/decisions?{query}").json()]

    assert titles("status=open") == ["Hire an AI lead"]
    assert titles("status=decided") == ["Fund the eval harness"]
    assert titles(f"initiative_id={initiative.pk}") == ["Fund the eval harness"]
    assert titles("q=funded") == ["Fund the eval harness"]
    assert client.get(f"{BASE}/decisions?status=closed").status_code == 422


def test_an_override_by_someone_not_the_sponsor_is_refused_audited_and_changes_nothing(
    members, org, initiative
) -> None:
    team = BottleneckTeam.objects.create(organisation=org, name="Legal", cap=0)
    refusals = AuditEvent.objects.filter(action="permission.denied").count()
    response = api_client_for(members["admin"]).post(
        f"{BASE}/{initiative.pk}/teams/{team.pk}/start",
        {"override_reason": "Deadline"},
        content_type="application/json",
    )
    assert response.status_code == 403
    denied = AuditEvent.objects.filter(action="permission.denied").order_by("-pk").first()
    assert denied is not None
    assert denied.details["check"] == "initiatives.override_capacity"
    assert AuditEvent.objects.filter(action="permission.denied").count() == refusals + 1
    assert not team.demands.exists()


def test_a_team_of_another_organisation_is_not_found_and_audited(
    members, other_org, initiative
) -> None:
    team = BottleneckTeam.objects.create(organisation=other_org, name="Legal", cap=5)
    response = api_client_for(members["admin"]).post(
        f"{BASE}/{initiative.pk}/teams/{team.pk}/start", {}, content_type="application/json"
    )
    assert response.status_code == 404
    assert AuditEvent.objects.filter(
        action="permission.denied", details__check="initiatives.use_team"
    ).exists()
    assert not team.demands.exists()
