"""The KPI dashboard's reads: every KPI for a period and scope, its trend, its
definition, and what is behind a figure. The page, the API and the exports use these."""

from __future__ import annotations

from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE, Kpi
from bellwether.insights import kept, measures, snapshots
from bellwether.insights.periods import Period, last
from bellwether.insights.sources import SOURCES, Context, Detail, Scope
from bellwether.insights.targets import Target, targets_for

# How many periods the trend shows, the chosen one last.
HISTORY = 6


def measure(
    organisation: Organisation,
    metric: Kpi,
    *,
    period: Period,
    scope: Scope,
    target: Target,
    primary: bool,
    history: int = HISTORY,
    memo: dict[object, object] | None = None,
) -> measures.Measure:
    """One KPI over the trend's periods; settled periods' figures are kept
    (``insights/snapshots.py``). ``memo`` may be shared by the KPIs of one dashboard."""
    source = SOURCES[metric.key]
    memo = {} if memo is None else memo
    contexts = [
        Context(organisation, p, scope, target.baseline, memo) for p in last(period, history)
    ]
    figures = snapshots.figures(metric.key, source, contexts, contexts[-1].today)
    values = tuple(f.value for f in figures)
    trend = measures.direction(values)
    figure = figures[-1]
    return measures.Measure(
        key=metric.key,
        name=metric.name,
        primary=primary,
        unit=metric.unit,
        target_text=target.text,
        target_value=target.value,
        target_source=target.source_text,
        comparison=metric.comparison,
        figure=figure,
        status=measures.status(figure.value, target.value, metric.comparison, trend),
        trend=trend,
        history=values,
        definition=source.definition,
    )


def dashboard(
    organisation: Organisation, *, period: Period, scope: Scope, history: int = HISTORY
) -> list[measures.Measure]:
    """The five primary KPIs, then the five secondary indicators: from the shared cache
    while every input is unchanged (``insights/kept.py``)."""
    groups = ((True, CATALOGUE.primary_kpis), (False, CATALOGUE.secondary_kpis))
    return _measures(organisation, groups, period=period, scope=scope, history=history)


def primary_measures(
    organisation: Organisation, *, period: Period, history: int
) -> list[measures.Measure]:
    """The five primary KPIs for the whole organisation (the home page), kept as
    ``dashboard`` is."""
    groups = ((True, CATALOGUE.primary_kpis),)
    return _measures(organisation, groups, period=period, scope=Scope(), history=history)


def _measures(
    organisation: Organisation,
    groups: tuple[tuple[bool, tuple[Kpi, ...]], ...],
    *,
    period: Period,
    scope: Scope,
    history: int,
) -> list[measures.Measure]:
    targets = targets_for(organisation)
    memo: dict[object, object] = {}
    wanted = [
        (primary, metric, targets[metric.key]) for primary, group in groups for metric in group
    ]
    asked = (
        period.kind,
        period.key,
        scope.unit.pk if scope.unit else None,
        scope.level,
        history,
        *((primary, metric.key, repr(target)) for primary, metric, target in wanted),
    )

    def compute() -> list[measures.Measure]:
        return [
            measure(
                organisation,
                metric,
                period=period,
                scope=scope,
                target=target,
                primary=primary,
                history=history,
                memo=memo,
            )
            for primary, metric, target in wanted
        ]

    today = Context(organisation, period, scope).today
    return kept.remembered("measures", organisation, asked, today, compute, memo)


def detail(organisation: Organisation, kpi_key: str, *, period: Period, scope: Scope) -> Detail:
    target = targets_for(organisation)[kpi_key]
    return SOURCES[kpi_key].detail(Context(organisation, period, scope, target.baseline))
