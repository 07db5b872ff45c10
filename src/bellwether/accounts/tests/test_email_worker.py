"""End to end: a sign-in request queues a job; the worker sends the mail to a real SMTP server."""

from __future__ import annotations

import email
import re
import socket
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from bellwether.accounts.tests.helpers import signed_in_user_id


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox(settings):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.BELLWETHER_BASE_URL = "https://bellwether.example.com"
    # Changing TASKS fires setting_changed, which makes django-tasks drop its cached
    # backends; the job is then stored in the database for the worker.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    yield inbox
    controller.stop()


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
