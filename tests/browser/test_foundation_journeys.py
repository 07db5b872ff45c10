"""The foundation's main journeys in a real Chromium, at desktop and phone width.

An admin signs in, searches people, opens a person and reads the Framework page;
an admin imports a file with a wrong row and is told which row and why.
Screenshots are kept in test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from bellwether.demo.accounts import DEMO_PASSWORD
from bellwether.demo.services import build_demo_organisation
from bellwether.testing.browser import DESKTOP, PHONE, open_menu, screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADMIN = "admin@northwind.example"


@pytest.fixture
def demo(transactional_db):  # type: ignore[no-untyped-def]
    return build_demo_organisation(seed=7, size="small", modules=False)


def sign_in(page, base_url: str, email: str = ADMIN) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base_url}/")
    assert "/accounts/sign-in/" in page.url
    form = page.locator("form:has(input[type=password])")
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(DEMO_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def open_nav(page, name: str) -> None:  # type: ignore[no-untyped-def]
    open_menu(page, name)


def assert_fits(page, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"page is {width}px wide on a {viewport['width']}px screen"


@pytest.mark.parametrize(("viewport", "tag"), [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_an_admin_signs_in_finds_a_person_and_reads_the_framework(
    page_at, live_server, demo, viewport, tag
):  # type: ignore[no-untyped-def]
    page = page_at(viewport)
    sign_in(page, live_server.url)
    assert page.locator("h1").inner_text() == "Northwind Group"
    screenshot(page, f"foundation-home-{tag}")

    open_nav(page, "People")
    page.get_by_label("Search").fill("Head of")
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/people/?*q=Head+of*")
    rows = page.locator("table tbody tr")
    assert rows.count() > 0
    first_title = rows.first.locator("td").nth(1).inner_text()
    assert "Head of" in first_title
    assert_fits(page, viewport)
    screenshot(page, f"foundation-people-search-{tag}")

    name = rows.first.locator("a").first.inner_text()
    rows.first.locator("a").first.click()
    assert page.locator("h1").inner_text() == name
    assert page.get_by_text("Not assessed yet").is_visible()
    assert_fits(page, viewport)
    screenshot(page, f"foundation-person-{tag}")

    open_nav(page, "Framework")
    assert page.locator("h1").inner_text() == "The framework"
    assert page.get_by_role("heading", name="Executive AI Readiness Scorecard (§1.1)").is_visible()
    assert_fits(page, viewport)
    screenshot(page, f"foundation-framework-{tag}")

    open_nav(page, "Org chart")
    assert page.get_by_text("Technology").first.is_visible()
    screenshot(page, f"foundation-org-chart-{tag}")
    assert page.js_errors == []


def test_an_admin_imports_a_file_sees_the_wrong_rows_and_then_imports_it(
    page_at, live_server, demo, tmp_path
):  # type: ignore[no-untyped-def]
    from bellwether.people.services import export_people

    content, _, _ = export_people(organisation=demo, fmt="csv")
    lines = content.decode("utf-8-sig").splitlines()
    good = tmp_path / "hris-export.csv"
    good.write_text(
        "\n".join(
            [
                *lines,
                "NEW0001,Nadia New,nadia.new@northwind.example,Analyst,NW,,,London,2026-01-05,true",
            ]
        )
        + "\n"
    )
    broken = tmp_path / "hris-export-broken.csv"
    bad_lines = list(lines)
    bad_lines[4] = bad_lines[4].replace("@northwind.example", " at northwind")
    broken.write_text("\n".join(bad_lines) + "\n")

    page = page_at(DESKTOP)
    sign_in(page, live_server.url)
    open_nav(page, "Import")
    page.get_by_label("File (CSV UTF-8 or Excel .xlsx)").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and check").click()
    errors = page.locator("table.import-errors tbody tr")
    errors.first.wait_for()
    assert errors.count() == 1
    assert errors.first.locator("td").nth(0).inner_text() == "5"
    assert errors.first.locator("td").nth(1).inner_text() == "email"
    assert "not an email address" in errors.first.locator("td").nth(2).inner_text()
    assert page.get_by_text("nothing was imported", exact=False).first.is_visible()
    screenshot(page, "foundation-import-errors-desktop")

    open_nav(page, "Import")
    page.get_by_label("File (CSV UTF-8 or Excel .xlsx)").set_input_files(str(good))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("1 created", exact=False).first.wait_for()
    screenshot(page, "foundation-import-done-desktop")
    assert page.js_errors == []
