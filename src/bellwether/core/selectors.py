"""Reads for the organisation home and the audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from bellwether.core.models import AuditEvent, Organisation


def organisation_summary(organisation: Organisation) -> dict[str, Any]:
    from bellwether.people.models import LeaderLevel, OrgUnit, Person

    counts = Person.objects.filter(organisation=organisation).aggregate(
        people=Count("id", filter=Q(active=True)),
        inactive=Count("id", filter=Q(active=False)),
        leaders=Count("id", filter=Q(active=True) & ~Q(leader_level="")),
        **{
            f"level_{level.value}": Count("id", filter=Q(active=True, leader_level=level.value))
            for level in LeaderLevel
        },
    )
    counts["org_units"] = OrgUnit.objects.filter(organisation=organisation).count()
    counts["levels"] = [
        {"value": level.value, "label": level.label, "count": counts[f"level_{level.value}"]}
        for level in LeaderLevel
    ]
    return counts


def audit_events(
    organisation: Organisation, *, action: str = "", actor: str = ""
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(organisation=organisation)
    if action:
        events = events.filter(action__startswith=action)
    if actor:
        events = events.filter(actor_label__icontains=actor)
    return events


def audit_actions(organisation: Organisation) -> list[str]:
    return list(
        AuditEvent.objects.filter(organisation=organisation)
        .values_list("action", flat=True)
        .distinct()
        .order_by("action")
    )
