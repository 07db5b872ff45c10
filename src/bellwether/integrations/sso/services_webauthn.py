"""Security keys and passkeys (WebAuthn) as a second factor for password users, with
django-allauth's MFA: a member adds a key from ``/security/``, and the password sign-in
then accepts a touch of that key (or an authenticator app's code, or a recovery code).

The browser's ceremony is checked by allauth (``fido2``): the challenge is kept in the
session between the options and the answer, and the answer must come from an origin
whose host is the relying party id, this site's host (``https://`` in production;
browsers and ``fido2`` also accept ``http://localhost``)."""

from __future__ import annotations

import json
from typing import Any

from allauth.core import context
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.webauthn.internal import auth as webauthn
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from bellwether.accounts.models import User
from bellwether.core.errors import DomainError
from bellwether.integrations.sso import selectors, services_mfa

NAME_MAX = 60
# What allauth and fido2 raise for an answer that is malformed or does not check out
# (allauth turns some into a ValidationError; fido2 lets a missing field be a KeyError).
_REFUSED = (ValidationError, ValueError, TypeError, KeyError, AttributeError)


def _credential(raw: str) -> dict[str, Any]:
    try:
        value = json.loads(raw or "")
    except ValueError:
        value = None
    if not isinstance(value, dict):
        raise DomainError(
            "The security key's answer did not arrive. Try again.",
            code="incorrect_key",
            field_errors={"credential": ["The security key did not answer."]},
        )
    return value


def registration_options(*, request: HttpRequest, user: User) -> dict[str, Any]:
    """What the browser passes to ``navigator.credentials.create`` (its challenge is
    kept in the session until the key answers)."""
    with context.request_context(request):
        return webauthn.begin_registration(user, passwordless=False)


def default_key_name(user: User) -> str:
    count = selectors.security_keys_of(user).count()
    return "Security key" if count == 0 else f"Security key {count + 1}"


@transaction.atomic
def add_security_key(
    *, request: HttpRequest, user: User, name: str, credential: str
) -> tuple[Authenticator, list[str]]:
    """Keep the key the browser registered; returns it and, when it is the first second
    factor, the new recovery codes (shown once)."""
    name = " ".join((name or "").split())[:NAME_MAX] or default_key_name(user)
    answer = _credential(credential)
    with context.request_context(request):
        try:
            webauthn.parse_registration_response(answer)
            webauthn.complete_registration(answer)
        except _REFUSED as exc:
            raise DomainError(
                "The security key's answer was not accepted (it may have timed out). Try again.",
                code="incorrect_key",
                field_errors={"credential": ["The security key's answer was not accepted."]},
            ) from exc
        key = webauthn.WebAuthn.add(user, name, answer).instance
    codes: list[str] = []
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        codes = RecoveryCodes.activate(user).get_unused_codes()
    services_mfa.record("mfa.security_key_added", user, request, key=key.pk, name=name)
    return key, codes


@transaction.atomic
def remove_security_key(*, request: HttpRequest, user: User, key: Authenticator) -> None:
    """Remove one of the user's own keys; with no second factor left, the recovery
    codes go too (two-factor sign-in is then off)."""
    if key.user_id != user.pk or key.type != Authenticator.Type.WEBAUTHN:
        raise DomainError("That is not one of your security keys.", code="not_found")
    name = webauthn.WebAuthn(key).name
    key_id = key.pk
    key.delete()
    services_mfa.record("mfa.security_key_removed", user, request, key=key_id, name=name)
    services_mfa.drop_dangling_recovery_codes(request, user)


# --- the second step of a password sign-in ---------------------------------------------


def sign_in_options(*, request: HttpRequest, user: User) -> dict[str, Any] | None:
    """What the browser passes to ``navigator.credentials.get`` for the held user, or
    None when they have no key."""
    if not selectors.security_keys_of(user).exists():
        return None
    with context.request_context(request):
        return webauthn.begin_authentication(user)


def complete_sign_in(*, request: HttpRequest, credential: str) -> User:
    """Check the key's answer for the held user and sign them in."""
    user = services_mfa.held_user_or_expired(request)
    try:
        answer = _credential(credential)
        with context.request_context(request):
            webauthn.parse_authentication_response(answer)
            key = webauthn.complete_authentication(user, answer)
    except (*_REFUSED, DomainError) as exc:
        raise services_mfa.wrong_second_factor(
            request,
            user,
            method="webauthn",
            message="The security key was not accepted. Try again with a key you added "
            "to Bellwether, or type a code.",
        ) from exc
    key.record_usage()
    services_mfa.finish_sign_in(request, user, method="password+webauthn")
    return user
