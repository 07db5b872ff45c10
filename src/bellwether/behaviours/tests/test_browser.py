"""A leader's check-in on a 375 px phone through the one-tap link: the toggles due today
fit the screen, one tap each and one submit, no password; a forged link says so."""

from __future__ import annotations

import pytest

from bellwether.behaviours import services
from bellwether.behaviours.models import CheckIn
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import PHONE, screenshot
from bellwether.testing.factories import OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def leader(transactional_db):
    org = OrganisationFactory(name="Acme Corp", slug="acme")
    return PersonFactory(
        organisation=org, employee_id="L001", name="Lena Leader", leader_level=LeaderLevel.SENIOR
    )


def test_a_leader_checks_in_on_a_phone_through_the_one_tap_link(page_at, live_server, leader):
    page = page_at(PHONE)
    today = services.today_for(leader.organisation)
    token = services.check_in_token(leader, today)
    page.goto(f"{live_server.url}/behaviours/check-in/link/{token}/")
    assert page.get_by_role(
        "heading", name=f"Lena Leader: {today:%A} {today.day} {today:%B}"
    ).is_visible()
    # No horizontal scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Used AI tools for executive tasks").check()
    page.get_by_label("Shared AI insights or experiences").check()
    page.get_by_label("Communicated AI progress and successes").check()
    page.get_by_role("button", name="Check in").click()
    page.get_by_text("Checked in for").wait_for()
    screenshot(page, "behaviours-check-in-phone")
    row = CheckIn.objects.get(person=leader)
    assert (row.day, row.daily, row.weekly, row.via) == (today, 2, 1, CheckIn.Via.LINK)
    # The page shows the saved state; the weekly one, done, stays ticked on this day.
    assert page.get_by_label("Used AI tools for executive tasks").is_checked()
    assert not page.js_errors

    page.goto(f"{live_server.url}/behaviours/check-in/link/{token}x/")
    assert page.get_by_role("heading", name="This link does not work").is_visible()
