"""The fake Slack/Teams server (started once, in a thread) and an organisation connected
to it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from bellwether.accounts.models import Membership
from bellwether.integrations.chat import services
from bellwether.integrations.chat.models import SlackWorkspace, TeamsWebhook
from bellwether.integrations.chat.tests.fake_server import GOOD_TOKEN, FakeChatServer


@pytest.fixture(scope="session")
def _fake_chat_server() -> Iterator[FakeChatServer]:
    server = FakeChatServer().start()
    yield server
    server.stop()


@pytest.fixture
def chat_server(_fake_chat_server: FakeChatServer, settings: Any) -> FakeChatServer:
    """The fake server, emptied, with slack-sdk's base_url pointed at it and its host
    allowed for Teams webhooks."""
    _fake_chat_server.reset()
    settings.BELLWETHER_SLACK_API_URL = _fake_chat_server.slack_api_url
    settings.BELLWETHER_TEAMS_EXTRA_HOSTS = ["127.0.0.1"]
    return _fake_chat_server


@pytest.fixture
def slack(chat_server: FakeChatServer, members: dict[str, Membership]) -> SlackWorkspace:
    """Organisation A connected to the fake workspace; its leader and admin are Slack users."""
    chat_server.add_user("leader@acme.test", "U0LEADER1")
    chat_server.add_user("admin@acme.test", "U0ADMIN01")
    return services.connect_slack(membership=members["admin"], token=GOOD_TOKEN)


@pytest.fixture
def teams(chat_server: FakeChatServer, members: dict[str, Membership]) -> TeamsWebhook:
    return services.connect_teams(
        membership=members["admin"], url=chat_server.teams_url("accepted"), name="Leaders"
    )
