"""Pages: the plans list (filters, query count), the plan page and its forms, the
barrier checklist, barrier frequency, the PDF and the person-page panel."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from bellwether.accounts.roles import Role
from bellwether.assessments.tests.factories import record_result
from bellwether.engagement import services
from bellwether.engagement.models import BarrierMark, EngagementPlan, PlanStatus
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory, make_member

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)


def test_the_plans_list_shows_status_band_and_overdue_in_few_queries(
    org, unit, leader_person, coachee, client_for, django_assert_max_num_queries
):
    leaders = [
        PersonFactory(
            organisation=org, name=f"Leader {i:02}", org_unit=unit, leader_level=LeaderLevel.SENIOR
        )
        for i in range(12)
    ]
    for i, person in enumerate(leaders):
        record_result(organisation=org, person=person, total=40 + 4 * i)
        plan = services.generate_plan(person=person, actor=None, start=START)
        if i % 3 == 0:
            services.set_status(plan=plan, actor=None, status=PlanStatus.ACTIVE)
    client = client_for("admin")
    url = reverse("engagement:home")
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Leader 00" in html
    assert "Skeptical" in html
    assert "overdue" in html
    assert "Not assessed" in html  # leader_person and the coachee
    active = client.get(url, {"status": "active"}).content.decode()
    assert "Leader 03" in active
    assert "Leader 01" not in active
    none = client.get(url, {"status": "none"}).content.decode()
    assert "Lena Leader" in none
    assert "Leader 01" not in none
    overdue = client.get(url, {"overdue": "1"}).content.decode()
    assert "Leader 01" in overdue
    assert "Lena Leader" not in overdue


def test_a_leader_sees_only_their_own_plan_in_the_list(client_for, leader_person, coachee):
    html = client_for("leader").get(reverse("engagement:home")).content.decode()
    assert "Lena Leader" in html
    assert "Colin Coachee" not in html
    coach = client_for("coach").get(reverse("engagement:home")).content.decode()
    assert "Colin Coachee" in coach
    assert "Lena Leader" not in coach


def test_an_admin_generates_edits_and_reviews_a_plan_through_the_page(client_for, coachee):
    client = client_for("admin")
    pk = coachee.pk
    page = client.get(reverse("engagement:plan", args=[pk])).content.decode()
    assert "No plan yet" in page
    assert "Generate plan" in page
    response = client.post(reverse("engagement:generate", args=[pk]), follow=True)
    assert "The plan is generated." in response.content.decode()
    plan = EngagementPlan.objects.get(person=coachee)
    html = client.get(reverse("engagement:plan", args=[pk])).content.decode()
    assert "Executive AI Engagement Plan" in html
    assert "Week 1-2" in html
    assert "Missing: Colin Coachee has no behaviour check-in yet" in html
    assert "Rules behind this plan" in html
    client.post(
        reverse("engagement:edit", args=[pk]),
        {
            "role": "Team Lead, claims",
            "target_band": "band.supporter",
            "timeline_text": "Q1",
            "resource_constraints": "Busy season",
            "strategies_shown": "1",
            "strategies": ["engagement_strategy.personal_education"],
        },
    )
    client.post(
        reverse("engagement:action", args=[pk]),
        {"op": "add", "period": "action_period.month_3", "text": "Present at the town hall"},
    )
    first = plan.content["actions"][0]["id"]
    client.post(reverse("engagement:action", args=[pk]), {"op": "complete", "action_id": first})
    client.post(reverse("engagement:status", args=[pk]), {"status": "active"})
    client.post(
        reverse("engagement:review", args=[pk]),
        {"cadence_key": plan.next_review_key, "due_date": plan.next_review_due.isoformat()},
    )
    plan.refresh_from_db()
    assert plan.content["role"] == "Team Lead, claims"
    assert plan.content["obstacles"]["resource_constraints"] == "Busy season"
    assert [s["key"] for s in plan.content["strategies"] if s["chosen"]] == [
        "engagement_strategy.personal_education"
    ]
    assert plan.content["actions"][-1]["text"] == "Present at the town hall"
    assert plan.content["actions"][0]["done"] is True
    assert plan.status == PlanStatus.ACTIVE
    assert plan.reviews.count() == 1
    assert plan.revisions.count() == 6
    history = client.get(reverse("engagement:plan", args=[pk])).content.decode()
    assert "Status Draft → Active" in history


def test_a_bad_edit_shows_the_reason(client_for, coachee):
    client = client_for("admin")
    services.generate_plan(person=coachee, actor=None, start=START)
    response = client.post(
        reverse("engagement:action", args=[coachee.pk]),
        {"op": "add", "period": "action_period.month_9", "text": "x"},
        follow=True,
    )
    assert "Choose an action period of Template 1." in response.content.decode()


def test_the_sponsor_reads_but_has_no_edit_forms(client_for, coachee):
    services.generate_plan(person=coachee, actor=None, start=START)
    html = client_for("sponsor").get(reverse("engagement:plan", args=[coachee.pk])).content.decode()
    assert "Executive AI Engagement Plan" in html
    assert "Edit the plan" not in html
    assert "Regenerate plan" not in html
    assert (
        client_for("sponsor").post(reverse("engagement:generate", args=[coachee.pk])).status_code
        == 403
    )


def test_a_leader_fills_their_own_checklist_but_not_their_plan(client_for, leader_person):
    client = client_for("leader")
    url = reverse("engagement:barriers", args=[leader_person.pk])
    page = client.get(url).content.decode()
    assert "Functional Leadership Concerns" in page
    assert "Skill Gap Anxiety" in page
    response = client.post(
        url,
        {
            "mark-barrier.skill_gap_anxiety": "primary",
            "mark-concern.senior.change_burden": "secondary",
        },
        follow=True,
    )
    assert "The checklist is saved (2 changes)." in response.content.decode()
    assert dict(BarrierMark.objects.values_list("key", "weight")) == {
        "barrier.skill_gap_anxiety": "primary",
        "concern.senior.change_burden": "secondary",
    }
    assert "leader@acme.test" in client.get(url).content.decode()
    assert client.post(reverse("engagement:generate", args=[leader_person.pk])).status_code == 403


def test_the_sponsor_may_not_change_a_checklist(client_for, coachee):
    url = reverse("engagement:barriers", args=[coachee.pk])
    assert (
        client_for("sponsor").post(url, {"mark-barrier.risk_aversion": "primary"}).status_code
        == 403
    )
    assert not BarrierMark.objects.exists()


def test_the_frequency_page_has_a_chart_and_a_table(client_for, coachee):
    services.set_barriers(person=coachee, actor=None, marks={"barrier.change_fatigue": "primary"})
    html = client_for("sponsor").get(reverse("engagement:frequency")).content.decode()
    assert 'id="barrier-chart"' in html
    assert "engagement/frequency.js" in html
    assert "barrier-chart-data" in html
    assert "Change Fatigue" in html


def test_the_pdf_is_a_pdf(client_for, coachee):
    services.generate_plan(person=coachee, actor=None, start=START)
    response = client_for("coach").get(reverse("engagement:pdf", args=[coachee.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_pdf_without_a_plan_goes_back_to_the_page(client_for, coachee):
    response = client_for("admin").get(reverse("engagement:pdf", args=[coachee.pk]))
    assert response.status_code == 302


def test_the_person_page_has_the_engagement_panel(client_for, coachee, org):
    plan = services.generate_plan(person=coachee, actor=None, start=START)
    services.set_barriers(person=coachee, actor=None, marks={"barrier.risk_aversion": "primary"})
    html = client_for("admin").get(reverse("people:detail", args=[coachee.pk])).content.decode()
    assert 'id="engagement"' in html
    assert "Risk Aversion (primary)" in html
    assert reverse("engagement:plan", args=[coachee.pk]) in html
    assert plan.get_status_display() in html
    # A reviewer sees the person but not the plan panel.
    reviewer = (
        client_for("reviewer").get(reverse("people:detail", args=[coachee.pk])).content.decode()
    )
    assert 'id="engagement"' not in reviewer


def test_an_executive_sponsor_member_is_a_sponsor_for_the_plan(org, unit):
    executive = PersonFactory(
        organisation=org, name="Eve Exec", org_unit=unit, leader_level=LeaderLevel.EXECUTIVE
    )
    make_member(org, Role.SPONSOR, email="eve@acme.test", person=executive)
    plan = services.generate_plan(person=executive, actor=None, start=START)
    assert plan.content["target_label"] == "Champion"
