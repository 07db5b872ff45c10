"""The API twins of the plan and workshop pages: swapping a module, recording a milestone
review, and every outcome of a workshop; bad input is a clear 4xx that saves nothing.
The workshop page's agenda form."""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.core.models import AuditEvent, Organisation
from bellwether.development import services
from bellwether.development.models import (
    Commitment,
    LearningPlan,
    MilestoneReview,
    PlanItem,
    ResourceCommitment,
    VisionMetric,
    VisionStatement,
    Workshop,
    WorkshopInvite,
)
from bellwether.development.tests.factories import active_plan, peer_circle
from bellwether.development.tests.test_workshops import _held
from bellwether.framework.catalogue import MILESTONE_RATINGS
from bellwether.people.models import Person
from bellwether.testing.factories import api_client_for

BASE = "/api/v1/development"
START = datetime.date(2026, 1, 5)
ON_TRACK = MILESTONE_RATINGS[1].key


def _send(client: Client, url: str, body: Any, method: str = "post") -> Any:
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _state() -> dict[str, Any]:
    """Every row a refused call must leave as it was."""
    return {
        "items": sorted(PlanItem.objects.values_list("id", "key", "removed_at")),
        "reviews": sorted(MilestoneReview.objects.values_list("id", "reviewed_on", "rating")),
        "agendas": sorted((w.pk, json.dumps(w.agenda)) for w in Workshop.objects.all()),
        "attended": sorted(WorkshopInvite.objects.values_list("id", "attended")),
        "statements": sorted(VisionStatement.objects.values_list("id", "adopted_at")),
        "metrics": VisionMetric.objects.count(),
        "resources": sorted(ResourceCommitment.objects.values_list("id", "allocated_on")),
        "commitments": Commitment.objects.count(),
        "audit": AuditEvent.objects.exclude(action="permission.denied").count(),
    }


@pytest.fixture
def peer_learning(members: dict[str, Membership], coachee: Person) -> tuple[LearningPlan, PlanItem]:
    """The coachee's active plan and its month-1 peer learning item."""
    plan = active_plan(coachee)
    return plan, plan.items.get(key="plan.month_1.peer_learning")


# --- plans ------------------------------------------------------------------------------------


def test_a_coach_swaps_a_module_over_the_api_and_an_unknown_one_is_refused(
    members: dict[str, Membership], coachee: Person, peer_learning: tuple[LearningPlan, PlanItem]
) -> None:
    plan, item = peer_learning
    api = api_client_for(members["coach"])
    before = _state()
    refused = _send(api, f"{BASE}/plans/{plan.pk}/items/{item.pk}/swap", {"module_key": "x.nope"})
    assert refused.status_code == 400
    assert "Unknown module" in refused.json()["error"]["message"]
    assert _state() == before
    own = peer_circle(coachee.organisation)
    done = _send(api, f"{BASE}/plans/{plan.pk}/items/{item.pk}/swap", {"module_key": own.key})
    assert done.status_code == 200, done.content
    items = {i["key"]: i for i in done.json()["items"]}
    assert items[own.key]["planned_hours"] == 2
    assert not items[own.key]["removed"]
    assert items["plan.month_1.peer_learning"]["removed"]
    # The leader may tick modules but not swap them.
    leader_plan = active_plan(members["leader"].person)  # type: ignore[arg-type]
    mine = leader_plan.items.first()
    assert mine is not None
    answer = _send(
        api_client_for(members["leader"]),
        f"{BASE}/plans/{leader_plan.pk}/items/{mine.pk}/swap",
        {"module_key": own.key},
    )
    assert answer.status_code == 403


def test_a_coach_takes_an_item_off_the_plan_and_puts_it_back_over_the_api(
    members: dict[str, Membership], peer_learning: tuple[LearningPlan, PlanItem]
) -> None:
    plan, item = peer_learning
    api = api_client_for(members["coach"])
    before = _state()
    # Putting back an item still on the plan, the leader taking one off, an unknown item:
    # refused in words, nothing changed.
    refused = _send(api, f"{BASE}/plans/{plan.pk}/items/{item.pk}/restore", {})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "conflict"
    assert "already on the plan" in refused.json()["error"]["message"]
    leader = api_client_for(members["leader"])
    assert _send(leader, f"{BASE}/plans/{plan.pk}/items/{item.pk}/remove", {}).status_code in (
        403,
        404,
    )
    missing = _send(api, f"{BASE}/plans/{plan.pk}/items/999999/remove", {})
    assert missing.status_code == 400
    assert missing.json()["error"]["message"] == "There is no such item on this plan."
    assert _state() == before

    removed = _send(api, f"{BASE}/plans/{plan.pk}/items/{item.pk}/remove", {})
    assert removed.status_code == 200, removed.content
    assert {i["key"]: i["removed"] for i in removed.json()["items"]}[item.key] is True
    again = _send(api, f"{BASE}/plans/{plan.pk}/items/{item.pk}/remove", {})
    assert again.json()["error"]["code"] == "conflict"
    back = _send(api, f"{BASE}/plans/{plan.pk}/items/{item.pk}/restore", {})
    assert back.status_code == 200, back.content
    assert {i["key"]: i["removed"] for i in back.json()["items"]}[item.key] is False
    assert list(
        AuditEvent.objects.filter(
            action__in=["development.plan_item_removed", "development.plan_item_restored"]
        )
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["development.plan_item_removed", "development.plan_item_restored"]
    # Another organisation's admin does not find the plan.
    far = _send(
        api_client_for(members["outsider"]), f"{BASE}/plans/{plan.pk}/items/{item.pk}/remove", {}
    )
    assert far.status_code == 404


def test_a_milestone_review_is_recorded_once_with_a_known_rating(
    members: dict[str, Membership], coachee: Person
) -> None:
    plan = active_plan(coachee)
    key = plan.milestones.order_by("due").first().key  # type: ignore[union-attr]
    api = api_client_for(members["coach"])
    url = f"{BASE}/plans/{plan.pk}/milestones"
    before = _state()
    for body, message in (
        ({"key": key, "rating": "great"}, "Choose a rating"),
        ({"key": "milestone.nope", "rating": ON_TRACK}, "Unknown milestone"),
        ({"key": key, "rating": ON_TRACK, "reviewed_on": "2025-12-01"}, "plan's start"),
    ):
        refused = _send(api, url, body)
        assert refused.status_code == 400, body
        assert message in refused.json()["error"]["message"]
    assert _send(api, url, {"key": key, "rating": 5}).status_code == 422
    assert _state() == before
    done = _send(api, url, {"key": key, "rating": ON_TRACK, "notes": "Good start"})
    assert done.status_code == 200, done.content
    review = next(m for m in done.json()["milestones"] if m["key"] == key)
    assert review["rating"] == ON_TRACK
    assert review["notes"] == "Good start"
    assert review["reviewed_on"] == timezone.localdate().isoformat()
    again = _send(api, url, {"key": key, "rating": ON_TRACK})
    assert again.status_code == 400
    assert "already recorded" in again.json()["error"]["message"]


# --- workshops --------------------------------------------------------------------------------


def test_an_admin_records_every_outcome_of_a_workshop_over_the_api(
    members: dict[str, Membership], org: Organisation, coachee: Person, leader_person: Person
) -> None:
    active_plan(coachee)
    workshop = _held(org, [coachee.pk, leader_person.pk])
    api = api_client_for(members["admin"])
    url = f"{BASE}/workshops/{workshop.pk}"

    came = _send(api, f"{url}/attendance", {"attended": [coachee.pk]})
    assert came.status_code == 200, came.content
    assert {a["person_id"]: a["attended"] for a in came.json()["attendance"]} == {
        coachee.pk: True,
        leader_person.pk: False,
    }
    assert came.json()["held_at"] is not None

    proposed = _send(api, f"{url}/vision", {"text": "AI in every team by 2027"})
    assert proposed.status_code == 200
    assert proposed.json()["adopted_at"] is None
    statement_id = proposed.json()["id"]
    adopted = api.post(f"{BASE}/vision/{statement_id}/adopt")
    assert adopted.status_code == 200
    assert adopted.json()["adopted_at"] is not None
    assert api.get(f"{BASE}/vision").json()["id"] == statement_id

    metric = _send(api, f"{url}/metrics", {"kpi_key": "kpi.executive_fluency", "target": "80%"})
    assert metric.status_code == 200, metric.content
    assert metric.json()["metrics"][0]["kpi_key"] == "kpi.executive_fluency"

    resource = _send(
        api,
        f"{url}/resources",
        {
            "description": "Copilot licences",
            "amount": 12000.5,
            "owner_id": leader_person.pk,
            "due": "2026-03-01",
        },
    )
    assert resource.status_code == 200, resource.content
    row = resource.json()["resources"][0]
    assert row["amount"] == "12000.50"
    assert row["allocated_on"] is None
    today = timezone.localdate().isoformat()
    allocated = _send(api, f"{BASE}/resources/{row['id']}/allocated", {"allocated_on": today})
    assert allocated.status_code == 200
    assert allocated.json()["allocated_on"] == today

    committed = _send(
        api, f"{url}/commitments", {"person_id": coachee.pk, "text": "Run a pilot", "due": None}
    )
    assert committed.status_code == 200, committed.content
    commitment = committed.json()["commitments"][0]
    assert commitment["person_id"] == coachee.pk
    assert commitment["plan_item_id"] is not None  # on the coachee's open plan

    detail = api.get(url)
    assert detail.status_code == 200
    assert detail.json()["open_actions"] == 1  # the commitment; the resource is allocated
    assert AuditEvent.objects.filter(action="development.vision_adopted").count() == 1


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("attendance", {"attended": ["x"]}, 422, ""),
        ("vision", {"text": "   "}, 400, "Write the vision"),
        ("metrics", {"kpi_key": "kpi.nope", "target": "80%"}, 400, "Choose a KPI"),
        ("metrics", {"kpi_key": "kpi.executive_fluency", "target": ""}, 400, "Give the target"),
        (
            "resources",
            {"description": "Money", "amount": -5, "owner_id": 1, "due": "2026-03-01"},
            422,
            "",
        ),
        (
            "resources",
            {"description": "", "owner_id": 1, "due": "2026-03-01"},
            400,
            "Describe the commitment",
        ),
        ("commitments", {"person_id": 10**9, "text": "x"}, 400, "Choose a leader"),
        ("commitments", {"person_id": 1, "text": "x", "extra": 1}, 422, ""),
        ("agenda", {"agenda": [{"title": "Roles", "minutes": 9999}]}, 400, "between 5 and"),
        ("agenda", {"agenda": [{"title": " ", "minutes": 30}]}, 400, "needs a title"),
        ("agenda", {"agenda": []}, 400, "at least one item"),
    ],
)
def test_bad_workshop_outcomes_are_refused_and_save_nothing(
    members: dict[str, Membership],
    org: Organisation,
    leader_person: Person,
    path: str,
    body: dict[str, Any],
    status: int,
    message: str,
) -> None:
    workshop = _held(org, [leader_person.pk])
    api = api_client_for(members["admin"])
    before = _state()
    method = "put" if path == "agenda" else "post"
    answer = _send(api, f"{BASE}/workshops/{workshop.pk}/{path}", body, method)
    assert answer.status_code == status, answer.content
    assert message in answer.json()["error"]["message"]
    assert _state() == before


def test_refused_attendance_allocation_and_adoption_save_nothing(
    members: dict[str, Membership], org: Organisation, leader_person: Person, bystander: Person
) -> None:
    workshop = _held(org, [leader_person.pk])
    resource = services.add_resource(
        workshop=workshop,
        actor=None,
        description="Budget",
        amount=None,
        owner_id=leader_person.pk,
        due=datetime.date(2026, 3, 1),
    )
    statement = services.propose_vision(organisation=org, actor=None, text="One")
    services.adopt_vision(statement=statement, actor=None)
    api = api_client_for(members["admin"])
    before = _state()
    not_invited = _send(
        api, f"{BASE}/workshops/{workshop.pk}/attendance", {"attended": [bystander.pk]}
    )
    assert "Only invited leaders" in not_invited.json()["error"]["message"]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = _send(api, f"{BASE}/resources/{resource.pk}/allocated", {"allocated_on": tomorrow})
    assert "in the future" in future.json()["error"]["message"]
    twice = api.post(f"{BASE}/vision/{statement.pk}/adopt")
    assert "already adopted" in twice.json()["error"]["message"]
    assert {not_invited.status_code, future.status_code, twice.status_code} == {400}
    # A sponsor sees the workshop but records nothing; another organisation's admin
    # does not find it.
    sponsor = api_client_for(members["sponsor"])
    assert sponsor.get(f"{BASE}/workshops/{workshop.pk}").status_code == 200
    assert (
        _send(sponsor, f"{BASE}/workshops/{workshop.pk}/vision", {"text": "Two"}).status_code == 403
    )
    outsider = api_client_for(members["outsider"])
    assert outsider.post(f"{BASE}/vision/{statement.pk}/adopt").status_code == 404
    assert (
        _send(
            outsider, f"{BASE}/resources/{resource.pk}/allocated", {"allocated_on": "2026-01-01"}
        ).status_code
        == 404
    )
    assert _state() == before


# --- the workshop page's agenda form ----------------------------------------------------------


def test_the_workshop_page_edits_the_agenda_and_refuses_a_bad_line(
    client_for: Callable[[str], Client],
    members: dict[str, Membership],
    org: Organisation,
    leader_person: Person,
) -> None:
    workshop = _held(org, [leader_person.pk])
    admin = client_for("admin")
    page = admin.get(f"/development/workshops/{workshop.pk}/").content.decode()
    assert "Edit the agenda" in page
    assert 'name="minutes"' in page
    url = f"/development/workshops/{workshop.pk}/outcome/"
    saved = admin.post(
        url,
        {"op": "agenda", "title": ["Opening", "Roles", "", ""], "minutes": ["15", "90", "", ""]},
        follow=True,
    )
    assert "Recorded." in saved.content.decode()
    workshop.refresh_from_db()
    assert workshop.agenda == [
        {"title": "Opening", "minutes": 15},
        {"title": "Roles", "minutes": 90},
    ]
    assert AuditEvent.objects.filter(action="development.workshop_agenda_edited").count() == 1
    refused = admin.post(
        url, {"op": "agenda", "title": ["Opening", "Roles"], "minutes": ["15", "2"]}, follow=True
    )
    assert "Each agenda item lasts between 5 and 480 minutes." in refused.content.decode()
    empty = admin.post(url, {"op": "agenda", "title": [""], "minutes": [""]}, follow=True)
    assert "at least one item" in empty.content.decode()
    workshop.refresh_from_db()
    assert [line["title"] for line in workshop.agenda] == ["Opening", "Roles"]
    # Sponsors and leaders read the agenda without the form.
    assert (
        "Edit the agenda"
        not in client_for("sponsor").get(f"/development/workshops/{workshop.pk}/").content.decode()
    )


def test_plans_come_in_cursor_pages_and_a_changed_cursor_is_a_400(
    members: dict[str, Membership], coachee: Person, leader_person: Person
) -> None:
    plans = [active_plan(p) for p in (coachee, leader_person)]
    api = api_client_for(members["admin"])
    seen: list[int] = []
    cursor = ""
    while True:
        response = api.get(f"{BASE}/plans", {"limit": "1", "cursor": cursor})
        assert response.status_code == 200, response.content
        seen += [row["id"] for row in response.json()]
        cursor = str(response.headers.get("X-Next-Cursor") or "")
        if not cursor:
            break
    assert sorted(seen) == sorted(p.pk for p in plans)
    assert len(seen) == len(set(seen))
    refused = api.get(f"{BASE}/plans", {"cursor": "not-a-cursor"})
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "invalid_cursor"
