"""In a real Chromium: an admin generates a leader's plan and agrees it; the leader, on a
phone, agrees it too and ticks a module done; their coach records the 30-day review."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.development import services
from bellwether.development.models import LearningPlan, MilestoneReview, PlanStatus
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import (
    OrganisationFactory,
    PersonFactory,
    assign,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@acme.test"
LEADER = "lena@acme.test"
COACH = "coach@acme.test"


@pytest.fixture
def leader(transactional_db):
    org = OrganisationFactory(name="Acme Corp", slug="acme")
    make_member(org, Role.ADMIN, email=ADMIN)
    person = PersonFactory(
        organisation=org, employee_id="L001", name="Lena Leader", leader_level=LeaderLevel.SENIOR
    )
    make_member(org, Role.LEADER, email=LEADER, person=person)
    coach = make_member(org, Role.COACH, email=COACH)
    assign(coach, person, Assignment.Kind.COACHEE)
    return person


def test_generate_agree_and_tick_a_module(page_at, live_server, leader):
    base = live_server.url
    admin = page_at(DESKTOP)
    sign_in(admin, base, ADMIN)
    admin.goto(f"{base}/development/plans/")
    admin.get_by_test_id(f"generate-{leader.pk}").click()
    admin.wait_for_url("**/development/plans/*/")
    assert admin.get_by_text("A draft plan is generated for Lena Leader.").is_visible()
    admin.get_by_role("button", name="Agree this plan").click()
    assert admin.get_by_text("Your agreement is recorded.").is_visible()
    plan = LearningPlan.objects.get(person=leader)
    assert plan.status == PlanStatus.DRAFT
    assert plan.reviewer_agreed_at is not None

    phone = page_at(PHONE)
    sign_in(phone, base, LEADER)
    phone.goto(f"{base}/development/")
    phone.wait_for_url(f"**/development/plans/{plan.pk}/")
    phone.get_by_role("button", name="Agree this plan").click()
    assert phone.get_by_test_id("plan-status").inner_text() == "Agreed"
    item = plan.items.filter(month=1).order_by("position").first()
    row = phone.get_by_test_id(f"item-{item.pk}")
    row.get_by_text("Tick done").click()
    row.get_by_label("Hours spent").fill("3")
    row.get_by_role("button", name="Mark done").click()
    assert phone.get_by_text("The module is ticked done.").is_visible()
    screenshot(phone, "development-my-plan-phone")
    item.refresh_from_db()
    assert item.completed_on is not None
    assert item.hours_spent == 3
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    assert not phone.js_errors


def test_a_coach_records_the_30_day_review(page_at, live_server, leader):
    start = timezone.localdate() - datetime.timedelta(days=35)
    plan = services.generate_plan(person=leader, actor=None, start=start)
    for email in (LEADER, COACH):
        services.agree_plan(plan=plan, membership=Membership.objects.get(user__email=email))
    base = live_server.url
    coach = page_at(DESKTOP)
    sign_in(coach, base, COACH)
    coach.goto(f"{base}/development/plans/")
    # The review is due (overdue): the coach's list says so and leads to the plan.
    coach.get_by_role("link", name="Lena Leader").first.click()
    coach.wait_for_url(f"**/development/plans/{plan.pk}/")
    review = coach.get_by_test_id("milestone-milestoneday_30")
    assert "30-day check-in" in review.inner_text()
    review.get_by_label("Rating").select_option(label="On track")
    review.get_by_label("Notes").fill("Good start on the literacy modules")
    review.get_by_role("button", name="Record").click()
    assert coach.get_by_text("The review is recorded.").is_visible()
    recorded = MilestoneReview.objects.get(plan=plan, key="milestone.day_30")
    assert (recorded.rating, recorded.notes) == (
        "milestone_rating.on_track",
        "Good start on the literacy modules",
    )
    assert recorded.reviewer.email == COACH
    assert recorded.reviewed_on == timezone.localdate()
    assert "On track" in coach.get_by_test_id("milestone-milestoneday_30").inner_text()
    # The 60-day review is not due yet, and still open for the coach to record later.
    assert (
        coach.get_by_test_id("milestone-milestoneday_60")
        .get_by_role("button", name="Record")
        .is_visible()
    )
    screenshot(coach, "development-coach-review")
    assert not coach.js_errors
