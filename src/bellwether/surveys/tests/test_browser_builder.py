"""In a real Chromium: an admin builds an instrument with two questions, reorders them,
publishes it, and looks at an anonymous campaign's invitations and the minimums page.
Screenshots are kept in test-artifacts/screenshots/."""

from __future__ import annotations

import pytest

from bellwether.accounts.roles import Role
from bellwether.surveys.models import Instrument, InstrumentVersion
from bellwether.surveys.tests.helpers import answer, launch, person
from bellwether.testing.browser import DESKTOP, PHONE, screenshot, sign_in
from bellwether.testing.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_builds_and_publishes_an_instrument(page_at, live_server, org) -> None:
    make_member(org, Role.ADMIN, email="builder@acme.test")
    desk = page_at(DESKTOP)
    base = live_server.url
    sign_in(desk, base, "builder@acme.test")
    desk.goto(f"{base}/surveys/")
    desk.get_by_role("link", name="Instruments").click()
    desk.get_by_label("Name").fill("Team AI check-in")
    desk.get_by_role("button", name="Create and add questions").click()
    desk.get_by_role("heading", name="Draft: version 1").wait_for()

    form = desk.locator("#question-form")
    form.get_by_label("Text").fill("Our team uses AI tools every week.")
    form.get_by_label("Key").fill("weekly-use")
    form.get_by_label("Scale").select_option("likert5")
    form.get_by_label("Favourable from").fill("4")
    form.get_by_role("button", name="Add the question").click()
    desk.get_by_text("The question is saved in the draft.").wait_for()

    form = desk.locator("#question-form")
    form.get_by_label("Text").fill("Which tool helps most?")
    form.get_by_label("Key").fill("tool")
    form.get_by_label("Scale").select_option("choice")
    form.get_by_label("Labels").fill("Chat assistant")  # one option only: refused
    form.get_by_role("button", name="Add the question").click()
    desk.get_by_text("2 to 20 options").wait_for()
    screenshot(desk, "surveys-builder-error")
    form = desk.locator("#question-form")
    form.get_by_label("Labels").fill("Chat assistant\nCode assistant\nMeeting notes")
    form.get_by_label("Required").uncheck()
    form.get_by_role("button", name="Add the question").click()
    desk.get_by_text("The question is saved in the draft.").wait_for()

    desk.get_by_role("button", name="Move “tool” up").click()
    keys = desk.locator(".builder-question").evaluate_all("els => els.map(e => e.dataset.key)")
    assert keys == ["tool", "weekly-use"]
    screenshot(desk, "surveys-builder-draft")
    desk.get_by_role("button", name="Publish version 1").click()
    desk.get_by_text("Version 1 is published").wait_for()
    screenshot(desk, "surveys-builder-published")

    instrument = Instrument.objects.get(organisation=org, name="Team AI check-in")
    version = InstrumentVersion.objects.get(instrument=instrument)
    assert version.is_published
    assert list(version.questions.order_by("position").values_list("key", "required")) == [
        ("tool", False),
        ("weekly-use", True),
    ]
    assert desk.js_errors == []


def test_invitations_and_minimums_pages(page_at, live_server, org) -> None:
    people = [person(org, name=f"Employee {i:02d}") for i in range(7)]
    campaign = launch(org, people=people)
    answer(campaign, people[2], 5, 5)
    make_member(org, Role.ADMIN, email="inv-admin@acme.test")
    base = live_server.url
    desk = page_at(DESKTOP)
    sign_in(desk, base, "inv-admin@acme.test")
    desk.goto(f"{base}/surveys/{campaign.pk}/invitations/")
    desk.get_by_text("This campaign is anonymous").wait_for()
    desk.once("dialog", lambda dialog: dialog.accept())  # the data-confirm question
    desk.get_by_role("button", name="Withdraw link").first.click()
    desk.get_by_text("The link is withdrawn").wait_for()
    screenshot(desk, "surveys-invitations")
    desk.goto(f"{base}/surveys/confidentiality/")
    desk.get_by_label("Minimum group (anonymous pulses)").fill("2")
    desk.get_by_role("button", name="Save the minimums").click()
    desk.get_by_text("never be below 3").wait_for()
    screenshot(desk, "surveys-minimums-refused")
    phone = page_at(PHONE)
    sign_in(phone, base, "inv-admin@acme.test")
    phone.goto(f"{base}/surveys/{campaign.pk}/invitations/")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    screenshot(phone, "surveys-invitations-phone")
    assert desk.js_errors == []
    assert phone.js_errors == []
