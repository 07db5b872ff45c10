"""An admin's journey in a real Chromium: run mentorship matching, review the proposals
with their reasons, leave one out and publish the rest; the kept pair becomes active."""

from __future__ import annotations

import pytest

from bellwether.accounts.roles import Role
from bellwether.assessments.tests.factories import record_result
from bellwether.peers.models import Pairing, PairStatus
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import PHONE, sign_in
from bellwether.testing.factories import (
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "admin@acme.test"


@pytest.fixture
def people(transactional_db):
    org = OrganisationFactory(name="Acme Corp", slug="acme")
    make_member(org, Role.ADMIN, email=EMAIL)
    ops = OrgUnitFactory(organisation=org, code="OPS", name="Operations")
    fin = OrgUnitFactory(organisation=org, code="FIN", name="Finance")
    out = {}
    for name, unit, total in (
        ("Cleo Champion", ops, 90),
        ("Rita Resistant", fin, 30),
        ("Carl Cautious", fin, 60),
    ):
        person = PersonFactory(
            organisation=org, name=name, org_unit=unit, leader_level=LeaderLevel.SENIOR
        )
        record_result(organisation=org, person=person, total=total)
        out[name] = person
    return out


def test_an_admin_runs_reviews_and_publishes_matches_on_a_phone(page_at, live_server, people):
    base = live_server.url
    page = page_at(PHONE)
    sign_in(page, base, EMAIL)

    page.goto(f"{base}/peers/matching/")
    page.locator("#run-matching").click()
    page.wait_for_selector("text=2 pairs are proposed")
    page.wait_for_selector("text=Cross-functional: different units (Operations → Finance)")
    page.get_by_label("Keep Cleo Champion and Carl Cautious").uncheck()
    page.locator("#publish").click()
    page.wait_for_selector("text=1 pairs are published")

    statuses = dict(Pairing.objects.values_list("mentee__name", "status"))
    assert statuses == {"Rita Resistant": PairStatus.ACTIVE, "Carl Cautious": PairStatus.WITHDRAWN}
    assert page.js_errors == []
