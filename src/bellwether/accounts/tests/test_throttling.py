"""Per-client-IP limits, and a lock-out nobody can use against someone else.

The lock-out counts failures per (address, client IP): someone typing a victim's
address with wrong passwords locks only their own attempts out. Guessing across
many addresses from one client is stopped by the per-IP limit instead.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client, RequestFactory
from django.utils import timezone

from bellwether.accounts.models import SignInCode, SignInThrottle
from bellwether.accounts.tests.helpers import SIGN_IN_URL, frozen_at, signed_in_user_id
from bellwether.core import audit
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import TEST_PASSWORD

EMAIL = "leader@acme.test"
WRONG = "not the password at all"
ATTACKER = "203.0.113.66"
VICTIM_IP = "198.51.100.20"


def from_ip(ip: str) -> Client:
    return Client(REMOTE_ADDR=ip)


def post_password(client: Client, email: str, password: str):
    return client.post(SIGN_IN_URL, {"email": email, "password": password})


# --- the lock-out cannot be turned against the account's owner -----------------------------


def test_a_stranger_locking_an_address_does_not_lock_out_its_owner(members):
    attacker = from_ip(ATTACKER)
    for _ in range(10):
        post_password(attacker, EMAIL, WRONG)
    locked = post_password(attacker, EMAIL, TEST_PASSWORD)
    assert b"Too many failed attempts" in locked.content
    assert signed_in_user_id(attacker) is None
    # The owner, from their own address, signs in as usual.
    owner = from_ip(VICTIM_IP)
    response = post_password(owner, EMAIL, TEST_PASSWORD)
    assert response.status_code == 302
    assert signed_in_user_id(owner) == str(members["leader"].user_id)
    rows = {row.ip_address: row.failures for row in SignInThrottle.objects.filter(email=EMAIL)}
    assert rows == {ATTACKER: 10, VICTIM_IP: 0}


def test_the_owner_still_fails_and_is_locked_on_their_own_account(members):
    owner = from_ip(VICTIM_IP)
    for _ in range(10):
        post_password(owner, EMAIL, WRONG)
    assert b"Too many failed attempts" in post_password(owner, EMAIL, TEST_PASSWORD).content


# --- per-IP limits -------------------------------------------------------------------------------


def test_guessing_across_many_addresses_from_one_ip_is_throttled(members, settings):
    settings.BELLWETHER_THROTTLE_SIGN_IN_FAILURES = 5
    attacker = from_ip(ATTACKER)
    for n in range(5):
        assert post_password(attacker, f"person{n}@acme.test", WRONG).status_code == 400
    # Even the right password is not checked from this address until the window moves.
    response = post_password(attacker, EMAIL, TEST_PASSWORD)
    assert response.status_code == 429
    assert b"Too many sign-in attempts from your network. Try again in 15 minutes." in (
        response.content
    )
    assert signed_in_user_id(attacker) is None
    event = AuditEvent.objects.get(action="sign_in.throttled")
    assert (event.ip_address, event.details["method"]) == (ATTACKER, "password")
    # Other clients are unaffected.
    assert post_password(from_ip(VICTIM_IP), EMAIL, TEST_PASSWORD).status_code == 302
    # And after the window, the attacker's address may try again.
    with frozen_at(timezone.now() + timedelta(minutes=15, seconds=5)):
        assert post_password(attacker, EMAIL, TEST_PASSWORD).status_code == 302


def test_successful_sign_ins_do_not_count_against_an_office_address(members, settings):
    settings.BELLWETHER_THROTTLE_SIGN_IN_FAILURES = 3
    office = "192.0.2.10"
    for _ in range(6):
        assert post_password(from_ip(office), EMAIL, TEST_PASSWORD).status_code == 302


def test_wrong_codes_and_dead_links_count_towards_the_same_limit(members, settings):
    settings.BELLWETHER_THROTTLE_SIGN_IN_FAILURES = 3
    attacker = from_ip(ATTACKER)
    attacker.post("/accounts/sign-in/code/", {"email": EMAIL, "code": "123456"})
    attacker.post("/accounts/sign-in/link/forged-link-token-000000000/")
    attacker.post("/accounts/sign-in/code/", {"email": EMAIL, "code": "654321"})
    response = attacker.post("/accounts/sign-in/code/", {"email": EMAIL, "code": "111111"})
    assert response.status_code == 429
    assert "Too many sign-in attempts from your network" in response.content.decode()
    link = attacker.post("/accounts/sign-in/link/another-forged-token-0000000/")
    assert link.status_code == 429


def test_asking_for_sign_in_emails_is_limited_per_ip_whatever_the_address(
    members, settings, mailoutbox, django_capture_on_commit_callbacks
):
    settings.BELLWETHER_THROTTLE_LINK_REQUESTS = 3
    client = from_ip(ATTACKER)
    with django_capture_on_commit_callbacks(execute=True):
        for address in ("a@acme.test", "b@acme.test", EMAIL):
            assert client.post("/accounts/sign-in/link/", {"email": address}).status_code == 302
        response = client.post("/accounts/sign-in/link/", {"email": "coach@acme.test"})
    assert response.status_code == 429
    assert "Too many sign-in emails asked for from your network" in response.content.decode()
    assert [m.to for m in mailoutbox] == [[EMAIL]]
    assert not SignInCode.objects.filter(user__email="coach@acme.test").exists()
    event = AuditEvent.objects.get(action="sign_in.link_throttled")
    assert (event.organisation, event.ip_address) == (None, ATTACKER)
    # Someone else may still ask.
    with django_capture_on_commit_callbacks(execute=True):
        other = from_ip(VICTIM_IP).post("/accounts/sign-in/link/", {"email": "coach@acme.test"})
    assert other.status_code == 302


def test_a_throttled_answer_is_the_same_for_known_and_unknown_addresses(members, settings):
    settings.BELLWETHER_THROTTLE_SIGN_IN_FAILURES = 1
    attacker = from_ip(ATTACKER)
    post_password(attacker, "x@acme.test", WRONG)
    known = post_password(attacker, EMAIL, WRONG)
    unknown = post_password(attacker, "nobody@acme.test", WRONG)
    assert known.status_code == unknown.status_code == 429
    assert known.context["error"] == unknown.context["error"]


# --- who the client is, behind a proxy -------------------------------------------------------------


def request_from(remote: str, forwarded: str | None = None):
    request = RequestFactory().get("/", REMOTE_ADDR=remote)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_without_trusted_proxies_forwarded_for_is_ignored(settings):
    settings.BELLWETHER_TRUSTED_PROXIES = []
    assert audit.client_ip(request_from("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


@pytest.mark.parametrize(
    ("forwarded", "client"),
    [
        ("198.51.100.7", "198.51.100.7"),
        # A client that writes its own header cannot choose its address: the rightmost
        # address not of a trusted proxy is the one the proxy saw.
        ("1.2.3.4, 198.51.100.7", "198.51.100.7"),
        ("1.2.3.4, 198.51.100.7, 10.0.0.2", "198.51.100.7"),
        ("not-an-address, 198.51.100.7", "198.51.100.7"),
        ("", "10.0.0.1"),
        ("garbage", "10.0.0.1"),
        ("2001:db8::7", "2001:db8::7"),
    ],
)
def test_behind_a_trusted_proxy_the_rightmost_untrusted_address_is_the_client(
    settings, forwarded, client
):
    settings.BELLWETHER_TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert audit.client_ip(request_from("10.0.0.1", forwarded)) == client


def test_forwarded_for_from_an_untrusted_peer_is_ignored(settings):
    settings.BELLWETHER_TRUSTED_PROXIES = ["10.0.0.1"]
    assert audit.client_ip(request_from("203.0.113.5", "1.2.3.4")) == "203.0.113.5"


def test_the_proxy_setting_decides_which_address_is_throttled(members, settings):
    settings.BELLWETHER_TRUSTED_PROXIES = ["10.0.0.1"]
    settings.BELLWETHER_THROTTLE_SIGN_IN_FAILURES = 2
    proxy = Client(REMOTE_ADDR="10.0.0.1")
    for _ in range(2):
        proxy.post(
            SIGN_IN_URL,
            {"email": "x@acme.test", "password": WRONG},
            HTTP_X_FORWARDED_FOR=ATTACKER,
        )
    blocked = proxy.post(
        SIGN_IN_URL, {"email": EMAIL, "password": TEST_PASSWORD}, HTTP_X_FORWARDED_FOR=ATTACKER
    )
    assert blocked.status_code == 429
    # Another client behind the same proxy is another address.
    allowed = proxy.post(
        SIGN_IN_URL, {"email": EMAIL, "password": TEST_PASSWORD}, HTTP_X_FORWARDED_FOR=VICTIM_IP
    )
    assert allowed.status_code == 302
    assert AuditEvent.objects.filter(action="sign_in.failed", ip_address=ATTACKER).count() == 2
