"""Coaching in a real Chromium: a leader fills the pre-session form on a 375 px phone,
starting from their coaching page, and their coach then reads the answers on the
session page."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.coaching import services
from bellwether.coaching.models import Session
from bellwether.core.models import Organisation
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import OrganisationFactory, PersonFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWERS = {
    "AI tool usage since last session": "Drafted the quarterly memo with the assistant.",
    "AI leadership challenges encountered": "Two managers worry about data privacy.",
    "AI wins and successes": "The team cut report preparation from 3 days to 1.",
    "Employee feedback on AI leadership": "They want more hands-on sessions.",
}


@pytest.fixture
def session(transactional_db) -> Session:
    org = cast(Organisation, OrganisationFactory(name="Acme Corp", slug="acme"))
    coach = make_member(org, Role.COACH, email="coach@acme.test")
    admin = make_member(org, Role.ADMIN, email="admin@acme.test")
    leader = cast(
        Person,
        PersonFactory(
            organisation=org,
            employee_id="L001",
            name="Lena Leader",
            leader_level=LeaderLevel.SENIOR,
        ),
    )
    make_member(org, Role.LEADER, email="lena@acme.test", person=leader)
    services.assign(organisation=org, actor=admin, membership=coach, people=[leader])
    today = timezone.localdate()
    programme = services.start_programme(
        actor=coach, person=leader, start_date=today - dt.timedelta(days=7)
    )
    return services.add_session(actor=coach, programme=programme, date=today + dt.timedelta(days=2))


def test_a_leader_fills_the_pre_session_form_on_a_phone_and_the_coach_reads_it(
    page_at, live_server, session
):
    base = live_server.url
    phone = page_at(PHONE)
    sign_in(phone, base, "lena@acme.test")
    phone.goto(f"{base}/coaching/")
    phone.get_by_role("link", name="Open your programme").click()
    phone.get_by_role("link", name="Session 1").click()
    phone.get_by_role("link", name="Fill the pre-session form").click()
    phone.get_by_role("heading", name="Before session 1").wait_for()
    for question, answer in ANSWERS.items():
        phone.get_by_label(question).fill(answer)
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "coaching-prepare-phone")
    phone.get_by_role("button", name="Send to my coach").click()
    phone.get_by_text("Thank you: your coach will see this before the session.").wait_for()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert phone.js_errors == []

    session.refresh_from_db()
    assert session.pre_session_at is not None

    coach = page_at(DESKTOP)
    sign_in(coach, base, "coach@acme.test")
    coach.goto(f"{base}/coaching/sessions/{session.pk}/")
    assessment = coach.locator(
        "section", has=coach.get_by_role("heading", name="Pre-session assessment")
    )
    text = assessment.inner_text()
    for question, answer in ANSWERS.items():
        assert question in text
        assert answer in text
    assert "Not filled yet" not in text
