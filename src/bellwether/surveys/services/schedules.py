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


def _check(
    *,
    organisation: Organisation,
    instrument: Instrument,
    frequency: str,
    open_days: int,
    segments: Sequence[str],
    org_unit_depth: int,
) -> None:
    if instrument.organisation_id != organisation.pk:
        raise DomainError("Choose one of your organisation's instruments.", code="bad_instrument")
    if instrument.kind in (Instrument.Kind.ASSESSMENT, Instrument.Kind.EMBEDDED):
        raise DomainError("Only a pulse or custom instrument can recur.", code="bad_instrument")
    if not instrument.versions.filter(published_at__isnull=False).exists():
        raise DomainError("Publish the instrument before scheduling it.", code="unpublished")
    if frequency not in Schedule.Frequency.values:
        raise DomainError("Choose monthly or quarterly.", code="bad_frequency")
    if not 1 <= open_days <= 90:
        raise DomainError("A pulse stays open between 1 and 90 days.", code="bad_window")
    unknown = sorted(set(segments) - set(Campaign.Segment.values))
    if unknown:
        raise DomainError(f"Unknown breakdown: {', '.join(unknown)}.", code="bad_segments")
    if not 0 <= org_unit_depth <= 10:
        raise DomainError("The org unit depth is between 0 and 10.", code="bad_depth")


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
    """A recurring pulse: from the next run of the scheduler, one campaign a period."""
    _check(
        organisation=organisation,
        instrument=instrument,
        frequency=frequency,
        open_days=open_days,
        segments=segments,
        org_unit_depth=org_unit_depth,
    )
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


@transaction.atomic
def update_schedule(
    *,
    schedule: Schedule,
    actor: User | None,
    instrument: Instrument,
    frequency: str,
    open_days: int,
    segments: Sequence[str],
    org_unit_depth: int,
) -> Schedule:
    """Change a recurring pulse; campaigns already launched keep what they were launched
    with, and the current period is not launched again (its campaign exists)."""
    _check(
        organisation=schedule.organisation,
        instrument=instrument,
        frequency=frequency,
        open_days=open_days,
        segments=segments,
        org_unit_depth=org_unit_depth,
    )
    changes = {
        name: value
        for name, value in {
            "instrument_id": instrument.pk,
            "frequency": frequency,
            "open_days": open_days,
            "segments": list(segments),
            "org_unit_depth": org_unit_depth,
        }.items()
        if getattr(schedule, name) != value
    }
    if not changes:
        return schedule
    Schedule.objects.filter(pk=schedule.pk).update(**changes)
    schedule.refresh_from_db()
    audit.record(
        action="surveys.schedule_changed",
        organisation=schedule.organisation,
        actor=actor,
        target=schedule,
        details={"changed": sorted(changes)},
    )
    return schedule


@transaction.atomic
def set_schedule_active(*, schedule: Schedule, actor: User | None, active: bool) -> Schedule:
    """Pause a recurring pulse (no new campaigns; launched ones run on) or resume it."""
    if schedule.active == active:
        raise DomainError(
            "The schedule is already running." if active else "The schedule is already paused.",
            code="unchanged",
        )
    Schedule.objects.filter(pk=schedule.pk).update(active=active)
    schedule.active = active
    audit.record(
        action="surveys.schedule_resumed" if active else "surveys.schedule_paused",
        organisation=schedule.organisation,
        actor=actor,
        target=schedule,
    )
    return schedule
