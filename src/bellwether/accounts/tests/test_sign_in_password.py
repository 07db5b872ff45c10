import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from bellwether.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from bellwether.accounts.models import SignInThrottle
from bellwether.accounts.tests.helpers import (
    SIGN_IN_URL,
    frozen_at,
    post_password,
    signed_in_user_id,
)
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import TEST_PASSWORD

EMAIL = "leader@acme.test"
WRONG = "not the password at all"
LOCKED = b"Too many failed attempts, try again in 15 minutes or use a sign-in link."
MISMATCH = b"That email address and password do not match."
CSRF_TOKEN = re.compile(r"[A-Za-z0-9]{64}")


@pytest.fixture
def leader(members):
    return members["leader"].user


def test_the_right_password_signs_in_and_starts_the_session_clock(leader):
    client = Client()
    response = post_password(client, EMAIL, TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in_user_id(client) == str(leader.pk)
    now = timezone.now().timestamp()
    assert abs(client.session[SIGNED_IN_AT] - now) < 5
    assert abs(client.session[LAST_SEEN_AT] - now) < 5


def test_the_email_is_matched_without_regard_to_case(leader):
    client = Client()
    post_password(client, "  Leader@ACME.test ", TEST_PASSWORD)
    assert signed_in_user_id(client) == str(leader.pk)


def test_signing_in_rotates_the_session_key(leader):
    client = Client()
    client.get(SIGN_IN_URL)
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    post_password(client, EMAIL, TEST_PASSWORD)
    assert client.session.session_key != before


def test_a_safe_next_address_is_followed_and_an_offsite_one_is_not(leader):
    response = Client().post(
        SIGN_IN_URL, {"email": EMAIL, "password": TEST_PASSWORD, "next": "/accounts/settings/"}
    )
    assert response["Location"] == "/accounts/settings/"
    response = Client().post(
        SIGN_IN_URL, {"email": EMAIL, "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_a_wrong_password_is_refused_and_audited(leader, org):
    client = Client()
    response = post_password(client, EMAIL, WRONG)
    assert response.status_code == 400
    assert MISMATCH in response.content
    assert signed_in_user_id(client) is None
    event = AuditEvent.objects.get(action="sign_in.failed")
    assert (event.organisation, event.actor, event.details) == (
        org,
        leader,
        {"method": "password", "reason": "bad_credentials", "failures": 1},
    )


def test_a_successful_sign_in_is_audited(leader, org):
    post_password(Client(), EMAIL, TEST_PASSWORD)
    event = AuditEvent.objects.get(action="sign_in.succeeded")
    assert (event.organisation, event.actor, event.details, event.ip_address) == (
        org,
        leader,
        {"method": "password"},
        "127.0.0.1",
    )


def test_an_unknown_address_gets_exactly_the_same_answer(leader):
    known = post_password(Client(), EMAIL, WRONG)
    unknown = post_password(Client(), "nobody@acme.test", WRONG)
    assert (known.status_code, unknown.status_code) == (400, 400)
    # The pages differ only in the echoed email address and the CSRF tokens.
    assert _normalised(known, EMAIL) == _normalised(unknown, "nobody@acme.test")
    event = AuditEvent.objects.get(action="sign_in.failed", actor_label="nobody@acme.test")
    assert (event.organisation, event.actor) == (None, None)


def _normalised(response, email: str) -> str:
    return CSRF_TOKEN.sub("TOKEN", response.content.decode().replace(email, "EMAIL"))


def test_nine_failures_do_not_lock_but_the_tenth_does(leader):
    client = Client()
    for _ in range(9):
        post_password(client, EMAIL, WRONG)
    throttle = SignInThrottle.objects.get(email=EMAIL)
    assert (throttle.failures, throttle.locked_until) == (9, None)

    response = post_password(client, EMAIL, WRONG)
    assert LOCKED in response.content
    throttle.refresh_from_db()
    assert throttle.failures == 10
    assert throttle.locked_until is not None
    assert timedelta(minutes=14) < throttle.locked_until - timezone.now() <= timedelta(minutes=15)
    assert AuditEvent.objects.filter(action="sign_in.locked", actor=leader).count() == 1


def test_the_right_password_is_refused_while_locked(leader):
    client = Client()
    for _ in range(10):
        post_password(client, EMAIL, WRONG)
    response = post_password(client, EMAIL, TEST_PASSWORD)
    assert response.status_code == 400
    assert LOCKED in response.content
    assert signed_in_user_id(client) is None
    refused = AuditEvent.objects.filter(action="sign_in.failed").first()
    assert refused is not None
    assert refused.details == {"method": "password", "reason": "locked"}


def test_the_lock_message_counts_down_the_minutes(leader):
    for _ in range(10):
        post_password(Client(), EMAIL, WRONG)
    with frozen_at(timezone.now() + timedelta(minutes=10, seconds=30)):
        response = post_password(Client(), EMAIL, TEST_PASSWORD)
    assert b"try again in 5 minutes" in response.content


def test_a_lock_out_expires_after_fifteen_minutes(leader):
    for _ in range(10):
        post_password(Client(), EMAIL, WRONG)
    client = Client()
    with frozen_at(timezone.now() + timedelta(minutes=15, seconds=1)):
        response = post_password(client, EMAIL, TEST_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(client) == str(leader.pk)
    throttle = SignInThrottle.objects.get(email=EMAIL)
    assert (throttle.failures, throttle.locked_until) == (0, None)


def test_after_an_expired_lock_out_a_failure_counts_from_one(leader):
    for _ in range(10):
        post_password(Client(), EMAIL, WRONG)
    with frozen_at(timezone.now() + timedelta(minutes=16)):
        response = post_password(Client(), EMAIL, WRONG)
    assert MISMATCH in response.content
    throttle = SignInThrottle.objects.get(email=EMAIL)
    assert (throttle.failures, throttle.locked_until) == (1, None)


def test_a_success_resets_the_failure_count(leader):
    for _ in range(9):
        post_password(Client(), EMAIL, WRONG)
    post_password(Client(), EMAIL, TEST_PASSWORD)
    assert SignInThrottle.objects.get(email=EMAIL).failures == 0
    for _ in range(9):
        post_password(Client(), EMAIL, WRONG)
    assert SignInThrottle.objects.get(email=EMAIL).locked_until is None


def test_failures_older_than_the_window_are_forgotten(leader):
    for _ in range(9):
        post_password(Client(), EMAIL, WRONG)
    with frozen_at(timezone.now() + timedelta(minutes=16)):
        post_password(Client(), EMAIL, WRONG)
    throttle = SignInThrottle.objects.get(email=EMAIL)
    assert (throttle.failures, throttle.locked_until) == (1, None)


def test_unknown_addresses_are_locked_out_too(db):
    for _ in range(10):
        post_password(Client(), "nobody@acme.test", WRONG)
    response = post_password(Client(), "nobody@acme.test", WRONG)
    assert LOCKED in response.content


def test_a_deactivated_user_cannot_sign_in_with_the_right_password(leader):
    leader.is_active = False
    leader.save()
    response = post_password(Client(), EMAIL, TEST_PASSWORD)
    assert response.status_code == 400
    assert MISMATCH in response.content


def test_an_empty_form_shows_errors_next_to_the_fields(db):
    response = Client().post(SIGN_IN_URL, {"email": "", "password": ""})
    assert response.status_code == 400
    assert b'id="id_email_error"' in response.content
    assert b'id="id_password_error"' in response.content


def test_signing_out_needs_a_post_and_is_audited(client_for, members):
    client = client_for("leader")
    assert client.get("/accounts/sign-out/").status_code == 405
    response = client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert signed_in_user_id(client) is None
    assert AuditEvent.objects.filter(action="sign_out", actor=members["leader"].user).count() == 1


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_failures_are_all_counted(members):
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connections

    def fail_once(_: int) -> int:
        try:
            return post_password(Client(), EMAIL, WRONG).status_code
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=5) as pool:
        statuses = list(pool.map(fail_once, range(10)))
    assert statuses == [400] * 10
    throttle = SignInThrottle.objects.get(email=EMAIL)
    assert throttle.failures == 10
    assert throttle.locked_until is not None
    assert AuditEvent.objects.filter(action="sign_in.locked").count() == 1
