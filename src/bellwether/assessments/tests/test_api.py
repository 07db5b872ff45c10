"""The readiness API: cycles, progress, raters, nominations, reminders, bands."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bellwether.assessments.models import Rater, ReadinessCycle
from bellwether.assessments.tests.factories import record_result
from bellwether.assessments.tests.helpers import launch, make_team, rate
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/readiness"


def test_launch_and_follow_a_cycle(members, team) -> None:
    admin = api_client_for(members["admin"])
    now = timezone.now()
    response = admin.post(
        f"{BASE}/cycles",
        {
            "name": "API readiness",
            "opens_at": (now - dt.timedelta(hours=1)).isoformat(),
            "closes_at": (now + dt.timedelta(days=9)).isoformat(),
            "rater_mode": "assigned",
            "leaders": {"leader_levels": ["executive"], "person_ids": [team.leaders[0].pk]},
            "send_email": False,
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["leaders"] == 2
    assert created["self_invited"] == 2
    assert created["status"] == "open"
    cycle_id = created["id"]
    lead = team.leaders[0]
    raters = admin.post(
        f"{BASE}/cycles/{cycle_id}/leaders/{lead.pk}/raters",
        {"raters": [{"person_id": p.pk, "category": "direct_report"} for p in team.reports]},
        content_type="application/json",
    )
    assert raters.status_code == 201
    assert len(raters.json()) == 3
    cycle = ReadinessCycle.objects.get(pk=cycle_id)
    rate(cycle, team.reports[0], lead, 4)
    detail = admin.get(f"{BASE}/cycles/{cycle_id}").json()
    by_category = {row["category"]: row for row in detail["by_category"]}
    assert by_category["direct_report"] == {
        "category": "direct_report",
        "invited": 3,
        "completed": 1,
    }
    leaders = admin.get(f"{BASE}/cycles/{cycle_id}/leaders").json()
    assert {row["person_id"] for row in leaders} == {lead.pk, team.boss.pk}
    listed = admin.get(f"{BASE}/cycles/{cycle_id}/leaders/{lead.pk}/raters").json()
    assert {r["status"] for r in listed} == {"approved"}
    assert "answers" not in listed[0]
    assert "completed" not in listed[0]
    suggestions = admin.get(f"{BASE}/cycles/{cycle_id}/leaders/{lead.pk}/suggestions").json()
    assert {s["category"] for s in suggestions} == {"manager", "peer"}
    reminders = admin.post(
        f"{BASE}/cycles/{cycle_id}/reminders",
        {"person_id": lead.pk, "category": "direct_report"},
        content_type="application/json",
    )
    assert reminders.json() == {"pending": 2}
    assert len(admin.get(f"{BASE}/cycles").json()) == 1


def test_launch_errors_are_400_with_a_message(members, org) -> None:
    now = timezone.now()
    response = api_client_for(members["admin"]).post(
        f"{BASE}/cycles",
        {
            "name": "Nobody",
            "opens_at": now.isoformat(),
            "closes_at": (now + dt.timedelta(days=1)).isoformat(),
            "leaders": {"leader_levels": ["executive"]},
        },
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "no active leader" in response.json()["error"]["message"]


def test_nominations_and_decisions(members, org, unit, leader_person) -> None:
    team = make_team(org, unit, lead=leader_person)
    cycle = launch(org, [leader_person], rater_mode="nominated")
    leader = api_client_for(members["leader"])
    response = leader.post(
        f"{BASE}/cycles/{cycle.pk}/nominations",
        {"raters": [{"person_id": team.boss.pk, "category": "manager"}]},
        content_type="application/json",
    )
    assert response.status_code == 201
    (row,) = response.json()
    assert row["status"] == "proposed"
    decided = api_client_for(members["admin"]).post(
        f"{BASE}/cycles/{cycle.pk}/nominations/decision",
        {"rater_ids": [row["id"]], "decision": "approve"},
        content_type="application/json",
    )
    assert decided.json()[0]["status"] == "approved"
    assert Rater.objects.get(pk=row["id"]).invitation is not None


def test_bands_per_role(members, org, leader_person, coachee, bystander) -> None:
    record_result(organisation=org, person=leader_person, total=80)
    record_result(organisation=org, person=coachee, total=50, self_reported=True)
    record_result(organisation=org, person=bystander, total=95)
    admin = api_client_for(members["admin"]).get(f"{BASE}/bands").json()
    assert {b["person_id"] for b in admin} == {leader_person.pk, coachee.pk, bystander.pk}
    mine = api_client_for(members["leader"]).get(f"{BASE}/bands").json()
    assert [b["band_key"] for b in mine] == ["band.supporter"]
    coach = api_client_for(members["coach"]).get(f"{BASE}/bands").json()
    assert [(b["person_id"], b["self_reported"]) for b in coach] == [(coachee.pk, True)]
    one = api_client_for(members["coach"]).get(f"{BASE}/bands/{coachee.pk}")
    assert one.json()["band_name"] == "Skeptical"
    assert api_client_for(members["coach"]).get(f"{BASE}/bands/{bystander.pk}").status_code == 404
    assert api_client_for(members["reviewer"]).get(f"{BASE}/bands").status_code == 403


def test_bands_come_in_pages_by_person_id(members, org, django_assert_num_queries) -> None:
    from bellwether.testing.factories import PersonFactory

    people = [PersonFactory.create(organisation=org, leader_level="senior") for _ in range(5)]
    for n, person in enumerate(people):
        record_result(organisation=org, person=person, total=40 + 10 * n)
    admin = api_client_for(members["admin"])
    seen: list[int] = []
    cursor = ""
    while True:
        response = admin.get(f"{BASE}/bands", {"limit": "2", "cursor": cursor})
        assert response.status_code == 200
        seen += [b["person_id"] for b in response.json()]
        cursor = str(response.headers.get("X-Next-Cursor") or "")
        if not cursor:
            assert "Link" not in response.headers
            break
        assert 'rel="next"' in response.headers["Link"]
    assert seen == sorted(p.pk for p in people)
    # Every page costs the same queries, whatever its depth.
    first = admin.get(f"{BASE}/bands", {"limit": 2})
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as on_first:
        first = admin.get(f"{BASE}/bands", {"limit": 2})
    with CaptureQueriesContext(connection) as on_second:
        admin.get(f"{BASE}/bands", {"limit": "2", "cursor": str(first.headers["X-Next-Cursor"])})
    assert len(on_second) == len(on_first)
    changed = admin.get(f"{BASE}/bands", {"cursor": str(first.headers["X-Next-Cursor"]) + "x"})
    assert changed.status_code == 400
    assert changed.json()["error"]["code"] == "invalid_cursor"
    assert admin.get(f"{BASE}/bands", {"limit": 5000}).status_code == 422
