"""Writing to the audit log. Services call ``record`` inside their own transaction.

Also the two facts every audit row and every per-IP limit need about a request: the
client's address (``client_ip``, proxy-aware) and whether a refusal has already been
written (so the refusal middleware does not write it twice).
"""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.utils import timezone

from bellwether.core.models import AuditEvent, Organisation, TenantModel

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser
    from django.http import HttpRequest


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    return _networks(tuple(getattr(settings, "BELLWETHER_TRUSTED_PROXIES", ())))


def _parse(value: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


def client_ip(request: HttpRequest | None) -> str | None:
    """The address of the client that sent the request.

    ``REMOTE_ADDR`` is the peer that connected to us. Only when that peer is one of
    ``BELLWETHER_TRUSTED_PROXIES`` is ``X-Forwarded-For`` read, from the right: each
    trusted proxy appends the address it saw, so the rightmost address that is not a
    trusted proxy is the client. Anything to its left was written by the client and
    may be forged, so it is never used; without trusted proxies the header is ignored.
    """
    if request is None:
        return None
    peer = _parse(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    proxies = trusted_proxies()
    if not proxies or not any(peer in net for net in proxies):
        return str(peer)
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    client = peer
    for entry in reversed([part for part in forwarded.split(",") if part.strip()]):
        hop = _parse(entry)
        if hop is None:
            break  # garbage: the last good hop is as far as we can trust
        client = hop
        if not any(hop in net for net in proxies):
            break
    return str(client)


REFUSAL_AUDITED = "_bellwether_refusal_event_id"
REQUEST_AUDITED = "_bellwether_request_audited"


def mark_refusal_audited(request: HttpRequest | None, event: AuditEvent) -> None:
    """Say that this request's refusal is in the audit log as ``event``, so the refusal
    middleware does not write it again."""
    if request is not None:
        setattr(request, REFUSAL_AUDITED, event.pk)


def refusal_is_audited(request: HttpRequest) -> bool:
    # The row is looked up rather than trusted: one written inside a transaction that
    # then rolled back is not in the log, and the middleware must write it after all.
    event_id = getattr(request, REFUSAL_AUDITED, None)
    return event_id is not None and AuditEvent.objects.filter(pk=event_id).exists()


# A path segment that looks random (a sign-in link, a respondent's personal link) is a
# secret: it must not be copied into the audit log. URL words are lower case.
_TOKEN_CHARS = re.compile(r"^[A-Za-z0-9_\-.~]{20,}$")  # signed tokens hold . and ~


def _looks_secret(segment: str) -> bool:
    if not _TOKEN_CHARS.match(segment):
        return False
    mixed_case = segment.lower() != segment and segment.upper() != segment
    return mixed_case or (len(segment) >= 32 and any(ch.isdigit() for ch in segment))


def redacted_path(path: str) -> str:
    return "/".join("…" if _looks_secret(part) else part for part in path.split("/"))[:300]


def record(
    *,
    action: str,
    organisation: Organisation | None,
    actor: AbstractBaseUser | None = None,
    actor_label: str = "",
    target: models.Model | None = None,
    target_label: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    # Bellwether signs in by email: the user's name is their address.
    label = actor_label or (actor.get_username() if actor is not None else "")
    if request is not None:
        # This request's own event is written: the API's bulk-read audit need not repeat it.
        setattr(request, REQUEST_AUDITED, True)
    return AuditEvent.objects.create(
        organisation=organisation,
        actor_id=actor.pk if actor is not None else None,
        actor_label=label[:254],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:300],
        details=details or {},
        ip_address=client_ip(request),
    )


def record_on(
    target: TenantModel,
    action: str,
    *,
    actor: AbstractBaseUser | None,
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    """``record`` for an event on one of an organisation's objects: the event belongs to
    the target's own organisation."""
    return record(
        action=action,
        organisation=target.organisation,
        actor=actor,
        target=target,
        details=details,
        request=request,
    )


def event_row(
    *,
    action: str,
    organisation_id: int,
    target: models.Model,
    details: dict[str, Any] | None = None,
) -> tuple[type[AuditEvent], list[dict[str, Any]]]:
    """``record`` for a hot path with no actor and no request (a respondent's link): the
    event as a row for ``core.rawsql.insert_together``, written with the other rows of
    the same transaction."""
    return AuditEvent, [
        {
            "organisation_id": organisation_id,
            "actor_id": None,
            "actor_label": "",
            "action": action,
            "target_type": target._meta.label_lower,
            "target_id": str(target.pk),
            "target_label": str(target)[:300],
            "details": details or {},
            "ip_address": None,
            "created_at": timezone.now(),
        }
    ]
