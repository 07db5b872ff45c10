"""Security keys (WebAuthn through django-allauth's MFA) as a second factor for password
users: adding, listing and removing one's own keys, and signing in with password + key.
The key is a software one (testing/webauthn.py) whose answers the server checks in full."""

from __future__ import annotations

import json
import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.core.cache import cache
from django.test import Client

from bellwether.core.models import AuditEvent
from bellwether.integrations.sso.models import IdentityProvider
from bellwether.testing.access import MEMBER_ROLES
from bellwether.testing.factories import TEST_PASSWORD
from bellwether.testing.webauthn import SoftKey

pytestmark = pytest.mark.django_db

WEBAUTHN = Authenticator.Type.WEBAUTHN


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


def options_on(page) -> dict:
    text = page.content.decode()
    start = text.index('<script id="webauthn-create-options" type="application/json">')
    body = text[start:].split(">", 1)[1].split("</script>", 1)[0]
    return json.loads(body)


def add_key(client: Client, name: str = "My YubiKey", key: SoftKey | None = None):
    key = key or SoftKey()
    page = client.get("/security/")
    assert page.status_code == 200
    credential = key.register(page.context["creation_options"])
    return key, client.post("/security/keys/add/", {"name": name, "credential": credential})


def password_step(email: str = "sponsor@acme.test", next_: str = "/people/") -> Client:
    client = Client()
    answer = client.post(
        "/accounts/sign-in/", {"email": email, "password": TEST_PASSWORD, "next": next_}
    )
    assert answer.status_code == 302
    assert answer["Location"].startswith("/security/two-factor/verify/")
    return client


def key_step(client: Client, key: SoftKey, next_: str = "/people/"):
    page = client.get(f"/security/two-factor/verify/?next={next_}")
    assert page.status_code == 200
    options = page.context["request_options"]
    return client.post(
        "/security/two-factor/verify/key/", {"credential": key.sign_in(options), "next": next_}
    )


@pytest.mark.parametrize("role", MEMBER_ROLES)
def test_every_member_adds_a_named_key_and_gets_recovery_codes(client_for, members, role):
    client = client_for(role)
    page = client.get("/security/")
    assert page.status_code == 200
    options = options_on(page)
    assert options["publicKey"]["rp"] == {"id": "testserver", "name": "Bellwether"}
    assert options["publicKey"]["user"]["name"] == members[role].user.email
    _key, answer = add_key(client, name="  Keyring   YubiKey ")
    assert answer.status_code == 200
    assert len(answer.context["recovery_codes"]) >= 8
    stored = Authenticator.objects.get(type=WEBAUTHN)
    assert stored.user_id == members[role].user_id
    assert stored.data["name"] == "Keyring YubiKey"
    event = AuditEvent.objects.get(action="mfa.security_key_added")
    assert event.details == {"key": stored.pk, "name": "Keyring YubiKey"}
    listed = client.get("/security/")
    assert [k.pk for k in listed.context["keys"]] == [stored.pk]
    assert "Keyring YubiKey" in listed.content.decode()
    assert listed.context["enabled"]


def test_a_second_key_keeps_the_recovery_codes_and_is_named_for_the_user(client_for, members):
    client = client_for("sponsor")
    add_key(client)
    _key, answer = add_key(client, name="")
    assert answer.status_code == 302
    names = [a.data["name"] for a in Authenticator.objects.filter(type=WEBAUTHN).order_by("pk")]
    assert names == ["My YubiKey", "Security key 2"]
    assert Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES).count() == 1


def test_signed_out_visitors_cannot_add_keys(members):
    client = Client()
    assert client.get("/security/")["Location"].startswith("/accounts/sign-in/")
    answer = client.post("/security/keys/add/", {"name": "x", "credential": "{}"})
    assert answer.status_code == 302
    assert answer["Location"].startswith("/accounts/sign-in/")
    assert not Authenticator.objects.exists()


@pytest.mark.parametrize(
    "credential",
    ["", "not json", "[]", '{"id": "x"}'],
)
def test_a_broken_answer_adds_nothing(client_for, members, credential):
    client = client_for("sponsor")
    client.get("/security/")
    answer = client.post("/security/keys/add/", {"name": "x", "credential": credential})
    assert answer.status_code == 400
    assert "security key" in answer.content.decode()
    assert not Authenticator.objects.exists()
    assert not AuditEvent.objects.filter(action="mfa.security_key_added").exists()


def test_an_answer_from_another_origin_or_challenge_adds_nothing(client_for, members):
    client = client_for("sponsor")
    page = client.get("/security/")
    phished = SoftKey(origin="https://bellwether.evil.test").register(
        page.context["creation_options"]
    )
    assert client.post("/security/keys/add/", {"credential": phished}).status_code == 400
    # An answer to options given to another session (another challenge).
    other = client_for("admin").get("/security/")
    stale = SoftKey().register(other.context["creation_options"])
    client.get("/security/")
    assert client.post("/security/keys/add/", {"credential": stale}).status_code == 400
    assert not Authenticator.objects.exists()


def test_password_then_key_signs_in(client_for, members):
    key, _answer = add_key(client_for("sponsor"))
    client = password_step()
    assert "_auth_user_id" not in client.session
    page = client.get("/security/two-factor/verify/")
    assert page.context["request_options"]["publicKey"]["rpId"] == "testserver"
    assert "Use your security key" in page.content.decode()
    answer = key_step(client, key)
    assert answer.status_code == 302
    assert answer["Location"] == "/people/"
    assert int(client.session["_auth_user_id"]) == members["sponsor"].user_id
    event = AuditEvent.objects.filter(action="sign_in.succeeded").latest("pk")
    assert event.details == {"method": "password+webauthn"}
    assert Authenticator.objects.get(type=WEBAUTHN).last_used_at is not None


def test_an_unknown_key_is_refused_and_audited(client_for, members):
    add_key(client_for("sponsor"))
    client = password_step()
    answer = key_step(client, SoftKey())
    assert answer.status_code == 400
    assert "The security key was not accepted" in answer.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.filter(action="sign_in.failed").latest("pk")
    assert event.details == {"method": "webauthn", "reason": "incorrect_key"}
    assert event.actor_id == members["sponsor"].user_id


@pytest.mark.parametrize("credential", ["", "not json", "[]", "{}", '{"id": "x"}'])
def test_a_broken_answer_at_sign_in_is_a_wrong_attempt(client_for, members, credential):
    add_key(client_for("sponsor"))
    client = password_step()
    client.get("/security/two-factor/verify/")
    answer = client.post("/security/two-factor/verify/key/", {"credential": credential})
    assert answer.status_code == 400
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sign_in.failed").count() == 1


def test_another_users_key_does_not_sign_in(client_for, members):
    admin_key, _ = add_key(client_for("admin"))
    add_key(client_for("sponsor"))
    client = password_step()
    assert key_step(client, admin_key).status_code == 400
    assert "_auth_user_id" not in client.session


def test_five_wrong_answers_end_the_attempt(client_for, members):
    add_key(client_for("sponsor"))
    client = password_step()
    for _ in range(4):
        assert key_step(client, SoftKey()).status_code == 400
    page = client.get("/security/two-factor/verify/")
    last = client.post(
        "/security/two-factor/verify/key/",
        {"credential": SoftKey().sign_in(page.context["request_options"])},
    )
    assert last.status_code == 302
    assert last["Location"] == "/accounts/sign-in/"
    assert client.get("/security/two-factor/verify/")["Location"] == "/accounts/sign-in/"
    late = client.post("/security/two-factor/verify/key/", {"credential": "{}"})
    assert late["Location"] == "/accounts/sign-in/"
    assert "_auth_user_id" not in client.session


def test_a_key_answer_without_the_password_step_goes_back_to_sign_in(members):
    answer = Client().post("/security/two-factor/verify/key/", {"credential": "{}"})
    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/sign-in/"


def test_recovery_codes_still_sign_in_a_key_user(client_for, members):
    _key, added = add_key(client_for("sponsor"))
    codes = added.context["recovery_codes"]
    client = password_step()
    page = client.get("/security/two-factor/verify/")
    assert "One of your recovery codes" in page.content.decode()
    answer = client.post("/security/two-factor/verify/", {"code": codes[0], "next": "/people/"})
    assert answer.status_code == 302
    assert int(client.session["_auth_user_id"]) == members["sponsor"].user_id


def test_an_authenticator_app_and_a_key_both_sign_in(client_for, members):
    client = client_for("sponsor")
    page = client.get("/security/")
    secret = page.context["secret"]
    now = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    codes = client.post("/security/two-factor/enable/", {"code": now}).context["recovery_codes"]
    assert codes
    key, added = add_key(client)
    assert added.status_code == 302  # the recovery codes are the app's
    assert key_step(password_step(), key).status_code == 302
    # Removing the app keeps the key (and the recovery codes).
    cache.clear()
    later = format_hotp_value(hotp_value(secret, int(time.time()) // 30 + 1))
    off = client.post("/security/two-factor/disable/", {"code": later})
    assert off.status_code == 302
    assert set(Authenticator.objects.values_list("type", flat=True)) == {
        WEBAUTHN,
        Authenticator.Type.RECOVERY_CODES,
    }
    assert key_step(password_step(), key).status_code == 302


def test_removing_a_key_asks_first_then_removes_and_audits(client_for, members):
    client = client_for("sponsor")
    add_key(client, name="Old key")
    add_key(client, name="New key")
    old = Authenticator.objects.get(data__name="Old key")
    asked = client.post(f"/security/keys/{old.pk}/remove/")
    assert asked.status_code == 200
    assert "Remove the security key “Old key”?" in asked.content.decode()
    assert Authenticator.objects.filter(pk=old.pk).exists()
    done = client.post(f"/security/keys/{old.pk}/remove/", {"confirmed": "yes"})
    assert done.status_code == 302
    assert not Authenticator.objects.filter(pk=old.pk).exists()
    event = AuditEvent.objects.get(action="mfa.security_key_removed")
    assert event.details == {"key": old.pk, "name": "Old key"}
    # Another key is left: two-factor sign-in stays on.
    assert Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES).exists()
    password_step()


def test_removing_the_last_key_turns_two_factor_off(client_for, members):
    client = client_for("sponsor")
    add_key(client)
    key = Authenticator.objects.get(type=WEBAUTHN)
    asked = client.post(f"/security/keys/{key.pk}/remove/")
    assert "two-factor sign-in turns off" in asked.content.decode()
    client.post(f"/security/keys/{key.pk}/remove/", {"confirmed": "yes"})
    assert not Authenticator.objects.exists()
    assert AuditEvent.objects.filter(action="mfa.disabled").exists()
    plain = Client()
    ok = plain.post("/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD})
    assert ok["Location"] == "/"


def test_other_users_keys_are_not_removable(client_for, members):
    add_key(client_for("admin"))
    key = Authenticator.objects.get(type=WEBAUTHN)
    for role in ("sponsor", "outsider"):
        client = client_for(role)
        asked = client.post(f"/security/keys/{key.pk}/remove/")
        assert asked.status_code == 404
        done = client.post(f"/security/keys/{key.pk}/remove/", {"confirmed": "yes"})
        assert done.status_code == 404
    assert (
        Client().post(f"/security/keys/{key.pk}/remove/", {"confirmed": "yes"}).status_code == 302
    )
    assert client_for("sponsor").post("/security/keys/999999/remove/").status_code == 404
    assert Authenticator.objects.filter(pk=key.pk).exists()
    assert not AuditEvent.objects.filter(action="mfa.security_key_removed").exists()


def test_sso_required_organisations_never_reach_the_key(client_for, members, org):
    add_key(client_for("sponsor"))
    IdentityProvider.objects.create(
        organisation=org,
        protocol=IdentityProvider.Protocol.SAML,
        name="Acme ADFS",
        email_domains="acme.test",
        entity_id="https://idp.acme.test/metadata",
        sso_url="https://idp.acme.test/sso",
        x509cert="MIIBdGVzdA==",
        sso_required=True,
    )
    client = Client()
    answer = client.post(
        "/accounts/sign-in/", {"email": "sponsor@acme.test", "password": TEST_PASSWORD}
    )
    assert answer.status_code == 400
    assert "signs in with single sign-on" in answer.content.decode()
    assert client.get("/security/two-factor/verify/")["Location"] == "/accounts/sign-in/"
    assert not AuditEvent.objects.filter(action="sign_in.second_factor_asked").exists()
