"""The readiness reads behind the KPI dashboard (insights): each leader's total of
record as it stood at a date, and KPI 1's counts. Re-exported by ``selectors``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from bellwether.assessments.models import LeaderResult, ReadinessCycle
from bellwether.assessments.records import of_record_first, of_record_only
from bellwether.core.models import Organisation


@dataclass(frozen=True)
class FluencyRow:
    """A leader's readiness of record at a date: the latest cycle released by then."""

    person_id: int
    name: str
    unit: str
    level: str
    total: float
    band_key: str
    cycle_name: str
    released_at: dt.datetime


def _fluency_base(
    organisation: Organisation, *, as_of: dt.datetime, unit_path: str, level: str
) -> QuerySet[LeaderResult]:
    rows = LeaderResult.objects.filter(
        organisation=organisation,
        total__isnull=False,
        cycle__closes_at__lte=as_of,
        person__active=True,
    ).exclude(band_key="")
    if unit_path:
        rows = rows.filter(person__org_unit__path__startswith=unit_path)
    if level:
        rows = rows.filter(person__leader_level=level)
    return rows


def fluency_counts(
    organisation: Organisation,
    *,
    as_of: dt.datetime,
    threshold: float,
    unit_path: str = "",
    level: str = "",
) -> tuple[int, int]:
    """(leaders whose total of record at ``as_of`` is at least ``threshold``, leaders
    with a total of record): KPI 1's numerator and denominator in one SQL aggregate over
    each leader's latest released result (a window function; the same choice of result
    as ``fluency_rows``)."""
    base = _fluency_base(organisation, as_of=as_of, unit_path=unit_path, level=level)
    figures = of_record_only(base).aggregate(
        leaders=Count("id"), ok=Count("id", filter=Q(total__gte=threshold))
    )
    return figures["ok"] or 0, figures["leaders"] or 0


def released_cycles_closed_by(organisation: Organisation, *, as_of: dt.datetime) -> list[int]:
    """The released cycles that had closed by ``as_of``: two dates with the same list
    have the same results of record."""
    return list(
        ReadinessCycle.objects.filter(
            organisation=organisation, released_at__isnull=False, closes_at__lte=as_of
        )
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def fluency_rows(
    organisation: Organisation,
    *,
    as_of: dt.datetime,
    unit_path: str = "",
    level: str = "",
) -> list[FluencyRow]:
    """Each active leader's total of record as it stood at ``as_of``: the latest released
    cycle that had closed by then (``of_record_first`` keeps released cycles only), filtered to a unit's subtree and a level: the rows behind KPI 1.
    Two queries: the chosen result ids, then the rows."""
    rows = _fluency_base(organisation, as_of=as_of, unit_path=unit_path, level=level)
    latest: dict[int, int] = {}
    for pk, person_id in of_record_first(rows).values_list("pk", "person_id"):
        latest.setdefault(person_id, pk)
    chosen = (
        LeaderResult.objects.filter(pk__in=list(latest.values()))
        .select_related("person__org_unit", "cycle")
        .order_by("person__name", "person_id")
    )
    return [
        FluencyRow(
            person_id=r.person_id,
            name=r.person.name,
            unit=r.person.org_unit.name if r.person.org_unit else "",
            level=r.person.leader_level,
            total=float(r.total or 0),
            band_key=r.band_key,
            cycle_name=r.cycle.name,
            released_at=r.cycle.released_at or as_of,
        )
        for r in chosen
    ]
