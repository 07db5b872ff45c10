"""The API twins: a member reads and sets their channels (refusals are 400 in the one
error format and change nothing); the admin pages through the delivery log."""

from __future__ import annotations

import json

import pytest

from bellwether.accounts.models import Membership
from bellwether.integrations.chat import messages
from bellwether.integrations.chat.models import ChatPreference, SlackWorkspace
from bellwether.integrations.chat.tests.fake_server import FakeChatServer
from bellwether.integrations.chat.tests.test_pages import _log
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db
BASE = "/api/v1/chat"


def _put(client, body):
    return client.put(f"{BASE}/channels", json.dumps(body), content_type="application/json")


def test_a_member_reads_and_sets_their_channels(
    slack: SlackWorkspace, chat_server: FakeChatServer, members: dict[str, Membership]
) -> None:
    client = api_client_for(members["leader"])
    answer = client.get(f"{BASE}/channels").json()
    assert answer["available"] == ["email", "slack"]
    assert set(answer["channels"].values()) == {"email"}

    answer = _put(client, {"check_in": "slack"}).json()
    assert answer["channels"]["check_in"] == "slack"
    assert answer["channels"]["surveys"] == "email"
    assert ChatPreference.objects.get().channel == messages.SLACK


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"check_in": "teams"}, "has not connected Microsoft Teams"),
        ({"check_in": "pigeon"}, ""),
        ({"unknown_kind": "email"}, ""),
        ({"check_in": 3}, ""),
    ],
)
def test_a_refused_choice_is_a_400_and_changes_nothing(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    body: dict[str, object],
    words: str,
) -> None:
    response = _put(api_client_for(members["leader"]), body)
    assert response.status_code in (400, 422)
    assert "error" in response.json()
    assert words in response.json()["error"]["message"]
    assert not ChatPreference.objects.exists()


def test_a_member_slack_does_not_know_is_refused(
    slack: SlackWorkspace, chat_server: FakeChatServer, members: dict[str, Membership]
) -> None:
    response = _put(api_client_for(members["sponsor"]), {"surveys": "slack"})
    assert response.status_code == 400
    assert "Slack has no user with your address" in response.json()["error"]["message"]
    assert not ChatPreference.objects.exists()


def test_the_admin_pages_through_the_log_others_are_refused(
    slack: SlackWorkspace, members: dict[str, Membership]
) -> None:
    _log(members["leader"], 7)
    page = (
        api_client_for(members["admin"]).get(f"{BASE}/deliveries", {"limit": 5, "offset": 5}).json()
    )
    assert (page["count"], len(page["items"])) == (7, 2)
    assert page["items"][0]["recipient"] == "leader@acme.test"
    assert page["items"][0]["status"] == "sent"
    assert api_client_for(members["leader"]).get(f"{BASE}/deliveries").status_code == 403
    outsider = api_client_for(members["outsider"]).get(f"{BASE}/deliveries").json()
    assert outsider["count"] == 0
