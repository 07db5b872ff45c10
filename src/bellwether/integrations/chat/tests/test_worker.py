"""Through the real worker (``bellwether worker --batch`` on the database queue): a
message is sent by the job; a rate-limited one goes back to the queue for no sooner than
Slack's Retry-After, and the batch run leaves it there; keys are rotated without losing
the token."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bellwether.accounts.models import Membership
from bellwether.integrations.chat import messages, secrets, services
from bellwether.integrations.chat.models import ChatDelivery, SlackWorkspace
from bellwether.integrations.chat.tests.fake_server import GOOD_TOKEN, FakeChatServer
from bellwether.integrations.chat.tests.test_delivery import MESSAGE, choose

Status = ChatDelivery.Status


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_and_waits_out_a_rate_limit(
    database_queue: None,
    slack: SlackWorkspace,
    chat_server: FakeChatServer,
    members: dict[str, Membership],
) -> None:
    choose(members["leader"], messages.CHECK_IN, messages.SLACK)
    choose(members["admin"], messages.CHECK_IN, messages.SLACK)
    assert services.dispatch(kind=messages.CHECK_IN, message=MESSAGE, membership=members["leader"])
    assert not chat_server.requests_to("chat.postMessage")  # nothing is sent in the request
    call_command("worker", "--batch", verbosity=0)
    assert ChatDelivery.objects.get().status == Status.SENT
    assert len(chat_server.requests_to("chat.postMessage")) == 1

    chat_server.answer_next("chat.postMessage", "ratelimited")
    before = timezone.now()
    services.dispatch(kind=messages.CHECK_IN, message=MESSAGE, membership=members["admin"])
    call_command("worker", "--batch", verbosity=0)
    delivery = ChatDelivery.objects.get(membership=members["admin"])
    assert (delivery.status, delivery.attempts) == (Status.RETRYING, 1)
    waiting = DBTaskResult.objects.filter(status="READY").get()
    assert waiting.run_after is not None
    assert waiting.run_after >= before + dt.timedelta(seconds=30)
    assert len(chat_server.requests_to("chat.postMessage")) == 2  # no try before Retry-After
    assert mail.outbox == []

    # Its time come, the worker runs it and it goes through.
    DBTaskResult.objects.filter(pk=waiting.pk).update(run_after=timezone.now())
    SlackWorkspace.objects.update(paused_until=None)
    call_command("worker", "--batch", verbosity=0)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Status.SENT, 2)


@pytest.mark.django_db
def test_a_rotated_key_still_opens_the_token(
    chat_server: FakeChatServer, members: dict[str, Membership], settings: Any
) -> None:
    services.connect_slack(membership=members["admin"], token=GOOD_TOKEN)
    stored = SlackWorkspace.objects.get().token_encrypted
    old = settings.BELLWETHER_SEALING_KEY or settings.SECRET_KEY
    settings.BELLWETHER_SEALING_KEY = "a-new-key-for-the-rotation-test-0123456789"
    settings.SECRET_KEY_FALLBACKS = [old]
    assert secrets.decrypt(stored) == GOOD_TOKEN
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(secrets.SecretUnreadable):
        secrets.decrypt(stored)
