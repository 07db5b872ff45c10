"""A leader's journey on a phone (375 px) in a real Chromium: open my communications,
tap "Delivered" for the weekly slot, log a monthly report with the form, subscribe to the
calendar; nothing is wider than the screen."""

from __future__ import annotations

import pytest
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.communications import services
from bellwether.communications.models import Delivery
from bellwether.people.models import LeaderLevel
from bellwether.testing.browser import PHONE, screenshot, sign_in
from bellwether.testing.factories import (
    OrganisationFactory,
    PersonFactory,
    make_member,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "olivia@acme.test"


@pytest.fixture
def leader(transactional_db):
    org = OrganisationFactory(name="Acme Corp", slug="acme")
    person = PersonFactory(
        organisation=org,
        employee_id="O001",
        name="Olivia Ops",
        leader_level=LeaderLevel.OPERATIONAL,
    )
    make_member(org, Role.LEADER, email=EMAIL, person=person)
    services.generate_plan(person=person, actor=None)
    return person


def _fits(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"] + 1


def test_a_leader_logs_deliveries_and_subscribes_on_a_phone(page_at, live_server, leader):
    base = live_server.url
    page = page_at(PHONE)
    sign_in(page, base, EMAIL)

    page.goto(f"{base}/communications/")
    assert page.get_by_role("heading", name="My communications").is_visible()
    _fits(page)
    page.get_by_role("button", name="Delivered: Weekly team AI tool usage and benefits").click()
    page.wait_for_url(f"{base}/communications/")
    assert page.get_by_text("Logged as delivered.").is_visible()
    assert Delivery.objects.filter(cadence_key="cadence.operational.tool_usage").count() == 1
    screenshot(page, "communications-mine-phone")

    page.get_by_role("link", name="Log a delivery").first.click()
    page.wait_for_url(f"**/communications/leaders/{leader.pk}/log/")
    _fits(page)
    earlier = timezone.localtime() - timezone.timedelta(hours=3)
    page.get_by_label("When").fill(earlier.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("For which cadence").select_option("cadence.operational.experimentation")
    page.get_by_label("Channel").select_option("channel.chat")
    page.get_by_label("Employees").check()
    page.get_by_label("AI Opportunity").check()
    page.get_by_label("Title").fill("Prompt of the day")
    page.get_by_role("button", name="Log it").click()
    page.wait_for_url(f"**/communications/leaders/{leader.pk}/")
    assert page.get_by_text("Prompt of the day").is_visible()
    delivery = Delivery.objects.get(title="Prompt of the day")
    assert delivery.messages == ["message.opportunity"]

    page.goto(f"{base}/communications/feed/")
    page.get_by_role("button", name="Create my calendar address").click()
    link = page.locator("#webcal-link").get_attribute("href")
    assert link is not None
    assert link.startswith("webcal://")
    _fits(page)
    screenshot(page, "communications-feed-phone")
    feed = page.request.get(link.replace("webcal://", "http://", 1))
    assert feed.status == 200
    assert "BEGIN:VCALENDAR" in feed.text()
