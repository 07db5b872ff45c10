"""Figures of settled periods, computed once and kept.

The dashboard shows each KPI over six periods. Most sources are cheap; the three that
read behaviour check-ins (KPI 2, executive tool adoption, cross-functional work) read a
few weeks of rows for every leader per period, and at 5,000 leaders that is most of the
page's time. Their past periods are kept in ``KpiSnapshot``.

Why a kept figure stays correct:

* only a *settled* period is kept: one whose last day is more than the source's
  ``settles_after_days`` before today. For check-in sources that is the catalogue's grace
  window, past which the product refuses a check-in for that day, so the rows the
  figure read can no longer change;
* the figure also depends on who is counted (active leaders, their units and levels).
  A snapshot is keyed by ``people.selectors.people_version`` (how many people and units
  there are and when one last changed), so adding, editing, moving, deactivating or
  erasing anyone retires every snapshot at once; the next view recomputes;
* it is keyed by the scope (unit, level) and by the baseline it was compared with, so a
  new baseline is a new key;
* the running period and the ones still inside the grace window are always computed.

Snapshots hold aggregates only (a value, its numerator and denominator), never rows.
They are a cache: written when first read, with no audit event, and safe to delete.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from bellwether.insights.measures import Figure
from bellwether.insights.models import KpiSnapshot
from bellwether.insights.sources import Context, Source
from bellwether.people import selectors as people


def scope_key(context: Context) -> str:
    """ "" for the whole organisation, else ``u<unit id>`` and/or ``l<level>``."""
    unit, level = context.scope.unit, context.scope.level
    return (f"u{unit.pk}" if unit else "") + (f"l{level}" if level else "")


def _baseline_key(context: Context) -> str:
    return "" if context.baseline is None else repr(float(context.baseline))


def _version(context: Context) -> str:
    key = ("people_version", context.organisation.pk)
    if key not in context.memo:
        context.memo[key] = "|".join(str(v) for v in people.people_version(context.organisation))
    return str(context.memo[key])


def settled(source: Source, context: Context, today: dt.date) -> bool:
    days = source.settles_after_days
    return days is not None and (today - context.period.end).days > days


def figures(key: str, source: Source, contexts: Sequence[Context], today: dt.date) -> list[Figure]:
    """The source's figure for each context: kept ones read in one query, the others
    computed; settled ones that were missing are kept."""
    keep = [c for c in contexts if settled(source, c, today)]
    if not keep:
        return [source.compute(c) for c in contexts]
    kept_starts = {c.period.start for c in keep}
    first = keep[0]
    common: dict[str, Any] = {
        "organisation": first.organisation,
        "kpi_key": key,
        "period_kind": first.period.kind,
        "scope_key": scope_key(first),
        "baseline_key": _baseline_key(first),
        "inputs_version": _version(first)[:120],
    }
    stored = dict(
        KpiSnapshot.objects.filter(**common, period_start__in=kept_starts).values_list(
            "period_start", "figure"
        )
    )
    out, new = [], []
    for context in contexts:
        kept = stored.get(context.period.start)
        if kept is not None:
            out.append(Figure(**kept))
            continue
        figure = source.compute(context)
        out.append(figure)
        if context.period.start in kept_starts:
            new.append(
                KpiSnapshot(
                    **common,
                    period_start=context.period.start,
                    figure=dataclasses.asdict(figure),
                )
            )
    if new:
        # Two first views at once compute the same figures: the second insert is a no-op.
        KpiSnapshot.objects.bulk_create(new, ignore_conflicts=True)
    return out
