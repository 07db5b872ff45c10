"""The KPI dashboard over the JSON API: the same figures, definitions and drill-down as
the page, for the same filters and the same people (admins and executive sponsors)."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from bellwether.core.api import answers
from bellwether.core.schema import QueryId, QueryInput, StrictInput
from bellwether.framework.catalogue import CATALOGUE, kpi
from bellwether.insights import access, selectors, services
from bellwether.insights.filters import Filters, parse
from bellwether.people.models import LeaderLevel

router = Router(tags=["insights"])

KpiKey = Literal[
    "kpi.executive_fluency",
    "kpi.leadership_behaviour",
    "kpi.employee_confidence",
    "kpi.resource_commitment",
    "kpi.communication_quality",
    "kpi.time_to_decision",
    "kpi.cross_functional_collaboration",
    "kpi.executive_tool_adoption",
    "kpi.innovation_support",
    "kpi.thought_leadership",
]


class DashboardFilters(QueryInput):
    kind: Literal["week", "month", "quarter"] = Field("month", description="The cadence")
    period: str = Field(
        "", max_length=10, description="2026-W48, 2026-11 or 2026-Q4; empty for the current one"
    )
    unit: QueryId | None = Field(None, description="An org unit: its whole subtree is counted")
    level: LeaderLevel | None = Field(None, description="A leader level")


class DefinitionOut(Schema):
    numerator: str
    denominator: str
    source: str
    period: str


class KpiOut(Schema):
    key: str
    name: str
    primary: bool
    unit: str
    value: float | None
    numerator: float | None
    denominator: float | None
    target: float
    target_text: str
    target_source: str = Field(
        description='Where the target comes from: "set by admin", "agreed at <workshop> on '
        '<date>" or "framework default"'
    )
    status: str = Field(description='"met", "on_track", "behind" or "no_data"')
    trend: str = Field(description='"up", "down" or "flat"')
    history: list[float | None] = Field(description="The last periods, oldest first")
    reason: str = Field(description="Why there is no value, when there is none")
    definition: DefinitionOut


class DashboardOut(Schema):
    kind: str
    period: str
    period_label: str
    start: str
    end: str
    unit: int | None
    level: str
    kpis: list[KpiOut]


class DetailOut(Schema):
    key: str
    anonymous: bool = Field(description="Pulse data: aggregates only, never rows")
    columns: list[str]
    rows: list[list[Any]]
    aggregates: list[list[str]]


class TargetIn(StrictInput):
    target_value: float = Field(ge=-1000, le=1000)
    baseline_value: float | None = Field(None, ge=-1000, le=1000)
    note: str = Field("", max_length=300)


class TargetOut(Schema):
    key: str
    target: float
    baseline: float | None
    own: bool = Field(description="Set by the organisation's admin")
    source: Literal["admin", "workshop", "framework"] = Field(
        description="Which target applies: set by an admin, else the latest agreed at a held "
        "workshop, else the framework's"
    )
    source_text: str = Field(description='"set by admin", "agreed at <workshop> on <date>"…')


def _filters(request: HttpRequest, filters: DashboardFilters) -> Filters:
    membership = access.VIEW_DASHBOARD.check(request)
    return parse(
        membership.organisation,
        kind=filters.kind,
        period=filters.period,
        unit=str(filters.unit or ""),
        level=filters.level or "",
    )


@router.get(
    "/kpis",
    **answers(
        DashboardOut,
        "insights_dashboard",
        "Every KPI for a period and scope, with its target, status, trend and definition",
    ),
)
def dashboard(request: HttpRequest, filters: Query[DashboardFilters]) -> dict[str, Any]:
    chosen = _filters(request, filters)
    organisation = access.VIEW_DASHBOARD.check(request).organisation
    rows = selectors.dashboard(organisation, period=chosen.period, scope=chosen.scope)
    return {
        "kind": chosen.period.kind,
        "period": chosen.period.key,
        "period_label": chosen.period.label,
        "start": chosen.period.start.isoformat(),
        "end": chosen.period.end.isoformat(),
        "unit": chosen.scope.unit.pk if chosen.scope.unit else None,
        "level": chosen.scope.level,
        "kpis": [
            {
                "key": m.key,
                "name": m.name,
                "primary": m.primary,
                "unit": m.unit,
                "value": m.figure.value,
                "numerator": m.figure.numerator,
                "denominator": m.figure.denominator,
                "target": m.target_value,
                "target_text": m.target_text,
                "target_source": m.target_source,
                "status": m.status,
                "trend": m.trend,
                "history": list(m.history),
                "reason": m.figure.reason,
                "definition": m.definition,
            }
            for m in rows
        ],
    }


@router.get(
    "/kpis/{key}/detail",
    **answers(
        DetailOut,
        "insights_kpi_detail",
        "What is behind one KPI figure: rows of identified data, or released aggregates",
    ),
)
def detail(request: HttpRequest, key: KpiKey, filters: Query[DashboardFilters]) -> dict[str, Any]:
    chosen = _filters(request, filters)
    organisation = access.VIEW_DASHBOARD.check(request).organisation
    found = selectors.detail(organisation, key, period=chosen.period, scope=chosen.scope)
    return {
        "key": key,
        "anonymous": found.anonymous,
        "columns": list(found.columns),
        "rows": [list(r) for r in found.rows],
        "aggregates": [list(a) for a in found.aggregates],
    }


@router.get(
    "/targets",
    **answers(
        list[TargetOut],
        "insights_list_targets",
        "The organisation's KPI targets (the framework's where none is set)",
    ),
)
def list_targets(request: HttpRequest) -> list[dict[str, Any]]:
    membership = access.VIEW_DASHBOARD.check(request)
    targets = selectors.targets_for(membership.organisation)
    return [
        {
            "key": m.key,
            "target": targets[m.key].value,
            "baseline": targets[m.key].baseline,
            "own": targets[m.key].own,
            "source": targets[m.key].source,
            "source_text": targets[m.key].source_text,
        }
        for m in (*CATALOGUE.primary_kpis, *CATALOGUE.secondary_kpis)
    ]


@router.put(
    "/targets/{key}",
    **answers(
        TargetOut,
        "insights_set_target",
        "Set the organisation's own target (and baseline) for one KPI",
    ),
)
def set_target(request: HttpRequest, key: KpiKey, payload: TargetIn) -> dict[str, Any]:
    membership = access.EDIT_TARGETS.check(request)
    try:
        kpi(key)
    except KeyError:
        raise HttpError(404, "No such KPI") from None
    row = services.set_target(
        organisation=membership.organisation,
        kpi_key=key,
        target_value=payload.target_value,
        baseline_value=payload.baseline_value,
        note=payload.note,
        actor=membership.user,
    )
    return {
        "key": key,
        "target": row.target_value,
        "baseline": row.baseline_value,
        "own": True,
        "source": "admin",
        "source_text": "set by admin",
    }
