"""Browser-test helpers: viewports and screenshots kept for people to look at.

The ``browser`` and ``page_at`` fixtures live in the root conftest.py, so every
browser test in the project shares one Chromium.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

CHROMIUM = os.environ.get("BELLWETHER_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def screenshot(page: Any, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Any, base_url: str, email: str) -> None:
    """Sign in through the password form as ``email`` (with the test password)."""
    from bellwether.testing.factories import TEST_PASSWORD

    page.goto(f"{base_url}/")
    form = page.locator("form:has(input[type=password])")
    form.get_by_label("Email address").fill(email)
    form.get_by_label("Password").fill(TEST_PASSWORD)
    form.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base_url}/")


def open_menu(page: Any, name: str) -> None:
    """Open a page from the main menu as a person would: the phone's Menu button first,
    then the drop-down group holding the page, then the link."""
    toggle = page.locator(".nav-toggle")
    if toggle.is_visible():
        toggle.click()
    link = page.locator("#main-nav").get_by_role("link", name=name, exact=True)
    if not link.is_visible():
        # A closed group's links are hidden, so found by their text, not their role.
        exact = re.compile(rf"^\s*{re.escape(name)}\s*$")
        group = page.locator("#main-nav details").filter(has=page.locator("a", has_text=exact))
        group.locator("summary").click()
    link.click()
