"""The admin's page (refusals, the delivery log in pages with a fixed number of queries)
and the member's choice of channels (a choice Slack or the organisation cannot honour is
refused with a clear message and changes nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.core.models import AuditEvent
from bellwether.integrations.chat import messages, selectors
from bellwether.integrations.chat.models import (
    ChatDelivery,
    ChatPreference,
    SlackWorkspace,
    TeamsWebhook,
)
from bellwether.integrations.chat.tests.fake_server import GOOD_TOKEN, FakeChatServer

pytestmark = pytest.mark.django_db

ALL_EMAIL = {kind: messages.EMAIL for kind, _label in messages.KINDS}


@pytest.mark.parametrize("role", ["sponsor", "leader", "coach", "reviewer"])
@pytest.mark.parametrize(
    "name",
    ["chat:connect_slack", "chat:disconnect_slack", "chat:connect_teams", "chat:disconnect_teams"],
)
def test_only_admins_may_connect_or_disconnect(
    chat_server: FakeChatServer,
    slack: SlackWorkspace,
    teams: TeamsWebhook,
    client_for: Any,
    role: str,
    name: str,
) -> None:
    requests = len(chat_server.state.requests)
    response = client_for(role).post(
        reverse(name), {"token": GOOD_TOKEN, "url": chat_server.teams_url(), "name": "x"}
    )
    assert response.status_code == 403
    assert SlackWorkspace.objects.get().pk == slack.pk
    assert TeamsWebhook.objects.get().pk == teams.pk
    assert len(chat_server.state.requests) == requests
    assert AuditEvent.objects.filter(action="permission.denied").exists()


def test_another_organisation_s_admin_cannot_disconnect_ours(
    slack: SlackWorkspace, teams: TeamsWebhook, client_for: Any
) -> None:
    client = client_for("outsider")
    client.post(reverse("chat:disconnect_slack"))
    client.post(reverse("chat:disconnect_teams"))
    assert SlackWorkspace.objects.filter(pk=slack.pk).exists()
    assert TeamsWebhook.objects.filter(pk=teams.pk).exists()


def _log(membership: Membership, count: int) -> None:
    ChatDelivery.objects.bulk_create(
        ChatDelivery(
            organisation=membership.organisation,
            membership=membership,
            recipient=membership.user.email,
            kind=messages.CHECK_IN,
            channel=messages.SLACK,
            status=ChatDelivery.Status.SENT,
            attempts=1,
            message={"title": f"m{n}"},
        )
        for n in range(count)
    )


def test_the_delivery_log_is_paged_in_a_fixed_number_of_queries(
    slack: SlackWorkspace, members: dict[str, Membership], client_for: Any
) -> None:
    client = client_for("admin")
    url = reverse("chat:admin")
    _log(members["leader"], 3)
    client.get(url)  # the first request of a session does extra work once

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries.captured_queries)

    few = count()
    _log(members["leader"], 2 * selectors.DELIVERIES_PER_PAGE)
    assert count() == few
    page = client.get(url, {"page": 3}).content.decode()
    assert "Page 3 of 3" in page
    assert "leader@acme.test" in page


def test_a_member_chooses_slack_for_check_ins(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    client_for: Any,
    members: dict[str, Membership],
) -> None:
    client = client_for("leader")
    page = client.get(reverse("chat:preferences")).content.decode()
    assert "The daily check-in link" in page
    assert '<option value="slack">Slack</option>' in page
    assert "Microsoft Teams" not in page  # not connected: not offered

    response = client.post(
        reverse("chat:preferences"), ALL_EMAIL | {messages.CHECK_IN: messages.SLACK}, follow=True
    )
    assert "Your choices are saved." in response.content.decode()
    assert selectors.channels_of(members["leader"]) == ALL_EMAIL | {messages.CHECK_IN: "slack"}
    assert [r.body for r in chat_server.requests_to("users.lookupByEmail")] == [
        {"email": "leader@acme.test"}
    ]
    assert ChatPreference.objects.count() == 1  # email is the default: no row for it


def test_a_member_slack_does_not_know_is_told_and_nothing_changes(
    slack: SlackWorkspace, client_for: Any, members: dict[str, Membership]
) -> None:
    response = client_for("sponsor").post(
        reverse("chat:preferences"), ALL_EMAIL | {messages.SURVEYS: messages.SLACK}
    )
    assert response.status_code == 400
    assert "Slack has no user with your address sponsor@acme.test" in response.content.decode()
    assert not ChatPreference.objects.exists()


def test_a_channel_the_organisation_has_not_connected_is_refused(
    chat_server: FakeChatServer, client_for: Any
) -> None:
    response = client_for("leader").post(
        reverse("chat:preferences"), ALL_EMAIL | {messages.SURVEYS: messages.TEAMS}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose email or a chat app your organisation has connected." in page
    assert "teams is not one of" not in page
    assert not ChatPreference.objects.exists()


def test_choosing_email_again_removes_the_choice(
    slack: SlackWorkspace, client_for: Any, members: dict[str, Membership]
) -> None:
    client = client_for("leader")
    client.post(reverse("chat:preferences"), ALL_EMAIL | {messages.REVIEWS_DUE: messages.SLACK})
    client.post(reverse("chat:preferences"), ALL_EMAIL)
    assert not ChatPreference.objects.exists()
