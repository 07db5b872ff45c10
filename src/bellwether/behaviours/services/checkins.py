"""Recording a day's behaviour check-in: on the day, or late within the grace window."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from zoneinfo import ZoneInfo

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from bellwether.behaviours import consistency
from bellwether.behaviours.models import CheckIn
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.people.models import Person


def today_for(organisation: Organisation) -> dt.date:
    """Today in the organisation's time zone: a check-in's day is the leader's day."""
    return timezone.localdate(timezone=ZoneInfo(organisation.time_zone or "UTC"))


def check_day(day: dt.date, today: dt.date) -> None:
    """Refuse a future date or one past the grace window, with a message to act on."""
    if day > today:
        raise DomainError(
            f"{day:%d %B %Y} has not happened yet: check in on the day or later.",
            code="future_date",
            field_errors={"day": ["This date is in the future."]},
        )
    if (today - day).days > RULES.grace_days:
        raise DomainError(
            f"A missed day can be filled in up to {RULES.grace_days} days later; "
            f"{day:%d %B %Y} is past that window.",
            code="past_grace_window",
            field_errors={"day": [f"More than {RULES.grace_days} days ago."]},
        )


def parse_keys(keys: Collection[str]) -> int:
    unknown = sorted(set(keys) - set(consistency.KEYS))
    if unknown:
        raise DomainError(
            f"Not a behaviour of the framework: {', '.join(unknown)}.",
            code="unknown_behaviour",
            field_errors={"behaviours": ["Unknown behaviour."]},
        )
    return consistency.mask_of(keys)


def done_elsewhere(person: Person, day: dt.date) -> int:
    """The weekly behaviours ticked on another day of ``day``'s week and the monthly ones
    ticked on another day of its month: they are done for that period already."""
    week = consistency.period_start(day, "weekly")
    month = consistency.period_start(day, "monthly")
    start = min(week, month)
    end = max(week + dt.timedelta(days=6), (month + dt.timedelta(days=32)).replace(day=1))
    mask = 0
    rows = CheckIn.objects.filter(person=person, day__gte=start, day__lte=end).exclude(day=day)
    for other, done in rows.values_list("day", "done"):
        if consistency.period_start(other, "weekly") == week:
            mask |= done & consistency.MASKS["weekly"]
        if consistency.period_start(other, "monthly") == month:
            mask |= done & consistency.MASKS["monthly"]
    return mask


@transaction.atomic
def record_check_in(
    *,
    person: Person,
    day: dt.date,
    behaviours: Collection[str],
    actor: AbstractBaseUser | None,
    via: str = CheckIn.Via.APP,
    today: dt.date | None = None,
) -> CheckIn:
    """Save ``person``'s ticks for ``day`` (replacing that day's earlier ticks). A day
    before today is marked late; a weekly or monthly behaviour already ticked on another
    day of its week or month is counted there, not twice."""
    organisation = person.organisation
    if not person.leader_level or not person.active:
        raise DomainError("Only active leaders check in behaviours.", code="not_a_leader")
    check_day(day, today or today_for(organisation))
    mask = parse_keys(behaviours) & ~done_elsewhere(person, day)
    late = day < (today or today_for(organisation))
    row = CheckIn.objects.select_for_update().filter(person=person, day=day).first()
    now = timezone.now()
    if row is None:
        row = CheckIn(organisation_id=person.organisation_id, person=person, day=day)
    row.set_ticks(mask)
    row.late = row.late or late
    row.via = via
    row.submitted_at = now
    row.save()
    audit.record(
        action="behaviours.check_in",
        organisation=organisation,
        actor=actor,
        actor_label="" if actor is not None else f"one-tap link of {person.name}",
        target=row,
        details={"day": day.isoformat(), "ticked": mask.bit_count(), "late": row.late, "via": via},
    )
    return row
