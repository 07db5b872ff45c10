"""The engagement API: barriers, frequency, plans (list, generate, get, patch, status,
reviews); refusals change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bellwether.engagement.models import BarrierMark, EngagementPlan
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/engagement"


def test_a_coach_fills_barriers_generates_and_edits_a_plan(members, coachee):
    client = api_client_for(members["coach"])
    response = client.put(
        f"{BASE}/barriers/{coachee.pk}",
        {
            "marks": {
                "barrier.risk_aversion": "primary",
                "concern.operational.customer_impact": "secondary",
            }
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    data = response.json()
    marked = {line["key"]: line["weight"] for line in data["lines"] if line["weight"]}
    assert marked == {
        "barrier.risk_aversion": "primary",
        "concern.operational.customer_impact": "secondary",
    }
    assert len(data["history"]) == 2

    response = client.post(
        f"{BASE}/plans/{coachee.pk}/generate",
        {"start_date": "2026-01-05", "resource_constraints": "Half a day a week"},
        content_type="application/json",
    )
    assert response.status_code == 200
    plan = response.json()
    assert plan["status"] == "draft"
    assert plan["next_review_due"] == "2026-01-12"
    content = plan["content"]
    assert content["obstacles"]["resource_constraints"] == "Half a day a week"
    risk = next(s for s in content["strategies"] if s["key"].endswith("risk_mitigation"))
    assert risk["chosen"]
    assert risk["rules"][0] == "engagement_rule.risk_aversion_safety_nets"
    action_id = content["actions"][0]["id"]

    response = client.patch(
        f"{BASE}/plans/{coachee.pk}",
        {
            "role": "Claims team lead",
            "add_actions": [
                {"period": "action_period.weeks_3_4", "text": "Sit with the pilot team"}
            ],
            "complete_actions": [action_id],
        },
        content_type="application/json",
    )
    assert response.status_code == 200
    content = response.json()["content"]
    assert content["role"] == "Claims team lead"
    assert content["actions"][0]["done"] is True
    assert content["actions"][-1]["rule"] == "manual"

    response = client.post(
        f"{BASE}/plans/{coachee.pk}/status", {"status": "active"}, content_type="application/json"
    )
    assert response.json()["status"] == "active"
    response = client.post(
        f"{BASE}/plans/{coachee.pk}/reviews",
        {"cadence_key": "engagement_review.weekly_check_in", "due_date": "2026-01-12"},
        content_type="application/json",
    )
    assert response.status_code == 200
    body = response.json()
    assert body["next_review_due"] == "2026-01-19"
    assert [h["action"] for h in body["history"]] == ["review", "status", "edited", "generated"]


def test_the_list_and_frequency(members, coachee, leader_person):
    admin = api_client_for(members["admin"])
    admin.post(f"{BASE}/plans/{coachee.pk}/generate", content_type="application/json")
    listing = admin.get(f"{BASE}/plans").json()
    assert listing["count"] == 2
    by_name = {item["name"]: item for item in listing["items"]}
    assert by_name["Colin Coachee"]["status"] == "draft"
    assert by_name["Lena Leader"]["status"] is None
    assert by_name["Lena Leader"]["band"] is None
    assert admin.get(f"{BASE}/plans", {"status": "none"}).json()["count"] == 1
    BarrierMark.objects.create(
        organisation=coachee.organisation,
        person=coachee,
        key="barrier.change_fatigue",
        weight="primary",
    )
    rows = admin.get(f"{BASE}/barriers/frequency").json()["rows"]
    fatigue = next(r for r in rows if r["key"] == "barrier.change_fatigue")
    assert fatigue["counts"]["operational"] == 1


def test_invalid_input_is_a_400_and_changes_nothing(members, coachee):
    client = api_client_for(members["admin"])
    response = client.put(
        f"{BASE}/barriers/{coachee.pk}",
        {"marks": {"concern.executive.investor_skepticism": "primary"}},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "concern.executive.investor_skepticism" in response.json()["error"]["fields"]
    assert not BarrierMark.objects.exists()
    assert client.get(f"{BASE}/plans/{coachee.pk}").status_code == 404
    client.post(f"{BASE}/plans/{coachee.pk}/generate", content_type="application/json")
    response = client.patch(
        f"{BASE}/plans/{coachee.pk}",
        {"target_band": "band.mythic"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert EngagementPlan.objects.get(person=coachee).revisions.count() == 1


def test_a_removed_action_is_reinstated_over_the_api(members, coachee):
    """The API twin of the page's "Reinstate": the action comes back with its text, an
    unknown one is refused in words and changes nothing."""
    client = api_client_for(members["coach"])
    plan = client.post(f"{BASE}/plans/{coachee.pk}/generate", content_type="application/json")
    first = plan.json()["content"]["actions"][0]
    removed = client.patch(
        f"{BASE}/plans/{coachee.pk}",
        {"remove_actions": [first["id"]]},
        content_type="application/json",
    ).json()
    assert first["id"] not in [a["id"] for a in removed["content"]["actions"]]
    assert [a["id"] for a in removed["content"]["removed_actions"]] == [first["id"]]
    revisions = EngagementPlan.objects.get(person=coachee).revisions.count()

    refused = client.patch(
        f"{BASE}/plans/{coachee.pk}",
        {"reinstate_actions": ["no-such-action"]},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert refused.json()["error"]["message"] == "There is no such removed action in this plan."
    assert EngagementPlan.objects.get(person=coachee).revisions.count() == revisions

    back = client.patch(
        f"{BASE}/plans/{coachee.pk}",
        {"reinstate_actions": [first["id"]]},
        content_type="application/json",
    )
    assert back.status_code == 200, back.content
    actions = {a["id"]: a["text"] for a in back.json()["content"]["actions"]}
    assert actions[first["id"]] == first["text"]
    assert not back.json()["content"].get("removed_actions")
    assert "reinstated" in str(back.json()["history"][0]["diff"])
    leader = api_client_for(members["leader"])
    assert leader.patch(
        f"{BASE}/plans/{coachee.pk}",
        {"reinstate_actions": [first["id"]]},
        content_type="application/json",
    ).status_code in (403, 404)


def test_the_leader_may_read_their_own_plan_but_not_edit_it(members, leader_person):
    api_client_for(members["admin"]).post(
        f"{BASE}/plans/{leader_person.pk}/generate", content_type="application/json"
    )
    leader = api_client_for(members["leader"])
    assert leader.get(f"{BASE}/plans/{leader_person.pk}").status_code == 200
    response = leader.patch(
        f"{BASE}/plans/{leader_person.pk}", {"role": "Boss"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert (
        leader.put(
            f"{BASE}/barriers/{leader_person.pk}",
            {"marks": {"barrier.change_fatigue": "secondary"}},
            content_type="application/json",
        ).status_code
        == 200
    )


@pytest.fixture
def three_plans(org, unit, coachee, leader_person):
    """Colin (operational) has a draft plan past its review, Lena (senior) no plan, and
    Eve (executive) an active plan due later."""
    from django.utils import timezone

    from bellwether.engagement import services
    from bellwether.people.models import LeaderLevel
    from bellwether.testing.factories import PersonFactory

    eve = PersonFactory(
        organisation=org, name="Eve Exec", org_unit=unit, leader_level=LeaderLevel.EXECUTIVE
    )
    services.generate_plan(person=coachee, actor=None, start=datetime.date(2020, 1, 6))
    plan = services.generate_plan(person=eve, actor=None, start=timezone.localdate())
    services.set_status(plan=plan, actor=None, status="active")
    return {"colin": coachee, "lena": leader_person, "eve": eve}


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, {"Colin Coachee", "Eve Exec", "Lena Leader"}),
        ({"status": "draft"}, {"Colin Coachee"}),
        ({"status": "active"}, {"Eve Exec"}),
        ({"status": "none"}, {"Lena Leader"}),
        ({"level": "senior"}, {"Lena Leader"}),
        ({"level": "executive"}, {"Eve Exec"}),
        ({"q": "colin"}, {"Colin Coachee"}),
        ({"q": "e"}, {"Colin Coachee", "Eve Exec", "Lena Leader"}),
        ({"overdue": "true"}, {"Colin Coachee"}),
        ({"status": "active", "overdue": "true"}, set()),
        ({"level": "executive", "q": "eve", "status": "active"}, {"Eve Exec"}),
    ],
)
def test_the_plans_api_honours_every_filter_of_the_plans_page(
    members, three_plans, client_for, filters, expected
):
    listing = api_client_for(members["admin"]).get(f"{BASE}/plans", filters).json()
    assert {item["name"] for item in listing["items"]} == expected
    assert listing["count"] == len(expected)
    page_filters = {**filters, "overdue": "1"} if "overdue" in filters else filters
    html = client_for("admin").get(reverse("engagement:home"), page_filters).content.decode()
    for person in three_plans.values():
        assert (person.name in html) == (person.name in expected)


def test_the_plans_api_refuses_an_unknown_level_or_status(members, three_plans):
    client = api_client_for(members["admin"])
    assert client.get(f"{BASE}/plans", {"level": "intern"}).status_code == 422
    assert client.get(f"{BASE}/plans", {"status": "lost"}).status_code == 422
