"""An admin's journey in a real Chromium: fill a leader's barrier checklist, generate the
plan, edit it (field, action added and completed, status), download the PDF; the barrier
frequency chart draws."""

from __future__ import annotations

import subprocess
from typing import Any

import pytest

from bellwether.accounts.roles import Role
from bellwether.assessments.tests.factories import record_result
from bellwether.engagement import services
from bellwether.engagement.models import EngagementPlan, PlanStatus
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import ARTIFACTS, DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import (
    OrganisationFactory,
    PersonFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "admin@acme.test"


@pytest.fixture
def leader(transactional_db):
    org = OrganisationFactory(name="Acme Corp", slug="acme")
    make_member(org, Role.ADMIN, email=EMAIL)
    person = PersonFactory(
        organisation=org,
        employee_id="L001",
        name="Lena Leader",
        title="Head of Operations",
        leader_level=LeaderLevel.SENIOR,
    )
    record_result(organisation=org, person=person, total=58, failure_modes=["failure.fearful"])
    return person


def test_an_admin_generates_edits_and_downloads_a_plan(page_at, live_server, leader, tmp_path):
    base = live_server.url
    page = page_at(DESKTOP)
    sign_in(page, base, EMAIL)

    page.goto(f"{base}/engagement/")
    page.get_by_role("link", name="Lena Leader").click()
    page.wait_for_url(f"**/engagement/leaders/{leader.pk}/")
    page.get_by_role("link", name="Barrier checklist").click()
    page.get_by_label("Skill Gap Anxiety").select_option("primary")
    page.get_by_label("Risk Aversion").select_option("secondary")
    page.get_by_label("Employee resistance and change management burden").select_option("primary")
    page.get_by_role("button", name="Save the checklist").click()
    page.wait_for_url(f"**/engagement/leaders/{leader.pk}/barriers/")
    assert "The checklist is saved (3 changes)." in page.content()
    screenshot(page, "engagement-barriers")

    page.goto(f"{base}/engagement/leaders/{leader.pk}/")
    page.get_by_role("button", name="Generate plan").click()
    page.wait_for_url(f"**/engagement/leaders/{leader.pk}/")
    assert page.get_by_text("The plan is generated.").is_visible()
    assert page.locator(".period").count() == 4
    assert page.locator(".period li[data-action-id]").count() == 12
    assert "Supporter" in page.locator("#summary-title + dl").inner_text()

    page.get_by_label("Resource constraints").fill("Two hours a week until the audit ends")
    page.get_by_role("button", name="Save the plan").click()
    page.wait_for_url(f"**/engagement/leaders/{leader.pk}/")
    page.get_by_label("Action", exact=True).fill("Visit the claims pilot with the coach")
    page.get_by_label("Period").select_option("action_period.month_2")
    page.get_by_role("button", name="Add action").click()
    page.wait_for_url(f"**/engagement/leaders/{leader.pk}/")
    page.locator(".period li[data-action-id='a1']").get_by_role("button", name="Mark done").click()
    page.wait_for_url(f"**/engagement/leaders/{leader.pk}/")
    page.locator("select[name=status]").select_option("active")
    page.get_by_role("button", name="Set status").click()
    page.wait_for_url(f"**/engagement/leaders/{leader.pk}/")
    assert (
        "Visit the claims pilot with the coach"
        in page.locator("#actions-title ~ .period").nth(2).inner_text()
    )
    assert page.locator(".action-done").count() == 1
    assert "Status Draft → Active" in page.locator("#history-title + .table-wrap").inner_text()
    screenshot(page, "engagement-plan")

    with page.expect_download() as info:
        page.get_by_role("link", name="Download PDF").click()
    target = tmp_path / "plan.pdf"
    info.value.save_as(target)
    assert target.read_bytes().startswith(b"%PDF")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(target), str(ARTIFACTS / "engagement-plan-pdf")],
        check=True,
    )

    plan = EngagementPlan.objects.get(person=leader)
    assert plan.status == PlanStatus.ACTIVE
    assert plan.content["obstacles"]["resource_constraints"].startswith("Two hours")
    assert plan.revisions.count() == 5

    page.goto(f"{base}/engagement/")
    row = page.locator("tbody tr", has_text="Lena Leader")
    assert "Active" in row.inner_text()
    assert "Cautious" in row.inner_text()
    screenshot(page, "engagement-list")

    page.goto(f"{base}/framework/")
    rules = page.locator("#engagement-rules + p + .table-wrap")
    assert rules.locator("tbody tr").count() > 20
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#engagement").screenshot(path=str(ARTIFACTS / "engagement-framework-rules.png"))

    page.goto(f"{base}/engagement/barriers/")
    page.wait_for_function("document.getElementById('barrier-chart').width > 0")
    screenshot(page, "engagement-frequency")

    phone = page_at(PHONE)
    sign_in(phone, base, EMAIL)
    phone.goto(f"{base}/engagement/leaders/{leader.pk}/")
    screenshot(phone, "engagement-plan-phone")
    assert not page.js_errors
    assert not phone.js_errors


def test_removing_an_action_asks_first_and_can_be_reinstated(page_at, live_server, leader):
    plan = services.generate_plan(person=leader, actor=None)
    first = plan.content["actions"][0]
    base = live_server.url
    page = page_at(DESKTOP)
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/engagement/leaders/{leader.pk}/")
    row = page.locator(f'li[data-action-id="{first["id"]}"]')
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    row.get_by_role("button", name="Remove").click()
    assert asked
    assert asked[0].startswith("Remove this action from the plan?")
    plan.refresh_from_db()
    assert first["id"] in [a["id"] for a in plan.content["actions"]]

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Remove").click()
    page.get_by_text("Removed actions (1)").wait_for()
    plan.refresh_from_db()
    assert first["id"] not in [a["id"] for a in plan.content["actions"]]

    page.get_by_text("Removed actions (1)").click()  # open the disclosure
    page.get_by_test_id("removed-actions").get_by_role("button", name="Reinstate").click()
    page.locator(f'li[data-action-id="{first["id"]}"]').wait_for()
    plan.refresh_from_db()
    assert first["id"] in [a["id"] for a in plan.content["actions"]]
    assert page.get_by_test_id("removed-actions").count() == 0
