"""Personal API tokens: creating, revoking, and checking one presented with a request.

A token expires (90 days unless the member chooses otherwise, a year at most) and
has a scope, read-only or read-write. Creating, listing and revoking tokens is for a
signed-in person only, never for a token (``accounts.api``): a leaked token cannot
make itself a successor.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from bellwether.accounts import throttle, tokens
from bellwether.accounts.models import ApiToken, Membership, TokenScope
from bellwether.core import audit
from bellwether.core.errors import DomainError

if TYPE_CHECKING:
    from django.http import HttpRequest

MAX_ACTIVE_TOKENS = 20
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
RENEW_HINT = "Create a new one under Settings → API tokens."


def _name_error(message: str) -> DomainError:
    return DomainError(message, field_errors={"name": [message]})


@transaction.atomic
def create_api_token(
    *,
    membership: Membership,
    name: str,
    scope: str = TokenScope.READ,
    days: int = tokens.DEFAULT_LIFETIME_DAYS,
) -> tuple[ApiToken, str]:
    """A new personal API token. The secret is returned once and never stored."""
    name = (name or "").strip()
    if not name:
        raise _name_error("Give the token a name.")
    if len(name) > 100:
        raise _name_error("Use at most 100 characters for the name.")
    if scope not in TokenScope.values:
        message = "Choose read only or read and write."
        raise DomainError(message, field_errors={"scope": [message]})
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
        message = f"A token lasts from 1 to {tokens.MAX_LIFETIME_DAYS} days."
        raise DomainError(message, field_errors={"expires_in_days": [message]})
    now = timezone.now()
    active = ApiToken.objects.filter(
        membership=membership, revoked_at__isnull=True, expires_at__gt=now
    ).count()
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
        scope=scope,
        expires_at=now + timedelta(days=days),
    )
    audit.record(
        action="token.created",
        organisation=membership.organisation,
        actor=membership.user,
        target=token,
        details={"name": name, "prefix": token.prefix, "scope": scope, "days": days},
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


# --- a token presented with a request ----------------------------------------------------


@dataclass(frozen=True)
class TokenRefusal:
    """Why a presented token was refused: ``status`` 401, or 429 while the client is
    throttled; ``message`` says what to do about it."""

    status: int
    code: str
    message: str
    retry_after: int = 0


def _why_refused(token: ApiToken | None, now: datetime) -> tuple[str, str]:
    if token is None:
        return "unknown", (
            "This API token is not valid. Check that it was copied whole. " + RENEW_HINT
        )
    if token.revoked_at is not None:
        return "revoked", "This API token has been revoked. " + RENEW_HINT
    if token.expires_at <= now:
        expired = timezone.localtime(token.expires_at)
        day = f"{expired.day} {expired:%B %Y}"
        return "expired", f"This API token expired on {day}. " + RENEW_HINT
    if not token.membership.is_active or not token.membership.user.is_active:
        return "inactive", (
            "This API token no longer works: its owner no longer has access to the organisation."
        )
    return "", ""


def authenticate_token(*, request: HttpRequest, secret: str) -> ApiToken | TokenRefusal:
    """The live token for ``secret``, or why it is refused.

    Every refusal is audited (never with the secret: a known token by its id and
    prefix, in its organisation's log; an unknown one in no organisation's) and
    counts against the client IP's limit; past the limit, failures answer 429 until
    the window has moved on. A good token costs no throttle query at all: tokens
    carry 256 random bits, so the limit is there to bound the work and the log
    volume of failures, not to stop guessing. The audit row is committed before the
    caller answers, and the request is marked so the refusal is not logged twice.
    """
    return _check_token(request=request, secret=secret)


@transaction.atomic
def _check_token(*, request: HttpRequest, secret: str) -> ApiToken | TokenRefusal:
    now = timezone.now()
    token = (
        ApiToken.objects.select_related(
            "membership__organisation", "membership__user", "membership__person"
        )
        .prefetch_related("membership__role_grants")
        .filter(digest=tokens.digest(secret))
        .first()
    )
    reason, message = _why_refused(token, now)
    if not reason:
        assert token is not None
        # Touch at most once a minute so busy integrations don't write on every call.
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token

    ip = audit.client_ip(request)
    details: dict[str, object] = {
        "method": request.method,
        "path": audit.redacted_path(request.path),
    }
    wait = throttle.retry_after(throttle.TOKEN, ip, now=now)
    refusal = TokenRefusal(status=401, code="unauthenticated", message=message)
    if wait:
        details.update(reason="throttled", retry_after=wait)
        refusal = TokenRefusal(
            status=429,
            code="throttled",
            message=(
                "Too many failed API token attempts from your address. "
                f"Try again in {throttle.wait_phrase(wait)}."
            ),
            retry_after=wait,
        )
    else:
        details["reason"] = reason
        throttle.count(throttle.TOKEN, ip, now=now)
    event = audit.record(
        action="token.auth_failed",
        organisation=token.membership.organisation if token else None,
        actor_label=f"api token {token.prefix}…" if token else "(unknown api token)",
        target=token,
        details=details,
        request=request,
    )
    audit.mark_refusal_audited(request, event)
    return refusal


def scope_refusal(token: ApiToken, method: str) -> str:
    """Why this token may not make a request with ``method``, or ""."""
    if token.scope == TokenScope.READ and method.upper() not in SAFE_METHODS:
        return (
            "This API token is read-only: it may only read (GET). "
            "Create a read-and-write token under Settings → API tokens to make changes."
        )
    return ""
