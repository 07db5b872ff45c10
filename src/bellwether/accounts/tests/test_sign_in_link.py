"""Sign-in by emailed one-time link or code."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.test import Client
from django.utils import timezone

from bellwether.accounts import services
from bellwether.accounts.models import SignInCode
from bellwether.accounts.tests.helpers import frozen_at, signed_in_user_id
from bellwether.core.models import AuditEvent

EMAIL = "leader@acme.test"
LINK = re.compile(r"http://testserver-base/accounts/sign-in/link/([A-Za-z0-9_-]+)/")
CODE = re.compile(r"enter this code on the sign-in page: (\d{6})")


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.BELLWETHER_BASE_URL = "http://testserver-base"


def request_code(client: Client, email: str, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post("/accounts/sign-in/link/", {"email": email})


@pytest.fixture
def emailed(members, django_capture_on_commit_callbacks):
    """Ask for a sign-in email and return (token, code) read from the message."""

    def ask(email: str = EMAIL) -> tuple[str, str]:
        mail.outbox.clear()
        request_code(Client(), email, django_capture_on_commit_callbacks)
        assert len(mail.outbox) == 1
        body = str(mail.outbox[0].body)
        link, code = LINK.search(body), CODE.search(body)
        assert link
        assert code
        return link.group(1), code.group(1)

    return ask


def test_asking_for_a_link_sends_one_email_with_link_and_code(
    members, django_capture_on_commit_callbacks
):
    client = Client()
    response = request_code(client, EMAIL, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-in/code/?sent=1"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Your Bellwether sign-in link"
    assert message.to == [EMAIL]
    assert isinstance(message, EmailMultiAlternatives)
    assert LINK.search(str(message.body))
    assert CODE.search(str(message.body))
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert LINK.search(str(html))
    page = client.get(response["Location"]).content.decode()
    assert f"If <strong>{EMAIL}</strong> belongs to a Bellwether account" in page
    assert AuditEvent.objects.filter(action="sign_in.code_requested").count() == 1


def test_only_digests_are_stored(emailed):
    token, code = emailed()
    row = SignInCode.objects.get()
    assert token not in (row.link_digest, row.code_digest)
    assert code not in row.code_digest
    assert len(row.link_digest) == len(row.code_digest) == 64
    assert timedelta(minutes=14) < row.expires_at - timezone.now() <= timedelta(minutes=15)


def test_an_unknown_address_gets_the_same_answer_and_no_email(
    db, django_capture_on_commit_callbacks
):
    client = Client()
    response = request_code(client, "nobody@acme.test", django_capture_on_commit_callbacks)
    assert (response.status_code, response["Location"]) == (302, "/accounts/sign-in/code/?sent=1")
    assert mail.outbox == []
    assert SignInCode.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "If <strong>nobody@acme.test</strong> belongs to a Bellwether account" in page


def test_the_link_page_shows_a_button_and_does_not_use_the_link(emailed):
    token, _ = emailed()
    client = Client()
    response = client.get(f"/accounts/sign-in/link/{token}/")
    assert response.status_code == 200
    assert b'<button class="primary" type="submit">Sign in</button>' in response.content
    assert signed_in_user_id(client) is None
    assert SignInCode.objects.get().used_at is None


def test_the_link_signs_in_once(emailed, members, org):
    token, _ = emailed()
    client = Client()
    response = client.post(f"/accounts/sign-in/link/{token}/")
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user_id(client) == str(members["leader"].user.pk)
    assert "bw_signed_in_at" in client.session
    event = AuditEvent.objects.get(action="sign_in.succeeded")
    assert (event.organisation, event.details) == (org, {"method": "link"})

    second = Client()
    response = second.post(f"/accounts/sign-in/link/{token}/")
    assert response.status_code == 410
    assert b"This link no longer works" in response.content
    assert signed_in_user_id(second) is None
    assert second.get(f"/accounts/sign-in/link/{token}/").status_code == 410


def test_an_expired_link_is_refused_with_a_clear_page(emailed):
    token, _ = emailed()
    client = Client()
    with frozen_at(timezone.now() + timedelta(minutes=15, seconds=1)):
        response = client.post(f"/accounts/sign-in/link/{token}/")
    assert response.status_code == 410
    assert b"Sign-in links work once and only for 15 minutes" in response.content
    assert signed_in_user_id(client) is None
    event = AuditEvent.objects.get(action="sign_in.failed")
    assert event.details == {"method": "link", "reason": "expired"}


def test_a_forged_link_is_refused_with_a_clear_page(members):
    client = Client()
    for method in (client.get, client.post):
        response = method("/accounts/sign-in/link/forged-token-0123456789/")
        assert response.status_code == 410
        assert b"This link no longer works" in response.content
    assert signed_in_user_id(client) is None
    event = AuditEvent.objects.get(action="sign_in.failed")
    assert (event.organisation, event.details) == (None, {"method": "link", "reason": "unknown"})


def test_a_new_request_kills_the_earlier_link(emailed):
    first_token, _ = emailed()
    second_token, _ = emailed()
    assert Client().post(f"/accounts/sign-in/link/{first_token}/").status_code == 410
    assert Client().post(f"/accounts/sign-in/link/{second_token}/").status_code == 302


def test_the_code_signs_in_once(emailed, members):
    _, code = emailed()
    client = Client()
    response = client.post("/accounts/sign-in/code/", {"email": EMAIL, "code": code})
    assert (response.status_code, response["Location"]) == (302, "/")
    assert signed_in_user_id(client) == str(members["leader"].user.pk)
    again = Client().post("/accounts/sign-in/code/", {"email": EMAIL, "code": code})
    assert again.status_code == 400
    assert b"That code is not right, or it has expired." in again.content


def test_the_code_tolerates_spaces(emailed, members):
    _, code = emailed()
    client = Client()
    client.post("/accounts/sign-in/code/", {"email": EMAIL, "code": f" {code[:3]} {code[3:]} "})
    assert signed_in_user_id(client) == str(members["leader"].user.pk)


def test_five_wrong_codes_kill_the_code(emailed):
    _, code = emailed()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for attempt in range(1, 6):
        response = Client().post("/accounts/sign-in/code/", {"email": EMAIL, "code": wrong})
        assert response.status_code == 400
        assert SignInCode.objects.get().attempts == attempt
    client = Client()
    response = client.post("/accounts/sign-in/code/", {"email": EMAIL, "code": code})
    assert response.status_code == 400
    assert signed_in_user_id(client) is None
    assert SignInCode.objects.get().attempts == 5
    assert AuditEvent.objects.filter(action="sign_in.failed").count() == 6


def test_four_wrong_codes_still_leave_the_right_one_working(emailed, members):
    _, code = emailed()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(4):
        Client().post("/accounts/sign-in/code/", {"email": EMAIL, "code": wrong})
    client = Client()
    client.post("/accounts/sign-in/code/", {"email": EMAIL, "code": code})
    assert signed_in_user_id(client) == str(members["leader"].user.pk)


def test_an_expired_code_is_refused(emailed):
    _, code = emailed()
    client = Client()
    with frozen_at(timezone.now() + timedelta(minutes=16)):
        response = client.post("/accounts/sign-in/code/", {"email": EMAIL, "code": code})
    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_a_code_only_works_with_its_own_address(emailed, members):
    _, code = emailed()
    client = Client()
    response = client.post("/accounts/sign-in/code/", {"email": "admin@acme.test", "code": code})
    assert response.status_code == 400
    assert signed_in_user_id(client) is None


def test_at_most_five_emails_per_address_per_fifteen_minutes(
    members, django_capture_on_commit_callbacks
):
    for _ in range(7):
        request_code(Client(), EMAIL, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 5
    assert SignInCode.objects.count() == 5
    assert AuditEvent.objects.filter(action="sign_in.code_throttled").count() == 2
    with frozen_at(timezone.now() + timedelta(minutes=16)):
        request_code(Client(), EMAIL, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 6


def test_the_worker_skips_an_email_whose_code_was_already_used(
    members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:  # captured, not run
        services.request_sign_in_code(email=EMAIL)
    user_id, token, code = queued[0].args
    SignInCode.objects.update(used_at=timezone.now())
    assert services.deliver_sign_in_email(user_id=user_id, token=token, code=code) is False
    assert mail.outbox == []


def test_a_deactivated_user_gets_no_email(members, django_capture_on_commit_callbacks):
    user = members["leader"].user
    user.is_active = False
    user.save()
    request_code(Client(), EMAIL, django_capture_on_commit_callbacks)
    assert mail.outbox == []
