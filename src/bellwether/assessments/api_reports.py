"""Readiness reports over the JSON API: a leader's scores and the organisation aggregates.

Mounted by ``assessments.api`` under /api/v1/readiness. The same selectors and the same
confidentiality rules as the pages: rater groups under the minimum are merged or
withheld, heatmap units under the minimum (or revealed by difference) come back null.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from bellwether.accounts.models import Membership
from bellwether.assessments import access, release, reports, selectors
from bellwether.assessments.models import ReadinessCycle
from bellwether.core.access import refuse
from bellwether.core.report_schemas import output_schema
from bellwether.core.schema import ErrorOut, PathId, QueryId, QueryInput, UtcDateTime

router = Router(tags=["readiness reports"])


# --- schemas -------------------------------------------------------------------------------------


class ScoreTriple(Schema):
    self: float | None
    others: float | None
    record: float | None


class ItemOut(ScoreTriple):
    key: str
    text: str
    dimension: str
    groups: dict[str, float | None]
    blind_spot: bool
    hidden_strength: bool


class DimensionOut(ScoreTriple):
    key: str
    name: str
    groups: dict[str, float | None]


class GroupOut(Schema):
    key: str
    label: str
    categories: list[str]
    n: int


class PriorityOut(Schema):
    dimension: str
    name: str
    record: float | None
    items: list[str]


class SignalOut(Schema):
    key: str
    name: str
    signalled: bool
    rule: str


class TrendOut(Schema):
    cycle_id: int
    cycle: str
    opens_at: UtcDateTime
    total: float | None
    band: str
    self_reported: bool


class ReportOut(Schema):
    person_id: int
    name: str
    cycle_id: int | None
    cycle: str | None
    scored: bool
    total: float | None
    band: str | None
    band_name: str | None
    self_reported: bool
    self_total: float | None
    others_total: float | None
    others_count: int
    band_rule: str
    groups: list[GroupOut]
    groups_note: str
    dimensions: list[DimensionOut]
    items: list[ItemOut]
    blind_spots: list[str]
    hidden_strengths: list[str]
    priorities: list[PriorityOut]
    failure_modes: list[SignalOut]
    trend: list[TrendOut]
    released: bool = Field(description="false while the cycle is open or being released")
    pending: str = Field(description="when results come, for a cycle not released yet")
    rater_changes: dict[str, int] = Field(
        description="raters added, removed, sent a new link or whose e-mail changed "
        "after the cycle opened"
    )
    rater_changes_note: str


class ReportQuery(QueryInput):
    cycle_id: QueryId | None = None


class CycleQuery(QueryInput):
    cycle_id: QueryId | None = None


class BandCountOut(Schema):
    band: str
    name: str
    range: str
    leaders: int
    self_reported: int
    percent: float | None


class DistributionOut(Schema):
    cycle_id: int
    leaders: int
    scored: int
    at_or_above_70: int
    share_at_or_above_70: float | None
    bands: list[BandCountOut]


class HeatRowOut(Schema):
    unit_id: int | None
    name: str
    leaders: int | None
    shown: bool
    reason: str
    dimensions: dict[str, float | None]


class HeatmapOut(Schema):
    cycle_id: int
    minimum: int
    dimensions: dict[str, str]
    organisation: HeatRowOut
    units: list[HeatRowOut]


class TransitionQuery(QueryInput):
    from_cycle_id: QueryId | None = None  # default: the cycle before ``to_cycle_id``
    to_cycle_id: QueryId | None = None  # default: the latest cycle


class TransitionsOut(Schema):
    from_cycle_id: int
    to_cycle_id: int
    matrix: dict[str, dict[str, int]]
    both: int
    up: int
    same: int
    down: int
    new: int


# The KPI figure's own fields (``reports_org_kpi.ShareFigure``), served as they are.
ShareOut = output_schema(reports.ShareFigure, name="ShareOut", module=__name__)


# --- helpers -------------------------------------------------------------------------------------


def _cycle(request: HttpRequest, membership: Membership, cycle_id: int | None) -> ReadinessCycle:
    """The organisation's released cycle with this id (default: the latest released);
    404 (audited) when there is none, 409 when it is not released yet."""
    release.request_release(membership.organisation)
    cycle = selectors.released_cycle(membership.organisation_id, cycle_id)
    if cycle is None:
        refuse(
            request,
            membership,
            rule=access.OPEN_CYCLE.name,
            target=f"readiness cycle {cycle_id}",
            not_found=True,
        )
    pending = reports.pending_message(cycle)
    if pending:
        raise HttpError(409, pending)
    return cycle


def _report_out(report: reports.IndividualReport) -> dict[str, Any]:
    score = report.score
    columns = report.columns
    return {
        "person_id": report.person.pk,
        "name": report.person.name,
        "released": bool(report.cycle is not None and report.cycle.is_released),
        "pending": report.pending,
        "rater_changes": report.changes,
        "rater_changes_note": report.changes_note,
        "cycle_id": report.cycle.pk if report.cycle else None,
        "cycle": report.cycle.name if report.cycle else None,
        "scored": report.band is not None,
        "total": score.total if score else None,
        "band": report.band.key if report.band else None,
        "band_name": report.band.name if report.band else None,
        "self_reported": bool(score and score.self_reported),
        "self_total": score.self_total if score else None,
        "others_total": score.others_total if score else None,
        "others_count": score.others_count if score else 0,
        "band_rule": report.band_rule,
        "groups": [
            {"key": c.key, "label": c.label, "categories": list(c.members), "n": c.n}
            for c in columns
        ],
        "groups_note": report.column_note,
        "dimensions": [
            {
                "key": d.key,
                "name": d.name,
                "self": d.self,
                "others": d.others,
                "record": d.record,
                "groups": d.columns,
            }
            for d in report.dimensions
        ],
        "items": [
            {
                "key": i.key,
                "text": i.text,
                "dimension": i.dimension_key,
                "self": i.self,
                "others": i.others,
                "record": i.record,
                "groups": i.columns,
                "blind_spot": i.blind_spot,
                "hidden_strength": i.hidden_strength,
            }
            for i in report.items
        ],
        "blind_spots": [i.key for i in report.blind_spots],
        "hidden_strengths": [i.key for i in report.hidden_strengths],
        "priorities": [
            {
                "dimension": p.dimension_key,
                "name": p.dimension_name,
                "record": p.record,
                "items": [i.key for i in p.items],
            }
            for p in report.priorities
        ],
        "failure_modes": [
            {"key": s.key, "name": s.name, "signalled": s.signalled, "rule": s.rule}
            for s in report.failure_signals
        ],
        "trend": [
            {
                "cycle_id": t.cycle_id,
                "cycle": t.cycle_name,
                "opens_at": t.opens_at,
                "total": t.total,
                "band": t.band_key,
                "self_reported": t.self_reported,
            }
            for t in report.trend
        ],
    }


def _heat_row(row: reports.HeatmapRow) -> dict[str, Any]:
    return {
        "unit_id": int(row.key) if row.key.isdigit() else None,
        "name": row.name,
        "leaders": row.n if row.shown else None,
        "shown": row.shown,
        "reason": row.reason,
        "dimensions": row.values,
    }


# --- operations ----------------------------------------------------------------------------------


@router.get(
    "/leaders/{person_id}/report",
    response=ReportOut,
    summary="A leader's readiness report: scores of record, rater groups, trend",
)
def leader_report(request: HttpRequest, person_id: PathId, query: Query[ReportQuery]) -> Any:
    membership = access.VIEW_READINESS.check(request)
    person = access.get_readiness_person_for(request, membership, person_id)
    release.request_release(person.organisation_id)
    cycle = None
    if query.cycle_id is not None:
        cycle = next((c for c in reports.cycles_for_person(person) if c.pk == query.cycle_id), None)
        if cycle is None:
            raise HttpError(404, "This leader was not assessed in that cycle.")
    return _report_out(reports.individual_report(person, cycle=cycle))


@router.get(
    "/organisation/distribution",
    response={200: DistributionOut, 409: ErrorOut},
    summary="Leaders per band in a cycle (default: the latest)",
)
def distribution(request: HttpRequest, query: Query[CycleQuery]) -> Any:
    membership = access.VIEW_ORGANISATION.check(request)
    dist = reports.band_distribution(_cycle(request, membership, query.cycle_id))
    return {
        "cycle_id": dist.cycle_id,
        "leaders": dist.leaders,
        "scored": dist.scored,
        "at_or_above_70": dist.at_or_above,
        "share_at_or_above_70": dist.share_at_or_above,
        "bands": [
            {
                "band": b.key,
                "name": b.name,
                "range": b.range_label,
                "leaders": b.count,
                "self_reported": b.self_reported,
                "percent": b.percent,
            }
            for b in dist.bands
        ],
    }


@router.get(
    "/organisation/heatmap",
    response={200: HeatmapOut, 409: ErrorOut},
    summary="Mean score per dimension and org unit; small units suppressed (null)",
)
def heatmap(request: HttpRequest, query: Query[CycleQuery]) -> Any:
    membership = access.VIEW_ORGANISATION.check(request)
    heat = reports.heatmap(_cycle(request, membership, query.cycle_id))
    return {
        "cycle_id": heat.cycle_id,
        "minimum": heat.minimum,
        "dimensions": dict(heat.dimensions),
        "organisation": _heat_row(heat.total),
        "units": [_heat_row(r) for r in heat.rows],
    }


@router.get(
    "/organisation/transitions",
    response={200: TransitionsOut, 409: ErrorOut},
    summary="Movement between bands from one cycle to another (leaders per band pair)",
)
def transitions(request: HttpRequest, query: Query[TransitionQuery]) -> Any:
    membership = access.VIEW_ORGANISATION.check(request)
    later = _cycle(request, membership, query.to_cycle_id)
    if query.from_cycle_id is not None:
        earlier = _cycle(request, membership, query.from_cycle_id)
    else:
        found = selectors.released_cycle_before(later)
        if found is None:
            raise HttpError(404, "Movement between bands needs an earlier cycle.")
        earlier = found
    moves = reports.transitions(earlier, later)
    return {
        "from_cycle_id": moves.from_cycle_id,
        "to_cycle_id": moves.to_cycle_id,
        "matrix": moves.matrix,
        "both": moves.both,
        "up": moves.up,
        "same": moves.same,
        "down": moves.down,
        "new": moves.new,
    }


@router.get(
    "/organisation/share-70",
    response={200: ShareOut, 409: ErrorOut},
    summary='KPI "≥90% of leaders score 70+": share of leaders whose latest score is 70+',
)
def share_70(request: HttpRequest) -> Any:
    membership = access.VIEW_ORGANISATION.check(request)
    return reports.share_at_or_above_70(membership.organisation)
