"""End to end: a sign-in request queues a job; the worker sends the mail to a real SMTP server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.message import Message
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from bellwether.accounts.tests.helpers import signed_in_user_id
from bellwether.testing.smtp import MailServer, route_mail_to


@pytest.fixture
def smtp_inbox(settings: Any, database_queue: None) -> Iterator[MailServer]:
    """A real SMTP server the worker's mail goes to."""
    server = MailServer().start()
    route_mail_to(settings, server.port)
    yield server
    server.stop()


def _text_part(message: Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_mail_reaches_a_real_smtp_server_through_the_worker(smtp_inbox, members):
    response = Client().post("/accounts/sign-in/link/", {"email": "leader@acme.test"})
    assert response.status_code == 302
    # Nothing is sent inside the web request: the job waits in the database.
    assert smtp_inbox.messages == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("worker", "--batch", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(smtp_inbox.messages) == 1
    recipients, message = smtp_inbox.messages[0]
    assert recipients == ["leader@acme.test"]
    assert message["Subject"] == "Your Bellwether sign-in link"
    assert message["To"] == "leader@acme.test"
    assert message.is_multipart()
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    text = _text_part(message)
    link = re.search(
        r"https://bellwether\.example\.com/accounts/sign-in/link/([A-Za-z0-9_-]{43})/", text
    )
    code = re.search(r"enter this code on the sign-in page: (\d{6})", text)
    assert link
    assert code

    # The mailed code really signs the leader in.
    client = Client()
    client.post("/accounts/sign-in/code/", {"email": "leader@acme.test", "code": code.group(1)})
    assert signed_in_user_id(client) == str(members["leader"].user.pk)


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_nothing_for_an_unknown_address(smtp_inbox):
    Client().post("/accounts/sign-in/link/", {"email": "nobody@acme.test"})
    call_command("worker", "--batch", verbosity=0)
    assert DBTaskResult.objects.count() == 0
    assert smtp_inbox.messages == []
