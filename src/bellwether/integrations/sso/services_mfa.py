"""Two-factor sign-in for password users, with django-allauth's MFA (TOTP and recovery
codes): a member enrols an authenticator app, and the password sign-in then asks for
its code before the session starts.

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


def _record(action: str, user: User, request: HttpRequest | None, **details: Any) -> None:
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
    return totp_of(user) is not None


def enrolment_secret(request: HttpRequest) -> str:
    """The secret offered for enrolment, kept in the session until it is confirmed."""
    secret = request.session.get(ENROL_SECRET)
    if not secret:
        secret = request.session[ENROL_SECRET] = generate_totp_secret()
    return str(secret)


@transaction.atomic
def enrol_totp(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Turn on two-factor sign-in once the app shows the right code; returns the
    recovery codes (shown once)."""
    if has_mfa(user):
        raise DomainError("Two-factor sign-in is already on.", code="mfa_on")
    secret = request.session.get(ENROL_SECRET)
    code = (code or "").strip().replace(" ", "")
    if not secret or not code.isdigit() or not validate_totp_code(str(secret), code):
        raise DomainError(
            "That code is not right. Type the 6-digit code your authenticator app shows now.",
            code="incorrect_code",
            field_errors={"code": ["That code is not right."]},
        )
    TOTP.activate(user, str(secret))
    codes = RecoveryCodes.activate(user).get_unused_codes()
    request.session.pop(ENROL_SECRET, None)
    _record("mfa.enabled", user, request, type="totp")
    return codes


@transaction.atomic
def disable_mfa(*, request: HttpRequest, user: User, code: str) -> None:
    """Turn two-factor sign-in off; the current code (or a recovery code) is needed."""
    if not has_mfa(user):
        raise DomainError("Two-factor sign-in is not on.", code="mfa_off")
    if not _code_is_right(user, code):
        raise DomainError(
            "That code is not right.",
            code="incorrect_code",
            field_errors={"code": ["That code is not right."]},
        )
    Authenticator.objects.filter(user=user).delete()
    _record("mfa.disabled", user, request)


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
    _record("sign_in.second_factor_asked", user, request)
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


def complete_sign_in(*, request: HttpRequest, code: str) -> User:
    """Check the second factor and sign the held user in."""
    user = pending_user(request)
    if user is None:
        raise DomainError(
            "Your sign-in has expired. Sign in again with your email and password.",
            code="mfa_expired",
        )
    if not _code_is_right(user, code):
        pending = request.session[PENDING]
        pending["n"] = int(pending.get("n", 0)) + 1
        request.session[PENDING] = pending
        _record("sign_in.failed", user, request, method="totp", reason="incorrect_code")
        if pending["n"] >= MAX_ATTEMPTS:
            request.session.pop(PENDING, None)
            raise DomainError(
                "Too many wrong codes. Sign in again with your email and password.",
                code="mfa_expired",
            )
        raise DomainError(
            "That code is not right. Type the code your authenticator app shows now, or "
            "one of your recovery codes.",
            code="incorrect_code",
            field_errors={"code": ["That code is not right."]},
        )
    request.session.pop(PENDING, None)
    account_services.sign_in_after_second_factor(request=request, user=user)
    return user
