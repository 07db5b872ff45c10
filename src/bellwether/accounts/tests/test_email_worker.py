"""End to end: a sign-in request queues a job; the worker sends the mail to a real SMTP server."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult

from bellwether.accounts.tests.helpers import signed_in_user_id
from bellwether.testing.smtp import text_part


@pytest.mark.django_db(transaction=True)
def test_the_sign_in_mail_reaches_a_real_smtp_server_through_the_worker(
    worker_mail_server, members
):
    response = Client().post("/accounts/sign-in/link/", {"email": "leader@acme.test"})
    assert response.status_code == 302
    # Nothing is sent inside the web request: the job waits in the database.
    assert worker_mail_server.messages == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("worker", "--batch", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert len(worker_mail_server.messages) == 1
    recipients, message = worker_mail_server.messages[0]
    assert recipients == ["leader@acme.test"]
    assert message["Subject"] == "Your Bellwether sign-in link"
    assert message["To"] == "leader@acme.test"
    assert message.is_multipart()
    assert {part.get_content_type() for part in message.walk()} >= {"text/plain", "text/html"}
    text = text_part(message)
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
def test_the_worker_sends_nothing_for_an_unknown_address(worker_mail_server):
    Client().post("/accounts/sign-in/link/", {"email": "nobody@acme.test"})
    call_command("worker", "--batch", verbosity=0)
    assert DBTaskResult.objects.count() == 0
    assert worker_mail_server.messages == []
