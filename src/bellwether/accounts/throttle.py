"""Per-client-IP limits over a sliding window, kept in the database.

The database rather than a cache: every web process must see the same counts, and
the installation runs no shared cache. Each counted request is one ``ThrottleHit``
row; a client is refused while its rows of the last window number ``limit``, and
again allowed once the oldest of them leaves the window (a true sliding window, so
no burst at a window boundary doubles the allowance).

What is counted: failed sign-ins (password, emailed code or link), sign-in emails
asked for, and failed API token authentications. Successful sign-ins and API calls
with a good token never count, so an office behind one address is not slowed down
by its own people.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from bellwether.accounts.models import ThrottleHit

SIGN_IN = "sign_in"
LINK_REQUEST = "link_request"
TOKEN = "token"  # noqa: S105 (a scope name)

_LIMIT_SETTINGS = {
    SIGN_IN: "BELLWETHER_THROTTLE_SIGN_IN_FAILURES",
    LINK_REQUEST: "BELLWETHER_THROTTLE_LINK_REQUESTS",
    TOKEN: "BELLWETHER_THROTTLE_TOKEN_FAILURES",
}
# Old rows of every client are swept when a new row's id is a multiple of this: cheap,
# deterministic, and enough to keep the table to roughly one window of traffic.
_SWEEP_EVERY = 100


@dataclass(frozen=True)
class Limit:
    count: int
    window: timedelta


def limit_for(scope: str) -> Limit:
    return Limit(
        count=int(getattr(settings, _LIMIT_SETTINGS[scope])),
        window=timedelta(minutes=settings.BELLWETHER_THROTTLE_WINDOW_MINUTES),
    )


def key_for(ip: str | None) -> str:
    return (ip or "unknown")[:64]


def retry_after(scope: str, ip: str | None, *, now: datetime | None = None) -> int:
    """Seconds until this client may try again; 0 if it may now."""
    now = now or timezone.now()
    limit = limit_for(scope)
    if limit.count <= 0:
        return 0  # a limit of 0 turns the throttle off
    recent = list(
        ThrottleHit.objects.filter(scope=scope, key=key_for(ip), created_at__gt=now - limit.window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[: limit.count]
    )
    if len(recent) < limit.count:
        return 0
    # The oldest of the last ``count`` hits: when it leaves the window, one try is free.
    return max(1, math.ceil((recent[-1] + limit.window - now).total_seconds()))


def count(scope: str, ip: str | None, *, now: datetime | None = None) -> None:
    """Count one request of this client against the scope's limit."""
    now = now or timezone.now()
    key = key_for(ip)
    limit = limit_for(scope)
    if limit.count <= 0:
        return
    window = limit.window
    hit = ThrottleHit.objects.create(scope=scope, key=key, created_at=now)
    ThrottleHit.objects.filter(scope=scope, key=key, created_at__lte=now - window).delete()
    if hit.pk % _SWEEP_EVERY == 0:
        ThrottleHit.objects.filter(created_at__lte=now - window).delete()


def minutes(seconds: int) -> int:
    return max(1, math.ceil(seconds / 60))


def wait_phrase(seconds: int) -> str:
    n = minutes(seconds)
    return f"{n} minute" if n == 1 else f"{n} minutes"
