"""Two-factor sign-in (TOTP through django-allauth's MFA) for password users."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client

from bellwether.core.models import AuditEvent
from bellwether.integrations.sso import secrets
from bellwether.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def code_for(secret: str, offset: int = 0) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset))


@pytest.fixture(autouse=True)
def _fresh_cache():
    # allauth remembers used codes in the cache: each test starts with none used.
    cache.clear()


def enrol(client: Client) -> tuple[str, list[str]]:
    page = client.get("/security/")
    assert page.status_code == 200
    secret = page.context["secret"]
    assert "<svg" in page.content.decode()
    answer = client.post("/security/two-factor/enable/", {"code": code_for(secret)})
    assert answer.status_code == 200
    return secret, answer.context["recovery_codes"]


def test_enrolment_needs_a_right_code_and_keeps_the_secret_encrypted(client_for, members):
    client = client_for("sponsor")
    page = client.get("/security/")
    wrong = client.post("/security/two-factor/enable/", {"code": "000000"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    assert not Authenticator.objects.exists()
    secret = page.context["secret"]
    answer = client.post("/security/two-factor/enable/", {"code": code_for(secret)})
    assert answer.status_code == 200
    assert len(answer.context["recovery_codes"]) >= 8
    totp = Authenticator.objects.get(type=Authenticator.Type.TOTP)
    assert secret not in str(totp.data)
    assert secrets.decrypt(totp.data["secret"]) == secret
    assert AuditEvent.objects.filter(action="mfa.enabled").exists()


def test_password_sign_in_asks_for_the_code(client_for, members):
    secret, _codes = enrol(client_for("sponsor"))
    cache.clear()
    client = Client()
    answer = client.post(
        "/accounts/sign-in/",
        {"email": "sponsor@acme.test", "password": TEST_PASSWORD, "next": "/people/"},
    )
    assert answer.status_code == 302
    assert answer["Location"].startswith("/security/two-factor/verify/")
    # Not signed in yet.
    assert "_auth_user_id" not in client.session
    assert client.get("/people/").status_code == 302
    wrong = client.post("/security/two-factor/verify/", {"code": "123456", "next": "/people/"})
    assert wrong.status_code == 400
    assert "That code is not right" in wrong.content.decode()
    right = client.post(
        "/security/two-factor/verify/", {"code": code_for(secret), "next": "/people/"}
    )
    assert right.status_code == 302
    assert right["Location"] == "/people/"
    assert int(client.session["_auth_user_id"]) == members["sponsor"].user_id
    event = AuditEvent.objects.filter(action="sign_in.succeeded").latest("pk")
    assert event.details == {"method": "password+totp"}


def test_a_code_works_once(client_for, members):
    secret, _codes = enrol(client_for("sponsor"))
    cache.clear()
    code = code_for(secret)
    first = Client()
    first.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD})
    assert first.post("/security/two-factor/verify/", {"code": code}).status_code == 302
    second = Client()
    second.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD})
    assert second.post("/security/two-factor/verify/", {"code": code}).status_code == 400
    assert "_auth_user_id" not in second.session


def test_recovery_code_signs_in_once(client_for, members):
    _secret, codes = enrol(client_for("sponsor"))
    client = Client()
    client.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD})
    assert client.post("/security/two-factor/verify/", {"code": codes[0]}).status_code == 302
    again = Client()
    again.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD})
    assert again.post("/security/two-factor/verify/", {"code": codes[0]}).status_code == 400


def test_five_wrong_codes_end_the_attempt(client_for, members):
    secret, _codes = enrol(client_for("sponsor"))
    cache.clear()
    client = Client()
    client.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD})
    for _ in range(4):
        assert client.post("/security/two-factor/verify/", {"code": "000000"}).status_code == 400
    last = client.post("/security/two-factor/verify/", {"code": "000000"})
    assert last.status_code == 302
    assert last["Location"] == "/accounts/sign-in/"
    # Even the right code no longer helps: start again.
    late = client.post("/security/two-factor/verify/", {"code": code_for(secret)})
    assert late.status_code == 302
    assert late["Location"] == "/accounts/sign-in/"
    assert "_auth_user_id" not in client.session


def test_wrong_password_never_reaches_the_code(client_for, members):
    enrol(client_for("sponsor"))
    client = Client()
    answer = client.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": "nope"})
    assert answer.status_code == 400
    assert client.get("/security/two-factor/verify/").status_code == 302


def test_turning_it_off_needs_a_code(client_for, members):
    client = client_for("sponsor")
    secret, _codes = enrol(client)
    cache.clear()
    assert client.post("/security/two-factor/disable/", {"code": "000000"}).status_code == 400
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).exists()
    answer = client.post("/security/two-factor/disable/", {"code": code_for(secret)})
    assert answer.status_code == 302
    assert not Authenticator.objects.exists()
    # Password alone signs in again.
    plain = Client()
    ok = plain.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD})
    assert ok["Location"] == "/"
