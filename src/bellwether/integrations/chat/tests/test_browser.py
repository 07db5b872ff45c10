"""In a real Chromium, against the fake Slack server: an admin connects a Slack workspace
(a wrong token first: Slack's error is shown and nothing is kept), then a leader, on a
375 px phone, chooses Slack for the daily check-in link."""

from __future__ import annotations

from typing import Any

import pytest

from bellwether.accounts.models import Membership
from bellwether.integrations.chat import messages, selectors
from bellwether.integrations.chat.models import SlackWorkspace
from bellwether.integrations.chat.tests.fake_server import GOOD_TOKEN, FakeChatServer
from bellwether.testing.a11y import overflow, serious_violations
from bellwether.testing.browser import DESKTOP, PHONE, open_menu, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_admin_connects_slack_and_a_leader_chooses_it(
    page_at: Any, live_server: Any, chat_server: FakeChatServer, members: dict[str, Membership]
) -> None:
    chat_server.add_user("leader@acme.test", "U0LEADER1")
    base = live_server.url
    admin = page_at(DESKTOP)
    sign_in(admin, base, "admin@acme.test")
    open_menu(admin, "Slack and Teams")
    admin.get_by_role("heading", name="Slack and Microsoft Teams").wait_for()

    chat_server.answer_next("auth.test", "invalid_auth")
    admin.get_by_label("Bot User OAuth Token").fill("xoxb-a-token-slack-refuses")
    admin.get_by_role("button", name="Connect Slack").click()
    admin.get_by_text("Slack does not recognise this token (invalid_auth).").wait_for()
    assert not SlackWorkspace.objects.exists()
    assert admin.js_errors == []
    admin.js_errors.clear()

    admin.get_by_label("Bot User OAuth Token").fill(GOOD_TOKEN)
    admin.get_by_role("button", name="Connect Slack").click()
    admin.get_by_text("Slack workspace “Acme Leaders” connected.").wait_for()
    assert "Connected to Acme Leaders" in admin.locator("#slack-status").inner_text()
    assert GOOD_TOKEN not in admin.content()
    assert serious_violations(admin) == []
    screenshot(admin, "chat-admin-connected")
    assert admin.js_errors == []

    phone = page_at(PHONE)
    sign_in(phone, base, "leader@acme.test")
    open_menu(phone, "Notifications")
    phone.get_by_role("heading", name="Where your messages go").wait_for()
    phone.get_by_label("The daily check-in link").select_option("slack")
    assert overflow(phone) == 0
    phone.get_by_role("button", name="Save").click()
    phone.get_by_text("Your choices are saved.").wait_for()
    assert phone.get_by_label("The daily check-in link").input_value() == "slack"
    assert serious_violations(phone) == []
    screenshot(phone, "chat-preferences-phone")
    assert phone.js_errors == []

    assert selectors.channels_of(members["leader"])[messages.CHECK_IN] == messages.SLACK
    assert [r.body for r in chat_server.requests_to("users.lookupByEmail")] == [
        {"email": "leader@acme.test"}
    ]
