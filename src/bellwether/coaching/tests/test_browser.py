"""Coaching in a real Chromium: an admin assigns a coach to a leader; the coach (on a
phone) records a session whose action item carries into the next one."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bellwether.accounts.models import Assignment
from bellwether.accounts.roles import Role
from bellwether.coaching import services
from bellwether.coaching.models import ActionItem
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import DESKTOP, PHONE, open_menu, screenshot, sign_in
from bellwether.testing.factories import PersonFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(org):
    admin = make_member(org, Role.ADMIN, email="admin@acme.test")
    coach = make_member(org, Role.COACH, email="coach@acme.test")
    leader = PersonFactory(
        organisation=org, employee_id="L001", name="Lena Leader", leader_level=LeaderLevel.SENIOR
    )
    return {"org": org, "admin": admin, "coach": coach, "leader": leader}


def test_an_admin_assigns_a_coach_to_a_leader(page_at, live_server, world):
    base = live_server.url
    page = page_at(DESKTOP)
    sign_in(page, base, "admin@acme.test")
    open_menu(page, "Coaching")
    page.get_by_role("link", name="Assign coaches and reviewers").click()
    page.get_by_label("Coach or reviewer").select_option(label="coach@acme.test (coach)")
    # The leaders field is the shared type-ahead: typed, listed, picked with the keyboard.
    leaders = page.get_by_role("combobox", name="Leaders")
    leaders.press_sequentially("lena")
    option = page.get_by_role("option", name="Lena Leader")
    option.wait_for()
    assert leaders.get_attribute("aria-expanded") == "true"
    leaders.press("ArrowDown")
    assert leaders.get_attribute("aria-activedescendant") == option.get_attribute("id")
    leaders.press("Enter")
    assert leaders.input_value() == "l001@example.com, "
    assert leaders.get_attribute("aria-expanded") == "false"
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_text("1 assignment made.").wait_for()
    current = page.locator("section", has=page.get_by_role("heading", name="Current assignments"))
    assert "Lena Leader" in current.inner_text()
    screenshot(page, "coaching-assigned")
    assert Assignment.objects.filter(
        membership=world["coach"], person=world["leader"], kind="coachee"
    ).exists()


def test_a_coach_records_a_session_whose_items_carry_into_the_next(page_at, live_server, world):
    services.assign(
        organisation=world["org"],
        actor=world["admin"],
        membership=world["coach"],
        people=[world["leader"]],
    )
    today = timezone.localdate()
    programme = services.start_programme(
        actor=world["coach"], person=world["leader"], start_date=today - dt.timedelta(days=7)
    )
    base = live_server.url
    page = page_at(PHONE)
    sign_in(page, base, "coach@acme.test")
    page.goto(f"{base}/coaching/")
    page.get_by_role("link", name="Lena Leader").first.click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_role("button", name="Add session").click()
    page.get_by_role("heading", name="Session 1").wait_for()
    page.get_by_label("New action item 1").fill("Use the assistant for the weekly report")
    page.locator("#id_notes").fill("Good start.")
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Session 1 is saved.").wait_for()
    page.get_by_role("link", name="Coaching: Lena Leader").click()
    page.get_by_label("Date").fill((today + dt.timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Add session").click()
    page.get_by_role("heading", name="Session 2").wait_for()
    carried = page.locator("section", has=page.get_by_role("heading", name="Carried action items"))
    assert "Use the assistant for the weekly report" in carried.inner_text()
    assert "carried 1×" in carried.inner_text()
    screenshot(page, "coaching-carried-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert ActionItem.objects.get(programme=programme).carries == 1
