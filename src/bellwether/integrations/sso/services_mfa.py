"""Two-factor sign-in for password users, with django-allauth's MFA (TOTP, security keys
and recovery codes): a member enrols an authenticator app or adds a security key
(``services_webauthn``), and the password sign-in then asks for one of them before the
session starts.

Between the password and the code, the session holds only who is half signed in and
since when (``PENDING``); five wrong codes or ten minutes end it."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, validate_totp_code
from django.db import transaction
from django.http import HttpRequest

from bellwether.accounts import selectors as account_selectors
from bellwether.accounts import services as account_services
from bellwether.accounts.models import User
from bellwether.core import audit
from bellwether.core.errors import DomainError

PENDING = "bw_mfa_pending"
ENROL_SECRET = "bw_mfa_enrol_secret"  # noqa: S105 (a session key, not a secret)
PENDING_SECONDS = 600
MAX_ATTEMPTS = 5


def _organisation(user: User) -> Any:
    membership = account_selectors.default_membership(user)
    return membership.organisation if membership else None


def record(action: str, user: User, request: HttpRequest | None, **details: Any) -> None:
    audit.record(
        action=action,
        organisation=_organisation(user),
        actor=user,
        details=details,
        request=request,
    )


def totp_of(user: User) -> Authenticator | None:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()


def has_mfa(user: User) -> bool:
    """A second factor is on: an authenticator app or at least one security key."""
    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


def drop_dangling_recovery_codes(request: HttpRequest | None, user: User) -> None:
    """Recovery codes stand in for a second factor: with none left, they go too."""
    if has_mfa(user):
        return
    Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).delete()
    record("mfa.disabled", user, request)


def enrolment_secret(request: HttpRequest) -> str:
    """The secret offered for enrolment, kept in the session until it is confirmed."""
    secret = request.session.get(ENROL_SECRET)
    if not secret:
        secret = request.session[ENROL_SECRET] = generate_totp_secret()
    return str(secret)


@transaction.atomic
def enrol_totp(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Turn on the authenticator app once it shows the right code; returns the recovery
    codes (shown once) when it is the first second factor."""
    if totp_of(user) is not None:
        raise DomainError("The authenticator app is already set up.", code="mfa_on")
    secret = request.session.get(ENROL_SECRET)
    code = (code or "").strip().replace(" ", "")
    if not secret or not code.isdigit() or not validate_totp_code(str(secret), code):
        raise DomainError(
            "That code is not right. Type the 6-digit code your authenticator app shows now.",
            code="incorrect_code",
            field_errors={"code": ["That code is not right."]},
        )
    TOTP.activate(user, str(secret))
    codes: list[str] = []
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        codes = RecoveryCodes.activate(user).get_unused_codes()
    request.session.pop(ENROL_SECRET, None)
    record("mfa.enabled", user, request, type="totp")
    return codes


@transaction.atomic
def disable_mfa(*, request: HttpRequest, user: User, code: str) -> None:
    """Turn the authenticator app off; the current code (or a recovery code) is needed.
    Security keys stay; with none, two-factor sign-in is off."""
    if totp_of(user) is None:
        raise DomainError("The authenticator app is not set up.", code="mfa_off")
    if not _code_is_right(user, code):
        raise DomainError(
            "That code is not right.",
            code="incorrect_code",
            field_errors={"code": ["That code is not right."]},
        )
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    record("mfa.totp_removed", user, request, type="totp")
    drop_dangling_recovery_codes(request, user)


def _code_is_right(user: User, code: str) -> bool:
    code = (code or "").strip().replace(" ", "")
    if not code:
        return False
    totp = totp_of(user)
    if totp is not None and code.isdigit() and TOTP(totp).validate_code(code):
        return True
    recovery = Authenticator.objects.filter(
        user=user, type=Authenticator.Type.RECOVERY_CODES
    ).first()
    return bool(recovery and RecoveryCodes(recovery).validate_code(code))


# --- the second step of a password sign-in ---------------------------------------------


def hold_for_second_factor(request: HttpRequest, user: User) -> bool:
    """After a right password: True (and the session remembers the user, not yet
    signed in) when the user has two-factor sign-in on."""
    if not has_mfa(user):
        return False
    request.session[PENDING] = {"u": user.pk, "t": time.time(), "n": 0}
    record("sign_in.second_factor_asked", user, request)
    return True


def pending_user(request: HttpRequest) -> User | None:
    pending = request.session.get(PENDING)
    if not isinstance(pending, dict) or time.time() - float(pending.get("t", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None
    user_id = pending.get("u")
    if not isinstance(user_id, int):
        return None
    return User.objects.filter(pk=user_id, is_active=True).first()


def held_user_or_expired(request: HttpRequest) -> User:
    user = pending_user(request)
    if user is None:
        raise DomainError(
            "Your sign-in has expired. Sign in again with your email and password.",
            code="mfa_expired",
        )
    return user


def wrong_second_factor(
    request: HttpRequest, user: User, *, method: str, message: str
) -> DomainError:
    """Count a wrong code or key (audited); the error to raise: try again, or, after
    ``MAX_ATTEMPTS``, start again."""
    pending = request.session[PENDING]
    pending["n"] = int(pending.get("n", 0)) + 1
    request.session[PENDING] = pending
    reason = "incorrect_key" if method == "webauthn" else "incorrect_code"
    record("sign_in.failed", user, request, method=method, reason=reason)
    if pending["n"] >= MAX_ATTEMPTS:
        request.session.pop(PENDING, None)
        return DomainError(
            "Too many wrong attempts. Sign in again with your email and password.",
            code="mfa_expired",
        )
    field = "credential" if method == "webauthn" else "code"
    return DomainError(message, code=reason, field_errors={field: [message]})


def finish_sign_in(request: HttpRequest, user: User, *, method: str) -> None:
    request.session.pop(PENDING, None)
    account_services.sign_in_after_second_factor(request=request, user=user, method=method)


def complete_sign_in(*, request: HttpRequest, code: str) -> User:
    """Check the code (the app's or a recovery code) and sign the held user in."""
    user = held_user_or_expired(request)
    if not _code_is_right(user, code):
        raise wrong_second_factor(
            request,
            user,
            method="totp",
            message="That code is not right. Type the code your authenticator app shows "
            "now, or one of your recovery codes.",
        )
    finish_sign_in(request, user, method="password+totp")
    return user
