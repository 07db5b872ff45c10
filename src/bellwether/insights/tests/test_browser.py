"""In a real Chromium: each role lands on its own home; the leader, on a phone, opens a
task from the inbox (its count shows in the navigation); a sponsor opens a KPI's
drill-down from the dashboard."""

from __future__ import annotations

from typing import cast

import pytest

from bellwether.accounts.roles import Role
from bellwether.assessments.tests.factories import record_result
from bellwether.core.models import Organisation
from bellwether.people.models import Person
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import OrganisationFactory, PersonFactory, make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "ada@acme.test"
SPONSOR = "sam@acme.test"
LEADER = "lena@acme.test"


@pytest.fixture
def org(transactional_db) -> Organisation:
    org = cast(Organisation, OrganisationFactory(name="Acme Corp", slug="acme"))
    lena = cast(
        Person,
        PersonFactory(
            organisation=org, employee_id="L1", name="Lena Leader", leader_level="senior"
        ),
    )
    record_result(organisation=org, person=lena, total=74)
    make_member(org, Role.ADMIN, email=ADMIN)
    make_member(org, Role.SPONSOR, email=SPONSOR)
    make_member(org, Role.LEADER, email=LEADER, person=lena)
    return org


def test_each_role_lands_on_its_home_and_the_leader_works_from_the_inbox(
    page_at, live_server, org
) -> None:
    base = live_server.url
    admin = page_at(DESKTOP)
    sign_in(admin, base, ADMIN)
    assert admin.get_by_role("heading", name="The programme").is_visible()
    assert admin.get_by_role("heading", name="Primary KPIs this month").is_visible()
    screenshot(admin, "insights-home-admin")

    sponsor = page_at(DESKTOP)
    sign_in(sponsor, base, SPONSOR)
    assert sponsor.get_by_role("heading", name="The programme").count() == 0
    sponsor.get_by_role("link", name="The full KPI dashboard").click()
    sponsor.wait_for_url(f"{base}/insights/")
    sponsor.get_by_role("link", name="Executive AI Fluency").first.click()
    sponsor.wait_for_url("**/insights/kpi/kpi.executive_fluency/**")
    rows = sponsor.locator("#behind-title ~ .table-wrap").inner_text()
    assert "Lena Leader" in rows
    assert "74" in rows
    screenshot(sponsor, "insights-kpi-sponsor")

    phone = page_at(PHONE)
    sign_in(phone, base, LEADER)
    assert phone.get_by_role("heading", name="Your AI readiness").is_visible()
    assert phone.get_by_role("heading", name="Primary KPIs this month").count() == 0
    # The count arrives after the page (app.js) inside the collapsed menu's "To do".
    phone.locator("[data-count-url]").wait_for(state="detached")
    assert phone.locator(".inbox-count").count() == 1
    phone.get_by_role("link", name="Today's behaviour check-in (30 seconds)").click()
    phone.wait_for_url(f"{base}/behaviours/check-in/")
    screenshot(phone, "insights-home-leader-phone")
