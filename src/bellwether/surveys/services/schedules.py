"""Recurring pulses: a campaign per period for each active schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.surveys.models import Campaign, Instrument, Schedule
from bellwether.surveys.services.campaigns import launch_campaign

if TYPE_CHECKING:
    from bellwether.accounts.models import User


def period_of(day: dt.date, frequency: str) -> tuple[str, dt.date]:
    """The period label and its first day ("2026-05", or "2026-Q2")."""
    if frequency == Schedule.Frequency.QUARTERLY:
        quarter = (day.month - 1) // 3
        return f"{day.year}-Q{quarter + 1}", dt.date(day.year, quarter * 3 + 1, 1)
    return f"{day.year}-{day.month:02d}", dt.date(day.year, day.month, 1)


def run_schedules(*, now: dt.datetime | None = None) -> list[Campaign]:
    """Create this period's campaign for each active schedule that has none yet (safe to
    rerun: the period is unique per schedule)."""
    now = now or timezone.now()
    created = []
    for schedule in Schedule.objects.filter(active=True).select_related(
        "organisation", "instrument"
    ):
        zone = ZoneInfo(schedule.organisation.time_zone)
        label, first = period_of(timezone.localtime(now, zone).date(), schedule.frequency)
        if Campaign.objects.filter(schedule=schedule, period=label).exists():
            continue
        version = schedule.instrument.versions.filter(published_at__isnull=False).first()
        if version is None:
            continue
        opens = dt.datetime.combine(first, dt.time(9), tzinfo=zone)
        closes = opens + dt.timedelta(days=schedule.open_days)
        if closes <= now:
            continue
        try:
            created.append(
                launch_campaign(
                    organisation=schedule.organisation,
                    actor=None,
                    version=version,
                    name=f"{schedule.instrument.name} {label}",
                    opens_at=max(opens, now),
                    closes_at=closes,
                    time_zone=schedule.organisation.time_zone,
                    segments=schedule.segments,
                    org_unit_depth=schedule.org_unit_depth,
                    audience=schedule.audience,
                    schedule=schedule,
                    period=label,
                )
            )
        except (DomainError, IntegrityError):
            continue
    return created


@transaction.atomic
def create_schedule(
    *,
    organisation: Organisation,
    actor: User | None,
    instrument: Instrument,
    frequency: str = Schedule.Frequency.MONTHLY,
    open_days: int = 14,
    segments: Sequence[str] = ("org_unit", "leader_level", "tenure_band"),
    org_unit_depth: int = 1,
    audience: dict[str, Any] | None = None,
) -> Schedule:
    if frequency not in Schedule.Frequency.values:
        raise DomainError("Choose monthly or quarterly.", code="bad_frequency")
    if not 1 <= open_days <= 90:
        raise DomainError("A pulse stays open between 1 and 90 days.", code="bad_window")
    schedule = Schedule.objects.create(
        organisation=organisation,
        instrument=instrument,
        frequency=frequency,
        open_days=open_days,
        segments=list(segments),
        org_unit_depth=org_unit_depth,
        audience=audience or {},
    )
    audit.record(
        action="surveys.schedule_created",
        organisation=organisation,
        actor=actor,
        target=schedule,
        details={"frequency": frequency},
    )
    return schedule
