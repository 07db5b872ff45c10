"""Signing in and out, sign-in links and codes, and passwords.

Each function is one action, runs in one transaction and writes its audit rows in it.
Sign-in failures must be remembered even though the caller is refused, so those
functions finish their transaction first and raise afterwards.

API tokens are in ``services_tokens``, members and invitations in ``services_members``.
"""

from __future__ import annotations

import hmac
import math
import secrets
from dataclasses import dataclass
from datetime import timedelta
from importlib import import_module
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from bellwether.accounts import selectors, throttle, tokens
from bellwether.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from bellwether.accounts.models import Membership, SignInCode, SignInThrottle, User
from bellwether.core import audit, mail
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bellwether.core.models import Organisation

AUTH_BACKEND = "bellwether.accounts.backends.EmailBackend"
SIGN_IN_FAILED = (
    "That email address and password do not match. Check them and try again, "
    "or ask for a sign-in link instead."
)
LINK_UNUSABLE = "This sign-in link has expired or has already been used. Ask for a new one below."
CODE_UNUSABLE = (
    "That code is not right, or it has expired. Check the latest email we sent you, "
    "or ask for a new code."
)
MAX_CODE_ATTEMPTS = SignInCode.MAX_ATTEMPTS
# At most this many sign-in emails per address per window, so nobody can flood an inbox.
MAX_CODE_REQUESTS = 5
CODE_REQUEST_WINDOW = timedelta(minutes=15)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def organisation_for_account_event(
    user: User | None, request: HttpRequest | None = None
) -> Organisation | None:
    """The one organisation whose audit log gets an event about this person's account.

    The organisation they are acting in on this request, else their default
    organisation (where their sessions start). Never every organisation they belong
    to: an organisation's log holds what happened in it, so joining a second
    organisation copies nothing of the first into it. Unknown addresses, and people
    who belong nowhere, get no organisation: no tenant sees those events.
    """
    if user is None:
        return None
    acting = getattr(request, "membership", None) if request is not None else None
    if isinstance(acting, Membership) and acting.user_id == user.pk and acting.is_active:
        return acting.organisation
    home = selectors.default_membership(user)
    return home.organisation if home is not None else None


def _record_for_user(
    *,
    action: str,
    user: User | None,
    actor_label: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Audit an event about a person's account, once (see ``organisation_for_account_event``)."""
    audit.record(
        action=action,
        organisation=organisation_for_account_event(user, request),
        actor=user,
        actor_label=actor_label,
        target=user,
        details=details,
        request=request,
    )


def _sign_in_failed(
    request: HttpRequest,
    now: Any,
    *,
    user: User | None,
    method: str,
    reason: str,
    actor_label: str = "",
    **more: Any,
) -> None:
    """A failed sign-in: counted against the client's address (``throttle``) and audited."""
    throttle.count(throttle.SIGN_IN, audit.client_ip(request), now=now)
    _record_for_user(
        action="sign_in.failed",
        user=user,
        actor_label=actor_label,
        details={"method": method, "reason": reason, **more},
        request=request,
    )


def _signed_in(request: HttpRequest, user: User, method: str) -> None:
    _start_session(request, user)
    _record_for_user(
        action="sign_in.succeeded", user=user, details={"method": method}, request=request
    )


def _use_code(request: HttpRequest, row: SignInCode, now: Any, method: str) -> tuple[User, str]:
    """The link or code ``row`` signs its user in, once."""
    SignInCode.objects.filter(pk=row.pk).update(used_at=now)
    _signed_in(request, row.user, method)
    return row.user, ""


def _throttled_message(seconds: int) -> str:
    return (
        "Too many sign-in attempts from your network. "
        f"Try again in {throttle.wait_phrase(seconds)}."
    )


def _start_session(request: HttpRequest, user: User) -> None:
    # Django's login() rotates the session key, so a planted session id is useless.
    login(request, user, backend=AUTH_BACKEND)
    now = timezone.now().timestamp()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


# --- password sign-in -------------------------------------------------------------


def _minutes_left(until: Any, now: Any) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def _locked_message(minutes: int) -> str:
    unit = "minute" if minutes == 1 else "minutes"
    return f"Too many failed attempts, try again in {minutes} {unit} or use a sign-in link."


def sign_in_with_password(*, request: HttpRequest, email: str, password: str) -> User:
    """Sign in by email and password, counting failures towards a lock-out.

    The failure message is the same whether or not the account exists, and unknown
    addresses are locked out like known ones, so nothing reveals who has an account.
    The lock-out is per address *and* client IP: a stranger guessing a victim's password
    locks out only their own address. Guessing across many accounts from one address
    is stopped by the per-IP limit (``throttle.SIGN_IN``), refused with code "throttled".
    """
    address = normalise_email(email)
    user, error, code = _attempt_password(request=request, email=address, password=password)
    if user is None:
        raise DomainError(error, code=code)
    return user


@transaction.atomic
def _attempt_password(
    *, request: HttpRequest, email: str, password: str
) -> tuple[User | None, str, str]:
    now = timezone.now()
    ip = audit.client_ip(request)
    limit = settings.BELLWETHER_LOCKOUT_FAILURES
    lock_for = timedelta(minutes=settings.BELLWETHER_LOCKOUT_MINUTES)
    known = User.objects.filter(email__iexact=email).first()

    wait = throttle.retry_after(throttle.SIGN_IN, ip, now=now)
    if wait:
        _record_for_user(
            action="sign_in.throttled",
            user=known,
            actor_label=email,
            details={"method": "password", "retry_after": wait},
            request=request,
        )
        return None, _throttled_message(wait), "throttled"

    # The row lock serialises attempts for one address from one IP, so concurrent
    # failures all count.
    row, _ = SignInThrottle.objects.select_for_update().get_or_create(
        email=email, ip_address=ip or ""
    )
    if row.locked_until is not None and row.locked_until > now:
        _sign_in_failed(
            request, now, user=known, actor_label=email, method="password", reason="locked"
        )
        return None, _locked_message(_minutes_left(row.locked_until, now)), "locked"

    stale = row.last_failure_at is None or now - row.last_failure_at > lock_for
    if row.locked_until is not None or stale:
        # A lock-out that has run out, or failures outside the window, start afresh.
        SignInThrottle.objects.filter(pk=row.pk).update(failures=0, locked_until=None)

    user = authenticate(request, email=email, password=password)
    if isinstance(user, User):
        SignInThrottle.objects.filter(pk=row.pk).update(
            failures=0, locked_until=None, last_failure_at=None
        )
        refusal = password_refusal(user)
        if refusal:
            # Checked after the password, so it tells nothing to someone who guesses.
            _record_for_user(
                action="sign_in.failed",
                user=user,
                details={"method": "password", "reason": "sso_required"},
                request=request,
            )
            return None, refusal, "sso_required"
        second_step = second_factor_url(request, user)
        if second_step:
            # Not signed in yet: the second factor's page finishes it.
            return None, second_step, "second_factor"
        _signed_in(request, user, "password")
        return user, "", ""

    SignInThrottle.objects.filter(pk=row.pk).update(failures=F("failures") + 1, last_failure_at=now)
    row.refresh_from_db()
    _sign_in_failed(
        request,
        now,
        user=known,
        actor_label=email,
        method="password",
        reason="bad_credentials",
        failures=row.failures,
    )
    if row.failures >= limit:
        SignInThrottle.objects.filter(pk=row.pk).update(locked_until=now + lock_for)
        _record_for_user(
            action="sign_in.locked",
            user=known,
            actor_label=email,
            details={"failures": row.failures, "minutes": settings.BELLWETHER_LOCKOUT_MINUTES},
            request=request,
        )
        return None, _locked_message(settings.BELLWETHER_LOCKOUT_MINUTES), "locked"
    return None, SIGN_IN_FAILED, "sign_in_failed"


def sign_out(*, request: HttpRequest) -> None:
    user = request.user if isinstance(request.user, User) else None
    if user is not None:
        with transaction.atomic():
            _record_for_user(action="sign_out", user=user, request=request)
    logout(request)


def end_expired_session(*, request: HttpRequest, reason: str) -> None:
    """Sign out a session that was idle too long or has reached its absolute lifetime."""
    user = request.user if isinstance(request.user, User) else None
    if user is not None:
        with transaction.atomic():
            _record_for_user(
                action="session.expired", user=user, details={"reason": reason}, request=request
            )
    logout(request)


# --- sign-in by emailed link or code -------------------------------------------------


def _code_digest(link_digest: str, code: str) -> str:
    # Keyed and salted with the row's link digest: a copy of the database alone is not
    # enough to recover a 6-digit code by trying all million of them.
    return salted_hmac(
        "bellwether.sign-in-code", f"{link_digest}:{code}", algorithm="sha256"
    ).hexdigest()


def _clean_code(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())[:6]


@dataclass(frozen=True)
class SignInSecrets:
    token: str
    code: str


def request_sign_in_code(*, email: str, request: HttpRequest | None = None) -> None:
    """Email a one-time sign-in link and code, if the address has an account.

    Answers the same for every address (no way to learn who has an account) and
    sends at most ``MAX_CODE_REQUESTS`` emails per address per 15 minutes. Every
    request counts against the client IP's limit, whatever the address, so one
    client cannot mail every address it can think of; past it, DomainError
    "throttled" (saying nothing about the address).
    """
    from bellwether.accounts.tasks import send_sign_in_email

    address = normalise_email(email)
    ip = audit.client_ip(request)
    wait = throttle.retry_after(throttle.LINK_REQUEST, ip)
    if wait:
        with transaction.atomic():
            audit.record(
                action="sign_in.link_throttled",
                organisation=None,
                actor_label=address,
                details={"retry_after": wait},
                request=request,
            )
        raise DomainError(
            "Too many sign-in emails asked for from your network. "
            f"Try again in {throttle.wait_phrase(wait)}.",
            code="throttled",
        )
    with transaction.atomic():
        throttle.count(throttle.LINK_REQUEST, ip)
        # Locking the user serialises requests, so the rate limit holds under concurrency.
        user = (
            User.objects.select_for_update().filter(email__iexact=address, is_active=True).first()
        )
        if user is None:
            return
        now = timezone.now()
        recent = SignInCode.objects.filter(user=user, created_at__gt=now - CODE_REQUEST_WINDOW)
        if recent.count() >= MAX_CODE_REQUESTS:
            _record_for_user(
                action="sign_in.code_throttled",
                user=user,
                request=request,
                details={"limit": MAX_CODE_REQUESTS},
            )
            return
        # Only the newest link or code works: earlier ones expire now.
        SignInCode.objects.filter(user=user, used_at__isnull=True, expires_at__gt=now).update(
            expires_at=now
        )
        secret = SignInSecrets(
            token=secrets.token_urlsafe(32), code=f"{secrets.randbelow(1_000_000):06d}"
        )
        link_digest = tokens.digest(secret.token)
        SignInCode.objects.create(
            user=user,
            link_digest=link_digest,
            code_digest=_code_digest(link_digest, secret.code),
            expires_at=now + timedelta(minutes=settings.BELLWETHER_SIGN_IN_LINK_MINUTES),
        )
        _record_for_user(action="sign_in.code_requested", user=user, request=request)
        enqueue_on_commit(send_sign_in_email, user.pk, secret.token, secret.code)


def _refuse_if_throttled(request: HttpRequest, *, method: str, user: User | None) -> str:
    """The per-IP sign-in limit, for the link and the code: the refusal message, or ""."""
    wait = throttle.retry_after(throttle.SIGN_IN, audit.client_ip(request))
    if not wait:
        return ""
    _record_for_user(
        action="sign_in.throttled",
        user=user,
        actor_label="" if user else "(sign-in link)",
        details={"method": method, "retry_after": wait},
        request=request,
    )
    return _throttled_message(wait)


def _user_or_refusal(user: User | None, throttled: str, unusable: str, code: str) -> User:
    """A link or code attempt's user, or its refusal: throttled, or not usable (``code``)."""
    if throttled:
        raise DomainError(throttled, code="throttled")
    if user is None:
        raise DomainError(unusable, code=code)
    return user


def sign_in_with_link(*, request: HttpRequest, token: str) -> User:
    """Sign in with the link from the email: once, before it expires."""
    user, throttled = _attempt_link(request=request, token=token)
    return _user_or_refusal(user, throttled, LINK_UNUSABLE, "link_unusable")


@transaction.atomic
def _attempt_link(*, request: HttpRequest, token: str) -> tuple[User | None, str]:
    now = timezone.now()
    throttled = _refuse_if_throttled(request, method="link", user=None)
    if throttled:
        return None, throttled
    row = _locked_codes().filter(link_digest=tokens.digest(token or "")).first()
    if row is None:
        _sign_in_failed(
            request, now, user=None, actor_label="(unknown link)", method="link", reason="unknown"
        )
        return None, ""
    reason = _why_unusable(row, now)
    if reason:
        _sign_in_failed(request, now, user=row.user, method="link", reason=reason)
        return None, ""
    return _use_code(request, row, now, "link")


def _locked_codes() -> QuerySet[SignInCode]:
    """Sign-in codes locked for this attempt (two tries at once must not both use one),
    with their users."""
    return SignInCode.objects.select_for_update().select_related("user")


def _why_unusable(row: SignInCode, now: Any) -> str:
    if row.used_at is not None:
        return "used"
    if row.expires_at <= now:
        return "expired"
    if row.attempts >= MAX_CODE_ATTEMPTS:
        return "too_many_attempts"
    if not row.user.is_active:
        return "inactive"
    return ""


def sign_in_with_code(*, request: HttpRequest, email: str, code: str) -> User:
    """Sign in with the 6-digit code from the email; five wrong tries and it is dead."""
    user, throttled = _attempt_code(
        request=request, email=normalise_email(email), code=_clean_code(code)
    )
    return _user_or_refusal(user, throttled, CODE_UNUSABLE, "code_unusable")


@transaction.atomic
def _attempt_code(*, request: HttpRequest, email: str, code: str) -> tuple[User | None, str]:
    now = timezone.now()
    known = User.objects.filter(email__iexact=email).first()
    throttled = _refuse_if_throttled(request, method="code", user=known)
    if throttled:
        return None, throttled
    row = (
        _locked_codes()
        .filter(
            user__email__iexact=email,
            user__is_active=True,
            used_at__isnull=True,
            expires_at__gt=now,
            attempts__lt=MAX_CODE_ATTEMPTS,
        )
        .order_by("-created_at", "-id")
        .first()
    )
    if row is None:
        _sign_in_failed(
            request, now, user=known, actor_label=email, method="code", reason="no_live_code"
        )
        return None, ""
    if len(code) != 6 or not hmac.compare_digest(
        _code_digest(row.link_digest, code), row.code_digest
    ):
        SignInCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        _sign_in_failed(
            request,
            now,
            user=row.user,
            method="code",
            reason="wrong_code",
            attempts=row.attempts + 1,
        )
        return None, ""
    return _use_code(request, row, now, "code")


def deliver_sign_in_email(*, user_id: int, token: str, code: str) -> bool:
    """Send the sign-in email (run by the worker). True when the SMTP server accepted it;
    False if it is no longer worth sending or was refused for good (logged and audited).
    Raises ``RetryLater`` when the server cannot take it now: the worker tries again."""
    row = (
        SignInCode.objects.select_related("user")
        .filter(user_id=user_id, link_digest=tokens.digest(token))
        .first()
    )
    now = timezone.now()
    if row is None or _why_unusable(row, now):
        return False  # already used, replaced or expired: a late email would only confuse
    minutes = max(1, math.floor((row.expires_at - now).total_seconds() / 60))
    context = {
        "link": settings.BELLWETHER_BASE_URL + reverse("accounts:sign_in_link", args=[token]),
        "code": code,
        "minutes": minutes,
        "user": row.user,
    }
    message = mail.message(
        subject="Your Bellwether sign-in link",
        to=row.user.email,
        text=render_to_string("accounts/email/sign_in.txt", context),
        html=render_to_string("accounts/email/sign_in.html", context),
    )
    with mail.Connection() as connection:
        refusal = connection.send(message)
    if refusal is None:
        return True  # accepted by the SMTP server
    if refusal.transient:
        raise mail.MailDeferred(sent=0, deferred=1)  # the worker tries again later
    mail.logger.warning("The sign-in mail to user %s was refused: %s", user_id, refusal.reason)
    _record_for_user(
        action="sign_in.email_not_sent", user=row.user, details={"reason": refusal.reason}
    )
    return False


# --- passwords -------------------------------------------------------------------------


@transaction.atomic
def change_password(
    *, user: User, old_password: str, new_password: str, request: HttpRequest | None = None
) -> None:
    """Change (or, for someone who only ever used sign-in links, set) a password."""
    if user.has_usable_password() and not user.check_password(old_password or ""):
        raise DomainError(
            "Your current password is not right.",
            code="wrong_password",
            field_errors={"old_password": ["Your current password is not right."]},
        )
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(
            "Choose a different new password.",
            code="weak_password",
            field_errors={"new_password1": list(exc.messages)},
        ) from exc
    user.set_password(new_password)
    user.save(update_fields=["password"])
    _record_for_user(action="password.changed", user=user, request=request)


def sign_in_after_joining(*, request: HttpRequest, user: User) -> None:
    """Sign in someone who just set their password through an invitation link."""
    _signed_in(request, user, "invitation")


def sign_in_with_sso(*, request: HttpRequest, user: User, organisation: Organisation) -> None:
    """Sign in someone their organisation's identity provider vouched for
    (``integrations/sso`` decided who); the session opens in that organisation."""
    from bellwether.accounts.middleware import SESSION_ORGANISATION_KEY

    _signed_in(request, user, "sso")
    request.session[SESSION_ORGANISATION_KEY] = organisation.pk


def sso_hooks() -> Any:
    """The single sign-on module (``BELLWETHER_SSO_HOOKS``) that answers whether a user
    must use SSO and where an organisation signs in; None when SSO is not installed."""
    name = getattr(settings, "BELLWETHER_SSO_HOOKS", "")
    return import_module(name) if name else None


def second_factor_url(request: HttpRequest, user: User) -> str:
    """Where a user whose password was right types their second factor (two-factor
    sign-in on), or "" to sign them in now."""
    hooks = sso_hooks()
    return hooks.second_factor_url(request, user) if hooks else ""


def sign_in_after_second_factor(
    *, request: HttpRequest, user: User, method: str = "password+totp"
) -> None:
    """Sign in someone whose password and second factor were both right (``method``
    names both, e.g. "password+webauthn", for the audit log)."""
    _signed_in(request, user, method)


def password_refusal(user: User) -> str:
    """Why ``user`` may not sign in with a password ("SSO required"), or ""."""
    hooks = sso_hooks()
    return hooks.password_refusal(user) if hooks else ""
