"""Writing to the audit log. Services call ``record`` inside their own transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.utils import timezone

from bellwether.core.models import AuditEvent, Organisation

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bellwether.accounts.models import User


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    *,
    action: str,
    organisation: Organisation | None,
    actor: User | None = None,
    actor_label: str = "",
    target: models.Model | None = None,
    target_label: str = "",
    details: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> AuditEvent:
    label = actor_label or (actor.email if actor is not None else "")
    return AuditEvent.objects.create(
        organisation=organisation,
        actor=actor,
        actor_label=label[:254],
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or (str(target) if target is not None else ""))[:300],
        details=details or {},
        ip_address=client_ip(request),
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
