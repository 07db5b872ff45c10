"""The organisation's log of AI decisions leadership is asked to take."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.initiatives.models import (
    DecisionLogEntry,
    Initiative,
)
from bellwether.initiatives.services._common import _refuse
from bellwether.people.models import Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User


@transaction.atomic
def request_decision(
    *,
    organisation: Organisation,
    actor: User | None,
    title: str,
    initiative: Initiative | None = None,
    requested_at: datetime.datetime | None = None,
) -> DecisionLogEntry:
    if not title.strip():
        raise _refuse("title", "Say what needs deciding.")
    entry = DecisionLogEntry.objects.create(
        organisation=organisation,
        initiative=initiative,
        title=title.strip(),
        requested_at=requested_at or timezone.now(),
    )
    audit.record(
        action="initiative.decision_requested", organisation=organisation, actor=actor, target=entry
    )
    return entry


@transaction.atomic
def record_decision(
    *,
    entry: DecisionLogEntry,
    actor: User | None,
    decided_by: Person,
    outcome: str,
    decided_at: datetime.datetime | None = None,
) -> DecisionLogEntry:
    if entry.decided_at is not None:
        raise DomainError("This decision has already been taken.", code="already_decided")
    when = decided_at or timezone.now()
    if when < entry.requested_at:
        raise _refuse("decided_at", "A decision can't be taken before it was requested.")
    if not outcome.strip():
        raise _refuse("outcome", "Record the outcome of the decision.")
    entry.decided_at = when
    entry.decided_by = decided_by
    entry.outcome = outcome.strip()
    entry.save()
    audit.record_on(entry, "initiative.decision_recorded", actor=actor)
    return entry
