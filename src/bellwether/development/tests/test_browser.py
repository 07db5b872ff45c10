"""In a real Chromium: an admin generates a leader's plan and agrees it; the leader, on a
phone, agrees it too and ticks a module done."""

from __future__ import annotations

import pytest

from bellwether.accounts.roles import Role
from bellwether.development.models import LearningPlan, PlanStatus
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import DESKTOP, PHONE, screenshot
from bellwether.testing.factories import (
    TEST_PASSWORD,
    OrganisationFactory,
    PersonFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@acme.test"
LEADER = "lena@acme.test"


@pytest.fixture
def leader(transactional_db):
    org = OrganisationFactory(name="Acme Corp", slug="acme")
    make_member(org, Role.ADMIN, email=ADMIN)
    person = PersonFactory(
        organisation=org, employee_id="L001", name="Lena Leader", leader_level=LeaderLevel.SENIOR
    )
    make_member(org, Role.LEADER, email=LEADER, person=person)
    return person


def sign_in(page, base_url: str, email: str) -> None:
    page.goto(f"{base_url}/")
    form = page.locator("form:has(input[type=password])")
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(TEST_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


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
