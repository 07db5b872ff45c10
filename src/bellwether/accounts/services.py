"""Every change to accounts: signing in and out, sign-in links, passwords, API tokens, members.

Each function is one action, runs in one transaction and writes its audit rows in it.
Sign-in failures must be remembered even though the caller is refused, so those
functions finish their transaction first and raise afterwards.
"""

from __future__ import annotations

import hmac
import math
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from bellwether.accounts import permissions, tokens
from bellwether.accounts.middleware import LAST_SEEN_AT, SIGNED_IN_AT
from bellwether.accounts.models import (
    ApiToken,
    Membership,
    RoleGrant,
    SignInCode,
    SignInThrottle,
    User,
)
from bellwether.accounts.roles import Role
from bellwether.core import audit, mail
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bellwether.people.models import Person

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
MAX_ACTIVE_TOKENS = 20


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()[:254]


def _organisations_of(user: User) -> list[Organisation]:
    return [
        m.organisation
        for m in user.memberships.filter(is_active=True)
        .select_related("organisation")
        .order_by("organisation_id")
    ]


def _record_for_user(
    *,
    action: str,
    user: User | None,
    actor_label: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> None:
    """Audit a sign-in event once per organisation the user belongs to.

    Each organisation's admins read their own audit log, so each needs the row;
    events for unknown addresses go to the installation-wide log (no organisation).
    """
    organisations: list[Organisation | None] = list(_organisations_of(user)) if user else []
    for organisation in organisations or [None]:
        audit.record(
            action=action,
            organisation=organisation,
            actor=user,
            actor_label=actor_label,
            target=user,
            details=details,
            request=request,
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
    """
    address = normalise_email(email)
    user, error = _attempt_password(request=request, email=address, password=password)
    if user is None:
        raise DomainError(error, code="sign_in_failed")
    return user


@transaction.atomic
def _attempt_password(
    *, request: HttpRequest, email: str, password: str
) -> tuple[User | None, str]:
    now = timezone.now()
    limit = settings.BELLWETHER_LOCKOUT_FAILURES
    lock_for = timedelta(minutes=settings.BELLWETHER_LOCKOUT_MINUTES)
    # The row lock serialises attempts for one address, so concurrent failures all count.
    throttle, _ = SignInThrottle.objects.select_for_update().get_or_create(email=email)
    known = User.objects.filter(email__iexact=email).first()

    if throttle.locked_until is not None and throttle.locked_until > now:
        _record_for_user(
            action="sign_in.failed",
            user=known,
            actor_label=email,
            details={"method": "password", "reason": "locked"},
            request=request,
        )
        return None, _locked_message(_minutes_left(throttle.locked_until, now))

    stale = throttle.last_failure_at is None or now - throttle.last_failure_at > lock_for
    if throttle.locked_until is not None or stale:
        # A lock-out that has run out, or failures outside the window, start afresh.
        SignInThrottle.objects.filter(pk=throttle.pk).update(failures=0, locked_until=None)

    user = authenticate(request, email=email, password=password)
    if isinstance(user, User):
        SignInThrottle.objects.filter(pk=throttle.pk).update(
            failures=0, locked_until=None, last_failure_at=None
        )
        _start_session(request, user)
        _record_for_user(
            action="sign_in.succeeded", user=user, details={"method": "password"}, request=request
        )
        return user, ""

    SignInThrottle.objects.filter(pk=throttle.pk).update(
        failures=F("failures") + 1, last_failure_at=now
    )
    throttle.refresh_from_db()
    _record_for_user(
        action="sign_in.failed",
        user=known,
        actor_label=email,
        details={"method": "password", "reason": "bad_credentials", "failures": throttle.failures},
        request=request,
    )
    if throttle.failures >= limit:
        SignInThrottle.objects.filter(pk=throttle.pk).update(locked_until=now + lock_for)
        _record_for_user(
            action="sign_in.locked",
            user=known,
            actor_label=email,
            details={"failures": throttle.failures, "minutes": settings.BELLWETHER_LOCKOUT_MINUTES},
            request=request,
        )
        return None, _locked_message(settings.BELLWETHER_LOCKOUT_MINUTES)
    return None, SIGN_IN_FAILED


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
    sends at most ``MAX_CODE_REQUESTS`` emails per address per 15 minutes.
    """
    from bellwether.accounts.tasks import send_sign_in_email

    address = normalise_email(email)
    with transaction.atomic():
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


def sign_in_with_link(*, request: HttpRequest, token: str) -> User:
    """Sign in with the link from the email: once, before it expires."""
    user = _attempt_link(request=request, token=token)
    if user is None:
        raise DomainError(LINK_UNUSABLE, code="link_unusable")
    return user


@transaction.atomic
def _attempt_link(*, request: HttpRequest, token: str) -> User | None:
    now = timezone.now()
    row = (
        SignInCode.objects.select_for_update()
        .select_related("user")
        .filter(link_digest=tokens.digest(token or ""))
        .first()
    )
    if row is None:
        _record_for_user(
            action="sign_in.failed",
            user=None,
            actor_label="(unknown link)",
            details={"method": "link", "reason": "unknown"},
            request=request,
        )
        return None
    reason = _why_unusable(row, now)
    if reason:
        _record_for_user(
            action="sign_in.failed",
            user=row.user,
            details={"method": "link", "reason": reason},
            request=request,
        )
        return None
    SignInCode.objects.filter(pk=row.pk).update(used_at=now)
    _start_session(request, row.user)
    _record_for_user(
        action="sign_in.succeeded", user=row.user, details={"method": "link"}, request=request
    )
    return row.user


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
    user = _attempt_code(request=request, email=normalise_email(email), code=_clean_code(code))
    if user is None:
        raise DomainError(CODE_UNUSABLE, code="code_unusable")
    return user


@transaction.atomic
def _attempt_code(*, request: HttpRequest, email: str, code: str) -> User | None:
    now = timezone.now()
    row = (
        SignInCode.objects.select_for_update()
        .select_related("user")
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
        known = User.objects.filter(email__iexact=email).first()
        _record_for_user(
            action="sign_in.failed",
            user=known,
            actor_label=email,
            details={"method": "code", "reason": "no_live_code"},
            request=request,
        )
        return None
    if len(code) != 6 or not hmac.compare_digest(
        _code_digest(row.link_digest, code), row.code_digest
    ):
        SignInCode.objects.filter(pk=row.pk).update(attempts=F("attempts") + 1)
        _record_for_user(
            action="sign_in.failed",
            user=row.user,
            details={"method": "code", "reason": "wrong_code", "attempts": row.attempts + 1},
            request=request,
        )
        return None
    SignInCode.objects.filter(pk=row.pk).update(used_at=now)
    _start_session(request, row.user)
    _record_for_user(
        action="sign_in.succeeded", user=row.user, details={"method": "code"}, request=request
    )
    return row.user


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
def change_password(*, user: User, old_password: str, new_password: str) -> None:
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
    _record_for_user(action="password.changed", user=user)


# --- API tokens ----------------------------------------------------------------------------


@transaction.atomic
def create_api_token(*, membership: Membership, name: str) -> tuple[ApiToken, str]:
    """A new personal API token. The secret is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            "Give the token a name.", field_errors={"name": ["Give the token a name."]}
        )
    if len(name) > 100:
        raise DomainError(
            "Use at most 100 characters for the name.",
            field_errors={"name": ["Use at most 100 characters for the name."]},
        )
    active = ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            f"You already have {MAX_ACTIVE_TOKENS} active tokens. Revoke one you no longer use first.",
            code="too_many_tokens",
        )
    secret = tokens.new_secret()
    token = ApiToken.objects.create(
        membership=membership,
        name=name,
        prefix=tokens.display_prefix(secret),
        digest=tokens.digest(secret),
    )
    audit.record(
        action="token.created",
        organisation=membership.organisation,
        actor=membership.user,
        target=token,
        details={"name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_api_token(*, membership: Membership, token_id: int) -> ApiToken:
    """Revoke one of the member's own tokens. Revoking a revoked token changes nothing."""
    token = ApiToken.objects.select_for_update().filter(pk=token_id, membership=membership).first()
    if token is None:
        raise DomainError("There is no such token.", code="not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            action="token.revoked",
            organisation=membership.organisation,
            actor=membership.user,
            target=token,
            details={"name": token.name, "prefix": token.prefix},
        )
    return token


# --- members ------------------------------------------------------------------------------------


def _clean_roles(roles: Iterable[Role | str]) -> set[Role]:
    try:
        cleaned = {Role(role) for role in roles}
    except ValueError as exc:
        raise DomainError(
            "Choose roles from the list.", field_errors={"roles": ["Choose roles from the list."]}
        ) from exc
    if not cleaned:
        raise DomainError(
            "Choose at least one role.", field_errors={"roles": ["Choose at least one role."]}
        )
    return cleaned


def _check_actor(organisation: Organisation, actor: Membership) -> None:
    # Views check first (and audit a refusal); this guards every other caller.
    if actor.organisation_id != organisation.pk or not permissions.can_manage_members(actor):
        raise DomainError("Only a programme admin can manage members.", code="forbidden")


def _lock_organisation(organisation: Organisation) -> None:
    # Member changes in one organisation take turns, so two admins removing each
    # other's admin role at once cannot leave the organisation without one.
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()


def _active_admins(organisation: Organisation) -> set[int]:
    return set(
        RoleGrant.objects.filter(
            membership__organisation=organisation,
            membership__is_active=True,
            membership__user__is_active=True,
            role=Role.ADMIN.value,
        ).values_list("membership_id", flat=True)
    )


def _get_member(organisation: Organisation, membership_id: int) -> Membership:
    membership = (
        Membership.objects.select_related("user", "person")
        .filter(pk=membership_id, organisation=organisation)
        .first()
    )
    if membership is None:
        raise DomainError("There is no such member.", code="not_found")
    return membership


def _check_person(
    organisation: Organisation, person: Person | None, membership_pk: int | None
) -> None:
    if person is None:
        return
    if person.organisation_id != organisation.pk:
        raise DomainError(
            "There is no such person.", field_errors={"employee_id": ["There is no such person."]}
        )
    taken = Membership.objects.filter(organisation=organisation, person=person, is_active=True)
    if membership_pk is not None:
        taken = taken.exclude(pk=membership_pk)
    if taken.exists():
        message = f"{person.name} is already linked to another member."
        raise DomainError(message, field_errors={"employee_id": [message]})


def _grant(membership: Membership, roles: set[Role]) -> None:
    RoleGrant.objects.filter(membership=membership).exclude(
        role__in=[r.value for r in roles]
    ).delete()
    existing = set(RoleGrant.objects.filter(membership=membership).values_list("role", flat=True))
    RoleGrant.objects.bulk_create(
        [
            RoleGrant(membership=membership, role=r.value)
            for r in sorted(roles)
            if r.value not in existing
        ]
    )
    membership._roles_cache = frozenset(roles)


@transaction.atomic
def add_member(
    *,
    organisation: Organisation,
    actor: Membership,
    email: str,
    roles: Iterable[Role | str],
    person: Person | None = None,
) -> Membership:
    """Give someone access to the organisation. New people sign in with an emailed link."""
    _check_actor(organisation, actor)
    address = normalise_email(email)
    if "@" not in address:
        raise DomainError(
            "Enter a valid email address.", field_errors={"email": ["Enter a valid email address."]}
        )
    wanted = _clean_roles(roles)
    _lock_organisation(organisation)
    user = User.objects.filter(email__iexact=address).first()
    if user is None:
        user = User.objects.create_user(address)  # no password: they sign in by link
    membership = Membership.objects.filter(user=user, organisation=organisation).first()
    if membership is not None and membership.is_active:
        message = f"{address} is already a member."
        raise DomainError(message, code="already_member", field_errors={"email": [message]})
    _check_person(organisation, person, membership.pk if membership else None)
    if membership is None:
        membership = Membership.objects.create(user=user, organisation=organisation, person=person)
    else:
        membership.is_active = True
        membership.person = person
        membership.save(update_fields=["is_active", "person"])
    _grant(membership, wanted)
    audit.record(
        action="member.added",
        organisation=organisation,
        actor=actor.user,
        target=membership,
        target_label=address,
        details={
            "roles": sorted(r.value for r in wanted),
            "person_id": person.pk if person else None,
        },
    )
    return membership


@transaction.atomic
def set_member_roles(
    *,
    organisation: Organisation,
    actor: Membership,
    membership_id: int,
    roles: Iterable[Role | str],
) -> Membership:
    _check_actor(organisation, actor)
    wanted = _clean_roles(roles)
    _lock_organisation(organisation)
    membership = _get_member(organisation, membership_id)
    before = set(membership.roles)
    if (
        Role.ADMIN in before
        and Role.ADMIN not in wanted
        and _active_admins(organisation) == {membership.pk}
    ):
        raise DomainError(
            "An organisation needs at least one programme admin. Make someone else an admin first.",
            code="last_admin",
            field_errors={"roles": ["An organisation needs at least one programme admin."]},
        )
    _grant(membership, wanted)
    audit.record(
        action="member.roles_changed",
        organisation=organisation,
        actor=actor.user,
        target=membership,
        target_label=membership.user.email,
        details={
            "before": sorted(r.value for r in before),
            "after": sorted(r.value for r in wanted),
        },
    )
    return membership


@transaction.atomic
def deactivate_member(
    *, organisation: Organisation, actor: Membership, membership_id: int
) -> Membership:
    """Remove someone's access to this organisation. Their API tokens stop working too."""
    _check_actor(organisation, actor)
    _lock_organisation(organisation)
    membership = _get_member(organisation, membership_id)
    if not membership.is_active:
        return membership
    if _active_admins(organisation) == {membership.pk}:
        raise DomainError(
            "An organisation needs at least one programme admin. Make someone else an admin first.",
            code="last_admin",
        )
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    now = timezone.now()
    revoked = ApiToken.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=now
    )
    audit.record(
        action="member.deactivated",
        organisation=organisation,
        actor=actor.user,
        target=membership,
        target_label=membership.user.email,
        details={"tokens_revoked": revoked},
    )
    return membership
