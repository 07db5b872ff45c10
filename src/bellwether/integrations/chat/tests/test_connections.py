"""Connecting Slack (checked with auth.test) and Teams (checked with a test card) against
the fake server; a workspace or webhook that answers an error changes nothing."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.integrations.chat import secrets, services
from bellwether.integrations.chat.models import SlackWorkspace, TeamsWebhook
from bellwether.integrations.chat.tests.fake_server import GOOD_TOKEN, FakeChatServer

pytestmark = pytest.mark.django_db


def test_connecting_slack_checks_the_token_and_keeps_it_encrypted(
    chat_server: FakeChatServer, members: dict[str, Membership]
) -> None:
    workspace = services.connect_slack(membership=members["admin"], token=GOOD_TOKEN)

    assert (workspace.team_id, workspace.team_name, workspace.bot_user_id) == (
        "T0ACME001",
        "Acme Leaders",
        "U0BOT0001",
    )
    (call,) = chat_server.requests_to("auth.test")
    assert call.headers["Authorization"] == f"Bearer {GOOD_TOKEN}"
    stored = SlackWorkspace.objects.get()
    assert GOOD_TOKEN not in stored.token_encrypted
    assert secrets.decrypt(stored.token_encrypted) == GOOD_TOKEN
    assert stored.token_hint == "xoxb-…ests"
    event = AuditEvent.objects.get(action="chat.slack_connected")
    assert GOOD_TOKEN not in str(event.details)


@pytest.mark.parametrize(
    ("answer", "words"),
    [("invalid_auth", "does not recognise this token"), ("token_revoked", "has been revoked")],
)
def test_a_workspace_that_answers_an_error_changes_nothing(
    chat_server: FakeChatServer, members: dict[str, Membership], answer: str, words: str
) -> None:
    chat_server.answer_next("auth.test", answer)
    with pytest.raises(DomainError) as refused:
        services.connect_slack(membership=members["admin"], token="xoxb-some-other-token")
    assert words in refused.value.message
    assert "Nothing was changed" in refused.value.message
    assert not SlackWorkspace.objects.exists()
    assert not AuditEvent.objects.filter(action="chat.slack_connected").exists()


def test_a_failed_reconnect_keeps_the_working_token(
    chat_server: FakeChatServer, members: dict[str, Membership]
) -> None:
    services.connect_slack(membership=members["admin"], token=GOOD_TOKEN)
    with pytest.raises(DomainError):
        services.connect_slack(membership=members["admin"], token="xoxb-wrong")
    assert secrets.decrypt(SlackWorkspace.objects.get().token_encrypted) == GOOD_TOKEN


@pytest.mark.parametrize("token", ["", "xoxp-a-user-token", "not a token", "xoxb-two words"])
def test_a_token_that_is_not_a_bot_token_is_refused_before_asking_slack(
    chat_server: FakeChatServer, members: dict[str, Membership], token: str
) -> None:
    with pytest.raises(DomainError):
        services.connect_slack(membership=members["admin"], token=token)
    assert chat_server.state.requests == []
    assert not SlackWorkspace.objects.exists()


def test_connecting_teams_posts_a_test_card(
    chat_server: FakeChatServer, members: dict[str, Membership]
) -> None:
    webhook = services.connect_teams(
        membership=members["admin"], url=chat_server.teams_url("accepted"), name="Leaders"
    )
    (call,) = chat_server.state.requests
    card = call.body["attachments"][0]
    assert card["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert card["content"]["body"][0]["text"] == "Bellwether is connected"
    assert secrets.decrypt(webhook.url_encrypted) == chat_server.teams_url("accepted")
    assert webhook.url_hint == chat_server.url


def test_a_classic_incoming_webhook_that_answers_200_is_accepted(
    chat_server: FakeChatServer, members: dict[str, Membership]
) -> None:
    services.connect_teams(
        membership=members["admin"], url=chat_server.teams_url("connector_ok"), name=""
    )
    assert TeamsWebhook.objects.get().name == "Teams"


@pytest.mark.parametrize(
    ("answer", "words"),
    [
        ("bad_request", "HTTP 400"),
        ("not_found", "HTTP 404"),
        ("too_many_requests", "HTTP 429"),
    ],
)
def test_a_webhook_that_answers_an_error_changes_nothing(
    chat_server: FakeChatServer, members: dict[str, Membership], answer: str, words: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.connect_teams(
            membership=members["admin"], url=chat_server.teams_url(answer), name="x"
        )
    assert words in refused.value.message
    assert not TeamsWebhook.objects.exists()


@pytest.mark.parametrize(
    "url",
    [
        "http://prod-01.westeurope.logic.azure.com/workflows/abc",
        "https://example.com/webhook",
        "https://169.254.169.254/latest/meta-data",
        "ftp://acme.webhook.office.com/x",
        "not a url",
        "https://user:pw@acme.webhook.office.com/webhookb2/x",
    ],
)
def test_a_url_that_is_not_a_teams_webhook_is_refused_without_a_request(
    chat_server: FakeChatServer, members: dict[str, Membership], url: str
) -> None:
    with pytest.raises(DomainError):
        services.connect_teams(membership=members["admin"], url=url, name="x")
    assert chat_server.state.requests == []
    assert not TeamsWebhook.objects.exists()


def test_the_admin_page_shows_slack_s_error_beside_the_form(
    chat_server: FakeChatServer, client_for, members: dict[str, Membership]
) -> None:
    client: Client = client_for("admin")
    chat_server.answer_next("auth.test", "invalid_auth")
    response = client.post(reverse("chat:connect_slack"), {"token": "xoxb-wrong-token"})
    assert response.status_code == 400
    assert "does not recognise this token" in response.content.decode()
    assert not SlackWorkspace.objects.exists()

    response = client.post(reverse("chat:connect_slack"), {"token": GOOD_TOKEN}, follow=True)
    assert "Slack workspace “Acme Leaders” connected." in response.content.decode()
    assert GOOD_TOKEN not in response.content.decode()


def test_disconnecting_removes_the_token(
    slack: SlackWorkspace, teams: TeamsWebhook, client_for
) -> None:
    client: Client = client_for("admin")
    client.post(reverse("chat:disconnect_slack"))
    client.post(reverse("chat:disconnect_teams"))
    assert not SlackWorkspace.objects.exists()
    assert not TeamsWebhook.objects.exists()


def test_another_organisation_s_admin_sees_only_their_own(
    slack: SlackWorkspace, client_for
) -> None:
    page = client_for("outsider").get(reverse("chat:admin")).content.decode()
    assert "Acme Leaders" not in page
    assert "Not connected" in page
