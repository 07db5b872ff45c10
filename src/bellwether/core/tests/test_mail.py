"""Header-safe text and messages, and the sign-in mail's outcomes against a real SMTP
server: refused for good (logged, audited, no retry) or deferred (the worker retries)."""

from __future__ import annotations

import pytest
from django.test import Client
from django_tasks_db.models import DBTaskResult

from bellwether.core import mail
from bellwether.core.mailtext import has_control_characters, header_text
from bellwether.core.models import AuditEvent
from bellwether.testing.smtp import run_worker, subject


@pytest.mark.parametrize(
    ("value", "one_line"),
    [
        ("May pulse", "May pulse"),
        ("May\r\npulse", "May pulse"),
        ("May\n\n\tpulse", "May pulse"),
        ("May\x00\x1b\x7f\x85pulse", "May pulse"),
        ("May\u2028pulse\u2029", "May pulse"),
        ("\r\nMay — pulse ü\n", "May — pulse ü"),
    ],
)
def test_header_text_puts_a_name_on_one_line(value: str, one_line: str) -> None:
    assert header_text(value) == one_line
    assert has_control_characters(value) is (value != one_line)
    assert not has_control_characters(one_line)


def test_a_message_keeps_its_headers_on_one_line(settings) -> None:
    settings.DEFAULT_FROM_EMAIL = "Bell\r\nwether <bellwether@acme.test>"
    message = mail.message(
        subject="Hello\r\nBcc: spy@evil.test", to="ann@acme.test", text="Hi", html="<p>Hi</p>"
    ).message()
    assert message["Subject"] == "Hello Bcc: spy@evil.test"
    assert message["From"] == "Bell wether <bellwether@acme.test>"
    assert message["Bcc"] is None
    assert message["To"] == "ann@acme.test"


def _ask_for_a_link() -> None:
    Client().post("/accounts/sign-in/link/", {"email": "leader@acme.test"})
    run_worker()


@pytest.mark.django_db(transaction=True)
def test_a_deferred_sign_in_mail_is_retried_and_arrives_once(worker_mail_server, members) -> None:
    worker_mail_server.defer = {"leader@acme.test": 2}
    _ask_for_a_link()
    job = DBTaskResult.objects.get()
    assert (job.status, job.return_value, len(job.worker_ids)) == ("SUCCESSFUL", True, 3)
    assert worker_mail_server.counts() == {"leader@acme.test": 1}
    assert subject(worker_mail_server.to("leader@acme.test")) == "Your Bellwether sign-in link"


@pytest.mark.django_db(transaction=True)
def test_a_refused_sign_in_mail_is_audited_and_not_retried(worker_mail_server, members) -> None:
    worker_mail_server.refuse = {"leader@acme.test"}
    _ask_for_a_link()
    job = DBTaskResult.objects.get()
    assert (job.status, job.return_value, len(job.worker_ids)) == ("SUCCESSFUL", False, 1)
    assert worker_mail_server.messages == []
    event = AuditEvent.objects.get(action="sign_in.email_not_sent")
    assert event.actor_id == members["leader"].user.pk
    assert event.details["reason"].startswith("recipient refused: 550")
