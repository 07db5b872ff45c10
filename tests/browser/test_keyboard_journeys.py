"""Keyboard-only journeys in a real Chromium: a rater completes a 360 questionnaire and
an employee submits a pulse using only Tab, Space, the arrow keys and Enter (no mouse,
no typing), from the personal link each of them is sent."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bellwether.assessments import services as readiness
from bellwether.framework import catalogue
from bellwether.people.models import LeaderLevel
from bellwether.surveys.models import Ballot, Completion, Invitation
from bellwether.surveys.tests.helpers import launch, people_in, token_for
from bellwether.testing.a11y import serious_violations
from bellwether.testing.browser import DESKTOP, PHONE, screenshot
from bellwether.testing.factories import PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FOCUSED_RADIO = "document.activeElement.type === 'radio' ? document.activeElement.name : null"


def tab_until(page, check: str, *, limit: int = 40):  # type: ignore[no-untyped-def]
    """Press Tab until the script ``check`` answers something truthy about the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = page.evaluate(check)
        if found:
            return found
    raise AssertionError(f"Tab never reached: {check}")


def answer_by_keyboard(page, questions: int, steps_right: int) -> list[str]:  # type: ignore[no-untyped-def]
    """Tab to each question's radio group, pick its first option with Space, then move
    ``steps_right`` options on with the arrow key (which also checks it)."""
    answered = []
    for _ in range(questions):
        name = tab_until(page, FOCUSED_RADIO + " && !document.activeElement.checked")
        page.keyboard.press("Space")
        for _ in range(steps_right):
            page.keyboard.press("ArrowRight")
        answered.append(name)
    return answered


def submit_by_keyboard(page) -> None:  # type: ignore[no-untyped-def]
    tab_until(page, "document.activeElement.textContent.trim() === 'Submit my answers'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/surveys/r/thanks/")


def test_a_pulse_respondent_submits_with_the_keyboard_only(page_at, live_server, org, unit):
    people = people_in(org, unit, 6)
    campaign = launch(org, people=people, segments=("org_unit",))
    page = page_at(PHONE)
    page.goto(f"{live_server.url}/surveys/r/{token_for(campaign, people[0])}/")
    questions = page.locator("fieldset.question:has(input[type=radio])").count()
    assert questions >= 2
    answered = answer_by_keyboard(page, questions, steps_right=3)
    assert len(set(answered)) == questions
    checked = page.locator("input[type=radio]:checked")
    assert checked.count() == questions
    assert all(checked.nth(i).get_attribute("value") == "4" for i in range(questions))
    screenshot(page, "keyboard-pulse-phone")
    submit_by_keyboard(page)
    assert page.get_by_role("heading", name="Thank you").is_visible()
    assert Ballot.objects.filter(campaign=campaign).count() == 1
    assert Completion.objects.filter(invitation__campaign=campaign).count() == 1
    assert page.js_errors == []


def test_a_rater_completes_a_360_with_the_keyboard_only(page_at, live_server, org, unit):
    boss = PersonFactory(organisation=org, org_unit=unit, leader_level=LeaderLevel.EXECUTIVE)
    leader = PersonFactory(
        organisation=org,
        name="Lena Leader",
        org_unit=unit,
        manager=boss,
        leader_level=LeaderLevel.SENIOR,
    )
    for _ in range(3):
        PersonFactory(organisation=org, org_unit=unit, manager=boss, leader_level="senior")
    now = timezone.now()
    cycle = readiness.launch_cycle(
        organisation=org,
        actor=None,
        name="Keyboard readiness",
        leaders={"person_ids": [leader.pk]},
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=14),
        send_email=False,
        suggested_raters=True,
    )
    invitation = (
        Invitation.objects.filter(campaign=cycle.campaign, subject=leader)
        .exclude(person=leader)
        .earliest("pk")
    )
    from bellwether.surveys import services as surveys

    page = page_at(DESKTOP)
    page.goto(f"{live_server.url}/surveys/r/{surveys.invitation_token(invitation)}/")
    assert "You are rating Lena Leader" in page.content()
    items = len(catalogue.instrument_items())
    answer_by_keyboard(page, items, steps_right=2)
    assert page.locator("input[type=radio]:checked").count() == items
    assert serious_violations(page) == []
    screenshot(page, "keyboard-rater-desktop")
    submit_by_keyboard(page)
    assert Completion.objects.filter(invitation=invitation).exists()
    assert page.js_errors == []
