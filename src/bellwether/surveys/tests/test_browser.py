"""In a real Chromium: an employee answers a pulse on a phone, leaves, comes back to the
draft and submits; the admin then sees the closed pulse's results with suppressed cells
marked. Screenshots are kept in test-artifacts/screenshots/."""

from __future__ import annotations

import pytest

from bellwether.accounts.roles import Role
from bellwether.surveys.models import Ballot, Response
from bellwether.surveys.tests.helpers import answer, close, launch, people_in, token_for, two_units
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_employee_answers_on_a_phone_and_the_admin_sees_suppressed_results(
    page_at,
    live_server,
    org,
) -> None:
    _root, sales, legal = two_units(org)
    sellers = people_in(org, sales, 8)
    lawyers = people_in(org, legal, 2)
    campaign = launch(org, people=sellers + lawyers, segments=("org_unit",))
    for p in sellers[1:]:
        answer(campaign, p, 4, 4)
    for p in lawyers:
        answer(campaign, p, 2, 2)
    url = f"{live_server.url}/surveys/r/{token_for(campaign, sellers[0])}/"

    phone = page_at(PHONE)
    phone.goto(url)
    phone.locator('#q-confidence input[value="5"]').check()
    phone.locator("#draft-status").get_by_text("Saved at").wait_for()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]
    screenshot(phone, "surveys-pulse-phone")
    phone.goto("about:blank")

    phone.goto(url)  # back later: the draft is there
    assert phone.locator('#q-confidence input[value="5"]').is_checked()
    phone.locator('#q-clarity input[value="4"]').check()
    phone.get_by_role("button", name="Submit my answers").click()
    phone.get_by_role("heading", name="Thank you").wait_for()
    # Sealed until the campaign closes: no response rows yet.
    assert Ballot.objects.filter(campaign=campaign).count() == 10
    assert Response.objects.filter(campaign=campaign).count() == 0
    assert phone.js_errors == []

    close(campaign)
    make_member(org, Role.ADMIN, email="pulse-admin@acme.test")
    desk = page_at(DESKTOP)
    sign_in(desk, live_server.url, "pulse-admin@acme.test")
    desk.goto(f"{live_server.url}/surveys/{campaign.pk}/results/")
    assert desk.locator("h1").inner_text() == "Results: May pulse"
    assert desk.locator('[data-suppressed="too_few"]').first.is_visible()
    assert desk.locator('[data-suppressed="difference"]').first.is_visible()
    html = desk.content()
    assert "80.0%" in html  # the total: 8 of 10 favourable
    # Sales alone (100%) would give Legal away by difference: both rows show no figure.
    for unit_name in ("Sales", "Legal"):
        row = desk.locator("table.heatmap tr", has=desk.locator(f'th:text-is("{unit_name}")'))
        assert "%" not in row.inner_text()
    assert "Released once, when the survey closed" in html
    screenshot(desk, "surveys-results-desktop")
    assert desk.js_errors == []
