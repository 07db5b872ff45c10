"""In a real Chromium: an admin opens a leader's readiness report and downloads the PDF."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, cast

import pytest
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.assessments.tests.reporting import make_person, rated, uniform
from bellwether.core.models import Organisation
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import (
    OrganisationFactory,
    OrgUnitFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "ada@acme.test"


def test_an_admin_opens_a_leaders_report_and_downloads_the_pdf(
    page_at: Any, live_server: Any, tmp_path: Path
) -> None:
    org = cast(Organisation, OrganisationFactory(name="Acme Corp", slug="acme"))
    unit = OrgUnitFactory(organisation=org, code="OPS", name="Operations")
    leader = make_person(
        org,
        name="Grace Hopper",
        title="Chief Operating Officer",
        org_unit=unit,
        leader_level=LeaderLevel.EXECUTIVE,
    )
    make_member(org, Role.ADMIN, email=EMAIL)
    now = timezone.now()
    rated(
        org,
        leader,
        self_answers=uniform(3),
        others=[("manager", uniform(3)), *[("peer", uniform(3)) for _ in range(3)]],
        opens_at=now - dt.timedelta(days=120),
        name="Spring 2026",
    )
    mine = {**uniform(4), "attitude.enthusiasm": 5, "behaviours.models_adoption": 2}
    theirs = {
        **uniform(4),
        "attitude.enthusiasm": 4,
        "behaviours.models_adoption": 2,
        "behaviours.timely_decisions": 2,
        "strategy.future_trends": 5,
    }
    rated(
        org,
        leader,
        self_answers={**mine, "strategy.future_trends": 3},
        others=[
            ("manager", theirs),
            *[("peer", theirs) for _ in range(3)],
            *[("direct_report", theirs) for _ in range(3)],
        ],
        opens_at=now - dt.timedelta(days=20),
        name="Summer 2026",
    )

    base = live_server.url
    page = page_at(DESKTOP)
    sign_in(page, base, EMAIL)
    page.goto(f"{base}/readiness/leaders/{leader.pk}/report/")
    assert page.get_by_role("heading", name="Grace Hopper").is_visible()
    assert "Supporter" in page.locator(".band-name").inner_text()
    assert page.locator("#band-rule").is_visible()
    # Chart.js drew the radar, the item bars and the trend.
    page.wait_for_function("() => window.Chart && Chart.getChart('radar-chart')")
    assert page.evaluate("() => Chart.getChart('radar-chart').data.datasets.length") == 2
    assert page.evaluate("() => Chart.getChart('items-chart').data.labels.length") == 20
    assert page.evaluate("() => Chart.getChart('trend-chart').data.labels.length") == 2
    assert "Disengaged" in page.locator("#signal-failuredisengaged").inner_text()
    assert page.locator("#hidden-strengths li").count() == 1
    assert page.js_errors == []
    screenshot(page, "readiness-report-desktop")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    target = tmp_path / download.suggested_filename
    download.save_as(target)
    assert download.suggested_filename.startswith(f"readiness-report-{leader.pk}")
    assert target.read_bytes().startswith(b"%PDF")

    page.goto(f"{base}/readiness/organisation/")
    page.wait_for_function("() => window.Chart && Chart.getChart('distribution-chart')")
    assert page.evaluate("() => Chart.getChart('distribution-chart').data.labels.length") == 5
    assert page.locator("#transitions").is_visible()
    assert "Grace Hopper" in page.locator("#leaders").inner_text()
    assert page.js_errors == []
    screenshot(page, "readiness-organisation-desktop")

    phone = page_at(PHONE)
    sign_in(phone, base, EMAIL)
    phone.goto(f"{base}/readiness/leaders/{leader.pk}/report/")
    phone.wait_for_function("() => window.Chart && Chart.getChart('radar-chart')")
    width = phone.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1
    assert phone.js_errors == []
    screenshot(phone, "readiness-report-phone")
