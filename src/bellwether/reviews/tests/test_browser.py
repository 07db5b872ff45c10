"""In a real Chromium: the manager adjusts a pre-filled score (refused without a reason,
accepted with one), writes priorities and goals and shares the review; the leader, on a
phone, acknowledges it."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest

from bellwether.accounts.roles import Role
from bellwether.core.models import Organisation
from bellwether.people.models import Person
from bellwether.reviews import services
from bellwether.reviews.models import Review, ReviewStatus, ScoreEntry
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import OrganisationFactory, PersonFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MANAGER = "mary@acme.test"
LEADER = "lena@acme.test"


@pytest.fixture
def review(transactional_db) -> Review:
    org = cast(Organisation, OrganisationFactory(name="Acme Corp", slug="acme"))
    mary = cast(
        Person,
        PersonFactory(
            organisation=org, employee_id="M1", name="Mary Manager", leader_level="executive"
        ),
    )
    lena = cast(
        Person,
        PersonFactory(
            organisation=org,
            employee_id="L1",
            name="Lena Leader",
            manager=mary,
            leader_level="senior",
        ),
    )
    make_member(org, Role.LEADER, email=MANAGER, person=mary)
    make_member(org, Role.LEADER, email=LEADER, person=lena)
    cycle = services.open_cycle(
        organisation=org, quarter="2026-Q1", actor=None, due_on=dt.date(2026, 4, 14)
    )
    return Review.objects.get(cycle=cycle, person=lena)


def test_a_manager_adjusts_a_score_and_the_leader_acknowledges(page_at, live_server, review):
    base = live_server.url
    prefilled = review.team
    page = page_at(DESKTOP)
    sign_in(page, base, MANAGER)
    page.goto(f"{base}/reviews/")
    page.get_by_role("link", name="Lena Leader").click()
    page.wait_for_url(f"**/reviews/{review.pk}/")
    assert "No learning due this quarter." in page.content()

    team = page.get_by_role("form", name="Adjust Team AI Leadership")
    team.get_by_label("Score (0–35)").fill("30")
    team.get_by_role("button", name="Adjust").click()
    page.wait_for_url(f"**/reviews/{review.pk}/scores/")  # refused: the form on its own page
    assert page.get_by_text("Write the reason for the adjustment").is_visible()
    assert page.get_by_label("Score").input_value() == "30"  # what was typed is kept
    page.get_by_label("Reason for the change").fill("Ran monthly AI clinics for the team")
    page.get_by_role("button", name="Try again").click()
    page.wait_for_url(f"**/reviews/{review.pk}/")
    assert page.get_by_test_id("score-review.team_leadership").inner_text() == "30/35"
    history = page.locator("#history-title + .table-wrap").inner_text()
    assert "Ran monthly AI clinics for the team" in history
    assert "Pre-filled from evidence" in history

    plan = page.get_by_role("form", name="Priorities and goals")
    plan.locator("input[name=priority]").first.fill("Use an AI assistant in weekly planning")
    plan.locator("input[name=goal]").first.fill("Launch one measured AI pilot")
    plan.get_by_role("button", name="Save priorities and goals").click()
    page.wait_for_url(f"**/reviews/{review.pk}/")
    page.get_by_role("button", name="Share with the leader").click()
    page.wait_for_url(f"**/reviews/{review.pk}/")
    assert page.get_by_test_id("review-status").inner_text() == "Shared with the leader"
    screenshot(page, "reviews-review")

    phone = page_at(PHONE)
    sign_in(phone, base, LEADER)
    phone.goto(f"{base}/reviews/")
    phone.get_by_role("link", name="Lena Leader").click()
    phone.wait_for_url(f"**/reviews/{review.pk}/")
    assert phone.get_by_role("form", name="Adjust Team AI Leadership").count() == 0
    assert "Launch one measured AI pilot" in phone.content()
    phone.get_by_label("Your note (optional)").fill("Agreed, thank you")
    phone.get_by_role("button", name="I have read this review").click()
    phone.wait_for_url(f"**/reviews/{review.pk}/")
    assert phone.get_by_text("You have acknowledged the review.").is_visible()
    screenshot(phone, "reviews-review-phone")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 375 + 1

    review.refresh_from_db()
    assert review.status == ReviewStatus.ACKNOWLEDGED
    assert review.team == 30
    assert list(
        ScoreEntry.objects.filter(review=review, component="review.team_leadership").values_list(
            "value", "kind"
        )
    ) == [(prefilled, "prefilled"), (30, "adjusted")]
    assert not page.js_errors
    assert not phone.js_errors
