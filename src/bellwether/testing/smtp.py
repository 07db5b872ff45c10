"""A real SMTP server for tests (aiosmtpd on 127.0.0.1) that can refuse, defer or hang up."""

from __future__ import annotations

import email
import socket
from collections import Counter
from email.header import decode_header, make_header
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller
from django.core.management import call_command

from bellwether.testing.jobs import store_jobs_in_database


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class MailServer:
    """Keeps every message it accepts. ``refuse``: addresses answered 550 (for good);
    ``defer``: address -> how many times it is answered 451 (try later) before being
    taken; ``hang_up_on``: addresses whose message is answered 421 and the connection
    closed, once each."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_port()
        self.messages: list[tuple[list[str], Message]] = []
        self.refuse: set[str] = set()
        self.defer: dict[str, int] = {}
        self.hang_up_on: set[str] = set()
        self.controller: Controller | None = None

    def start(self) -> MailServer:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 No such user here"
        if self.defer.get(address, 0) > 0:
            self.defer[address] -= 1
            return "451 4.7.1 Greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        hung_up = [a for a in envelope.rcpt_tos if a in self.hang_up_on]
        if hung_up:
            self.hang_up_on.difference_update(hung_up)
            server.transport.close()
            return "421 4.3.0 Closing the connection"
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def recipients(self) -> list[str]:
        return [address for rcpts, _message in self.messages for address in rcpts]

    def counts(self) -> Counter[str]:
        return Counter(self.recipients())

    def to(self, address: str) -> Message:
        (message,) = [m for rcpts, m in self.messages if address in rcpts]
        return message


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def text_part(message: Message) -> str:
    """The plain-text body of a (multipart) message, decoded."""
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError("no text part")


def route_mail_to(settings: Any, port: int) -> None:
    """Point Django's SMTP backend at 127.0.0.1:``port`` (``settings``: pytest-django's)."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.BELLWETHER_BASE_URL = "https://bellwether.example.com"


def use_database_queue(settings: Any) -> None:
    """Jobs are stored and run by ``bellwether worker``, which retries at once (no wait
    between tries) so a test runs them all in one ``--batch``."""
    store_jobs_in_database(settings)
    settings.BELLWETHER_JOB_BACKOFF_SECONDS = 0
    settings.BELLWETHER_JOB_ATTEMPTS = 5


def run_worker() -> None:
    """``bellwether worker --batch``: every queued job and its retries, then it stops."""
    call_command("worker", "--batch", "--interval", "0", verbosity=0)
