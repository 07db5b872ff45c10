"""Fixtures shared by every test: two organisations and a member in each role.

Organisation A ("acme") is where the tests act; organisation B ("globex") is the
outsider whose objects must never be reachable from A.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.core.models import Organisation
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.testing.factories import (
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    assign,
    make_member,
)
from bellwether.testing.jobs import store_jobs_in_database
from bellwether.testing.smtp import MailServer, route_mail_to, use_database_queue

# On CI every property and fuzz test runs the same examples each time (derandomized),
# so a submission is judged on what was run before it; locally they explore afresh.
# Speed is measured by benchmarks, never by a test: no per-example deadline and no
# "too slow" health check, which fail on a loaded CI machine without saying anything
# about correctness.
_NOT_TIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
hypothesis_settings.register_profile("local", **_NOT_TIMED)
hypothesis_settings.register_profile(
    "ci", derandomize=True, database=None, print_blob=True, **_NOT_TIMED
)
hypothesis_settings.load_profile("ci" if os.environ.get("CI") else "local")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked ``postgres_only`` (row locks, real concurrency) are deselected on
    SQLite rather than skipped: ``make test`` runs them in its PostgreSQL pass."""
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        return
    kept = [item for item in items if item.get_closest_marker("postgres_only") is None]
    deselected = [item for item in items if item.get_closest_marker("postgres_only") is not None]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = kept


@pytest.fixture
def org(db: None) -> Organisation:
    return OrganisationFactory(name="Acme Corp", slug="acme")


@pytest.fixture
def other_org(db: None) -> Organisation:
    return OrganisationFactory(name="Globex", slug="globex")


@pytest.fixture
def unit(org: Organisation) -> OrgUnit:
    return OrgUnitFactory(organisation=org, code="HQ", name="Headquarters")


@pytest.fixture
def leader_person(org: Organisation, unit: OrgUnit) -> Person:
    return PersonFactory(
        organisation=org,
        employee_id="L001",
        name="Lena Leader",
        org_unit=unit,
        leader_level=LeaderLevel.SENIOR,
        title="Head of Operations",
    )


@pytest.fixture
def coachee(org: Organisation, unit: OrgUnit, leader_person: Person) -> Person:
    return PersonFactory(
        organisation=org,
        employee_id="C001",
        name="Colin Coachee",
        org_unit=unit,
        manager=leader_person,
        leader_level=LeaderLevel.OPERATIONAL,
        title="Team Lead",
    )


@pytest.fixture
def bystander(org: Organisation, unit: OrgUnit) -> Person:
    """Someone in the organisation whom only admins and sponsors may see."""
    return PersonFactory(organisation=org, employee_id="B001", name="Bea Bystander", org_unit=unit)


@pytest.fixture
def members(
    org: Organisation, other_org: Organisation, leader_person: Person, coachee: Person
) -> dict[str, Membership]:
    """One member per role in `org`, plus an admin of `other_org` (the outsider)."""
    coach = make_member(org, Role.COACH, email="coach@acme.test")
    assign(coach, coachee, Assignment.Kind.COACHEE)
    reviewer = make_member(org, Role.REVIEWER, email="reviewer@acme.test")
    assign(reviewer, coachee, Assignment.Kind.REVIEWEE)
    return {
        "admin": make_member(org, Role.ADMIN, email="admin@acme.test"),
        "sponsor": make_member(org, Role.SPONSOR, email="sponsor@acme.test"),
        "leader": make_member(org, Role.LEADER, email="leader@acme.test", person=leader_person),
        "coach": coach,
        "reviewer": reviewer,
        "outsider": make_member(other_org, Role.ADMIN, email="admin@globex.test"),
    }


@pytest.fixture
def client_for(members: dict[str, Membership]) -> Callable[[str], Client]:
    """A signed-in test client for the member holding `role` ("admin", "outsider", …)."""

    def make(role: str) -> Client:
        client = Client()
        client.force_login(members[role].user)
        return client

    return make


@pytest.fixture
def admin_client_(client_for: Callable[[str], Client]) -> Client:
    return client_for("admin")


@pytest.fixture
def mail_server(settings: Any) -> Iterator[MailServer]:
    """A real SMTP server that mail is sent to; jobs still run at once. Stopped after the
    test."""
    server = MailServer().start()
    route_mail_to(settings, server.port)
    yield server
    server.stop()


@pytest.fixture
def worker_mail_server(mail_server: MailServer, settings: Any) -> MailServer:
    """The SMTP server, with jobs stored in the database and retried at once by the worker,
    as in production (run them with ``testing.smtp.run_worker``)."""
    use_database_queue(settings)
    return mail_server


@pytest.fixture
def database_queue(settings: Any) -> None:
    """Jobs are stored in the database for ``bellwether worker``, as in production,
    instead of running at once."""
    store_jobs_in_database(settings)


# --- browser tests (Playwright driving Debian's Chromium) ---------------------------


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """One headless Chromium for the whole run (two Playwright instances in one
    process would clash over the event loop)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls our
    # fixtures make are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    from bellwether.testing.browser import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


FAILED_LOAD = "Failed to load resource"


def _watch_console(page):  # type: ignore[no-untyped-def]
    """The page's uncaught exceptions and console errors, as a list that tests assert empty.

    One console line is not an error of the page: Chromium logs "Failed to load
    resource" for a *document* answered 4xx, and a refused form is re-shown with
    its input and a 400 by design (core.forms.refused_form). Such a line is dropped
    once the navigation's answer is seen (whichever event arrives first); a failed
    script, style, image or fetch still counts."""
    errors: list[str] = []
    failed_loads: list[tuple[str, str]] = []
    refused_documents: set[str] = set()

    def on_console(message):  # type: ignore[no-untyped-def]
        if message.type != "error":
            return
        url = (message.location or {}).get("url", "")
        if message.text.startswith(FAILED_LOAD):
            if url in refused_documents:
                return
            failed_loads.append((message.text, url))
        errors.append(message.text)

    def on_response(response):  # type: ignore[no-untyped-def]
        if response.status < 400 or not response.request.is_navigation_request():
            return
        refused_documents.add(response.url)
        for text, url in [load for load in failed_loads if load[1] == response.url]:
            failed_loads.remove((text, url))
            errors.remove(text)

    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", on_console)
    page.on("response", on_response)
    return errors


@pytest.fixture
def page_at(browser):  # type: ignore[no-untyped-def]
    """``page_at(viewport)``: a new page; console errors collect in ``page.js_errors``."""
    from bellwether.testing.browser import DESKTOP

    contexts = []

    def make(viewport: dict[str, int] = DESKTOP):  # type: ignore[no-untyped-def]
        context = browser.new_context(viewport=viewport, is_mobile=viewport["width"] < 500)
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        page.js_errors = _watch_console(page)
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """A Redis that answers (started for the run if none does; see testing/redis_server)."""
    from bellwether.testing.redis_server import RedisUnavailable, ensure_redis

    try:
        return ensure_redis()
    except RedisUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
