"""Delivery by Slack and Teams through the worker, against the fake server: sent, looked up
once, retried with backoff and Retry-After, paused on a rate limit, and by email when the
service will not take it."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bellwether.accounts.models import Membership
from bellwether.core.models import AuditEvent
from bellwether.integrations.chat import messages, services
from bellwether.integrations.chat.models import (
    ChatDelivery,
    ChatPreference,
    SlackUser,
    SlackWorkspace,
    TeamsWebhook,
)
from bellwether.integrations.chat.tests.fake_server import FakeChatServer

pytestmark = pytest.mark.django_db

Status = ChatDelivery.Status
MESSAGE = messages.ChatMessage(
    title="Check-in for Thursday 03 December",
    text="Your AI leadership check-in takes under 30 seconds.",
    link="https://bellwether.example/behaviours/c/abc",
    link_label="Check in",
)


def choose(membership: Membership, kind: str, channel: str) -> None:
    ChatPreference.objects.create(
        organisation=membership.organisation, membership=membership, kind=kind, channel=channel
    )


def send(membership: Membership, capture: Any, kind: str = messages.CHECK_IN) -> ChatDelivery:
    with capture(execute=True):
        assert services.dispatch(kind=kind, message=MESSAGE, membership=membership)
    return ChatDelivery.objects.get(membership=membership)


def test_a_member_who_chose_nothing_gets_email(
    slack: SlackWorkspace, members: dict[str, Membership]
) -> None:
    assert not services.dispatch(
        kind=messages.CHECK_IN, message=MESSAGE, membership=members["leader"]
    )
    assert not ChatDelivery.objects.exists()


def test_the_email_path_costs_one_query(
    slack: SlackWorkspace, members: dict[str, Membership], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        services.dispatch(kind=messages.CHECK_IN, message=MESSAGE, person=members["leader"].person)


def test_a_choice_of_a_channel_since_disconnected_gets_email(
    chat_server: FakeChatServer, members: dict[str, Membership]
) -> None:
    choose(members["leader"], messages.CHECK_IN, messages.SLACK)
    assert not services.dispatch(
        kind=messages.CHECK_IN, message=MESSAGE, membership=members["leader"]
    )


def test_slack_direct_message_with_the_link_button(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
) -> None:
    leader = members["leader"]
    choose(leader, messages.CHECK_IN, messages.SLACK)
    delivery = send(leader, django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts, delivery.channel) == (Status.SENT, 1, "slack")
    (lookup,) = chat_server.requests_to("users.lookupByEmail")
    assert lookup.body == {"email": "leader@acme.test"}
    (post,) = chat_server.requests_to("chat.postMessage")
    assert post.body["channel"] == "U0LEADER1"
    assert post.headers["Content-Type"].startswith("application/json")
    button = post.body["blocks"][-1]["elements"][0]
    assert (button["url"], button["text"]["text"]) == (MESSAGE.link, "Check in")
    assert MESSAGE.link in post.body["text"]
    assert mail.outbox == []


def test_the_slack_user_is_looked_up_once(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
) -> None:
    leader = members["leader"]
    choose(leader, messages.CHECK_IN, messages.SLACK)
    choose(leader, messages.REVIEWS_DUE, messages.SLACK)
    send(leader, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        services.dispatch(kind=messages.REVIEWS_DUE, message=MESSAGE, membership=leader)
    assert len(chat_server.requests_to("chat.postMessage")) == 2
    assert len(chat_server.requests_to("users.lookupByEmail")) == 1
    assert SlackUser.objects.get().slack_user_id == "U0LEADER1"


def test_a_key_is_sent_once(
    slack: SlackWorkspace, members: dict[str, Membership], django_capture_on_commit_callbacks: Any
) -> None:
    choose(members["leader"], messages.CHECK_IN, messages.SLACK)
    for _ in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            assert services.dispatch(
                kind=messages.CHECK_IN, message=MESSAGE, membership=members["leader"], key="k1"
            )
    assert ChatDelivery.objects.count() == 1


@pytest.mark.parametrize("answer", ["channel_not_found", "invalid_auth"])
def test_a_refusal_for_good_goes_by_email_at_once(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
    answer: str,
) -> None:
    choose(members["leader"], messages.CHECK_IN, messages.SLACK)
    chat_server.answer_next("chat.postMessage", answer)
    delivery = send(members["leader"], django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts) == (Status.FELL_BACK, 1)
    assert answer in delivery.error
    (email,) = mail.outbox
    assert email.to == ["leader@acme.test"]
    assert email.subject == MESSAGE.title
    assert MESSAGE.link in email.body
    assert AuditEvent.objects.filter(action="chat.fell_back_to_email").count() == 1
    slack.refresh_from_db()
    # A bad token is the workspace's problem (shown to the admin); an unknown channel is not.
    assert bool(slack.last_error) is (answer == "invalid_auth")
    if answer == "channel_not_found":
        assert not SlackUser.objects.exists()  # looked up again next time


def test_a_member_slack_does_not_know_gets_email(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
) -> None:
    choose(members["sponsor"], messages.CHECK_IN, messages.SLACK)  # not a Slack user
    delivery = send(members["sponsor"], django_capture_on_commit_callbacks)
    assert delivery.status == Status.FELL_BACK
    assert "users_not_found" in delivery.error
    assert [m.to for m in mail.outbox] == [["sponsor@acme.test"]]


def test_a_rate_limit_is_retried_after_retry_after_and_pauses_the_workspace(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
    database_queue: None,
) -> None:
    """With the database queue (the worker's), the retry is queued to run no sooner than
    Slack's Retry-After (30 s), longer than the first backoff (5 s)."""
    choose(members["leader"], messages.CHECK_IN, messages.SLACK)
    chat_server.answer_next("chat.postMessage", "ratelimited")
    delivery = send(members["leader"], django_capture_on_commit_callbacks)
    before = timezone.now()
    assert services.deliver(delivery_id=delivery.pk) == Status.RETRYING

    delivery.refresh_from_db()
    slack.refresh_from_db()
    assert delivery.attempts == 1
    assert "limiting requests" in delivery.error
    assert delivery.next_attempt_at is not None
    assert delivery.next_attempt_at >= before + dt.timedelta(seconds=30)
    assert slack.paused_until is not None
    assert slack.paused_until >= before + dt.timedelta(seconds=30)
    retry = DBTaskResult.objects.filter(task_path__endswith="deliver_chat_message").latest(
        "enqueued_at"
    )
    assert retry.run_after is not None
    assert retry.run_after >= before + dt.timedelta(seconds=30)

    # Another message to the same workspace waits too, without spending a try or a request.
    choose(members["admin"], messages.CHECK_IN, messages.SLACK)
    other = send(members["admin"], django_capture_on_commit_callbacks)
    assert services.deliver(delivery_id=other.pk) == Status.RETRYING
    other.refresh_from_db()
    assert other.attempts == 0
    assert len(chat_server.requests_to("chat.postMessage")) == 1

    # Once the pause is over, the retry goes through.
    SlackWorkspace.objects.update(paused_until=timezone.now() - dt.timedelta(seconds=1))
    assert services.deliver(delivery_id=delivery.pk) == Status.SENT
    delivery.refresh_from_db()
    assert delivery.attempts == 2
    assert mail.outbox == []


def test_backoff_doubles_between_tries(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
    database_queue: None,
) -> None:
    choose(members["leader"], messages.CHECK_IN, messages.SLACK)
    chat_server.answer_next("chat.postMessage", "internal_error", "internal_error")
    delivery = send(members["leader"], django_capture_on_commit_callbacks)
    waits = []
    for _ in range(2):
        before = timezone.now()
        services.deliver(delivery_id=delivery.pk)
        delivery.refresh_from_db()
        assert delivery.next_attempt_at is not None
        waits.append((delivery.next_attempt_at - before).total_seconds())
    assert 5 <= waits[0] < 10 <= waits[1] < 20


def test_after_the_last_retry_the_message_goes_by_email(
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
    settings: Any,
) -> None:
    """With the test queue (jobs run at once) every retry runs straight away: five tries,
    all refused for now, then email."""
    settings.BELLWETHER_CHAT_ATTEMPTS = 5
    choose(members["leader"], messages.CHECK_IN, messages.SLACK)
    chat_server.answer_next("chat.postMessage", *["ratelimited"] * 5)
    delivery = send(members["leader"], django_capture_on_commit_callbacks)

    assert (delivery.status, delivery.attempts) == (Status.FELL_BACK, 5)
    assert len(chat_server.requests_to("chat.postMessage")) == 5
    assert [m.to for m in mail.outbox] == [["leader@acme.test"]]


def test_teams_card_mentions_the_member(
    teams: TeamsWebhook,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
) -> None:
    chat_server.reset()
    choose(members["leader"], messages.CHECK_IN, messages.TEAMS)
    delivery = send(members["leader"], django_capture_on_commit_callbacks)

    assert delivery.status == Status.SENT
    (post,) = chat_server.state.requests
    card = post.body["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Check in", "url": MESSAGE.link}]
    mention = card["msteams"]["entities"][0]
    assert mention["mentioned"] == {"id": "leader@acme.test", "name": "Lena Leader"}
    assert post.body["recipient"]["email"] == "leader@acme.test"


@pytest.mark.parametrize(
    ("answers", "status", "tries"),
    [
        (["bad_request"], Status.FELL_BACK, 1),
        (["too_many_requests", "accepted"], Status.SENT, 2),
        (["connector_ok"], Status.SENT, 1),
    ],
)
def test_teams_answers(
    teams: TeamsWebhook,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
    answers: list[str],
    status: str,
    tries: int,
) -> None:
    choose(members["leader"], messages.CHECK_IN, messages.TEAMS)
    chat_server.answer_next("teams", *answers)
    delivery = send(members["leader"], django_capture_on_commit_callbacks)
    assert (delivery.status, delivery.attempts) == (status, tries)
    assert len(mail.outbox) == (1 if status == Status.FELL_BACK else 0)


def test_a_disconnected_workspace_sends_queued_messages_by_email(
    slack: SlackWorkspace,
    members: dict[str, Membership],
    django_capture_on_commit_callbacks: Any,
) -> None:
    choose(members["leader"], messages.CHECK_IN, messages.SLACK)
    assert services.dispatch(kind=messages.CHECK_IN, message=MESSAGE, membership=members["leader"])
    delivery = ChatDelivery.objects.get()
    services.disconnect_slack(membership=members["admin"])
    assert services.deliver(delivery_id=delivery.pk) == Status.FELL_BACK
    assert len(mail.outbox) == 1
