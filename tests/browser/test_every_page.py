"""Every page, in every main role, in a real Chromium: axe-core finds no serious or
critical violation, and nothing overflows sideways on a 375 px phone.

The list of pages is the access matrix's (tests/test_access_matrix.py), which fails
for any URL it does not list, so a new page is checked here as soon as it exists: each
role opens every page the matrix promises it a 200 for. Answers that are not HTML pages
(downloads, PDFs, calendar feeds, JSON) are skipped by their content type, and the API
is not a page (the matrix covers it operation by operation); the API's documentation
page is added by hand (once: it is the same for every member). The two link-only roles are the anonymous visitor of the
matrix: a pulse respondent's link is in it, and a 360 rater's link is added here.

One browser, one context per role, one tab reused for every page: each page is loaded
once at 375 px, measured, widened to desktop and checked with axe.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.text import slugify

from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Invitation
from bellwether.testing.a11y import overflow, serious_violations, too_wide
from bellwether.testing.browser import DESKTOP, PHONE, screenshot
from tests.test_access_matrix import PAGES, world  # noqa: F401  (the matrix's world)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# admin = the transformation office, sponsor = an executive; "anonymous" holds the links
# a rater and a pulse respondent are sent.
ROLES = ("admin", "sponsor", "coach", "leader", "anonymous")

# What is not a page of its own, and why. A page the matrix lists that answers anything
# but a whole HTML document fails below until it is named here.
NOT_PAGES = {
    "core:healthz": "a health probe for load balancers (plain text)",
    "core:readyz": "a readiness probe for load balancers (JSON)",
    "core:metrics": "Prometheus metrics (plain text, for a scraper)",
    "people:search": "the JSON the person picker reads (checked by its pages)",
    "people:unit_search": "the JSON the unit picker reads (checked by its pages)",
    "influence:network_data": "the JSON the network picture reads, slice by slice",
    "insights:inbox_count": "a fragment htmx puts into the menu (checked on every page)",
    "people:import_progress": "a fragment htmx polls into the import page",
    "coaching:calendar": "an .ics download",
    "communications:feed": "a calendar feed",
    "development:workshop_ics": "an .ics download",
    "peers:event_ics": "an .ics download",
    "assessments:report_pdf": "a PDF download (tests/test_pdfs… check the figures)",
    "development:plan_pdf": "a PDF download",
    "development:workshop_pdf": "a PDF download",
    "engagement:pdf": "a PDF download",
    "initiatives:pdf": "a PDF download",
    "assessments:organisation_export": "a CSV/XLSX download",
    "development:cohort_export": "a CSV/XLSX download",
    "people:export": "a CSV/XLSX download",
    "surveys:results_export": "a CSV/XLSX download",
    "saml_metadata": "SAML service-provider metadata (XML, for an identity provider)",
}


# Pages once known to overflow a phone: their screenshots, at 375 px and at desktop width,
# are kept in test-artifacts/screenshots/ for a person to look at.
SHOWN = ("/readiness/organisation/", "/report/", "/ratings/", "/api/v1/docs")


def _urls(world: dict[str, Any], role: str) -> list[str]:  # noqa: F811
    urls = []
    for entry in PAGES:
        if entry.expect.get(role) != 200 or entry.name in NOT_PAGES:
            continue
        url = reverse(entry.name, kwargs=entry.kwargs(world))
        if url not in urls:
            urls.append(url)
    if role == "anonymous":
        urls.append(_rater_link(world))
    elif role == "admin":
        urls.append("/api/v1/docs")  # the same page for every member
    return urls


def _rater_link(objects: dict[str, Any]) -> str:
    """A 360 questionnaire link from the world's open readiness cycle. Its one rater
    nomination still awaits approval, so this is a leader's own questionnaire: the same
    page a rater answers (a rater's, with "You are rating …", is checked by
    test_keyboard_journeys.py)."""
    cycle = objects["readiness_cycle"]
    invitation = (
        Invitation.objects.filter(campaign=cycle.campaign).exclude(subject=None).earliest("pk")
    )
    return reverse(
        "surveys:respond", kwargs={"token": survey_services.invitation_token(invitation)}
    )


def _context(browser, live_server, world, role: str):  # type: ignore[no-untyped-def]  # noqa: F811
    context = browser.new_context(viewport=PHONE)
    context.set_default_timeout(15_000)
    if role != "anonymous":
        client = Client()
        client.force_login(world["members"][role].user)
        cookie = client.cookies["sessionid"]
        context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    return context


def test_every_page_is_accessible_and_fits_a_phone(browser, live_server, world):  # noqa: F811
    problems: list[str] = []
    checked = 0
    audited: set[str] = set()
    for role in ROLES:
        context = _context(browser, live_server, world, role)
        page = context.new_page()
        try:
            for url in _urls(world, role):
                # axe once per page (the first role that may open it), but each role's
                # home is a page of its own; every role's page is measured for width.
                audit = url == "/" or url not in audited
                audited.add(url)
                problems += _check(page, live_server.url, url, role, audit=audit)
                checked += 1
        finally:
            context.close()
    assert checked > 100
    assert problems == [], "\n".join(problems)


def _check(page, base: str, url: str, role: str, *, audit: bool) -> list[str]:  # type: ignore[no-untyped-def]
    page.set_viewport_size(PHONE)
    response = page.goto(base + url)
    assert response is not None
    where = f"{role} {url}"
    if response.status != 200:
        return [f"{where}: answered {response.status}"]
    if url.startswith("/api/"):
        # Drawn after the document loads, from the OpenAPI document (slow to build).
        page.locator(".swagger-ui .opblock").first.wait_for(timeout=90_000)
    if not page.evaluate("document.doctype !== null"):
        return [f"{where}: not a whole page; name it in NOT_PAGES with the reason"]
    problems = []
    wider = overflow(page)
    if wider:
        culprits = ", ".join(too_wide(page))
        problems.append(f"{where}: {wider}px wider than a {PHONE['width']}px phone: {culprits}")
        screenshot(page, f"too-wide-{role}-{slugify(url)}")
    shown = role == "admin" and any(marker in url for marker in SHOWN)
    if shown:
        screenshot(page, f"every-page-{slugify(url)}-phone")
    if not audit:
        return problems
    page.set_viewport_size(DESKTOP)
    if shown:
        screenshot(page, f"every-page-{slugify(url)}-desktop")
    # Swagger UI draws each operation's summary as a button holding the copy button: its
    # own markup, which no stylesheet can change (its contrast is fixed in api-docs.css).
    ignore = ("nested-interactive",) if url.startswith("/api/") else ()
    for violation in serious_violations(page, ignore=ignore):
        problems.append(f"{where}: {violation}")
    return problems
