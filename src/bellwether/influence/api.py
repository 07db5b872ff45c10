"""The influence map over the JSON API: profiles, ties (with bulk upsert), the latest
analytics, planner runs, messengers and the grid. Each endpoint parses, asks
``access``, then calls a service or selector. Heavy work is queued for the worker:
creating a planner run answers 202 with the run's id."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from bellwether.accounts.models import Membership
from bellwether.core.api import answers, batch_answer, batch_of, named, page_of
from bellwether.core.report_schemas import output_schema
from bellwether.core.schema import (
    BatchCounts,
    CellValue,
    ErrorOut,
    Id,
    PathId,
    QueryInput,
    StrictInput,
)
from bellwether.influence import access, network, planner, selectors, services
from bellwether.influence.models import METRIC_FIELDS, TEXT_FIELDS, AnalysisRun, PlannerRun, Tie
from bellwether.people.models import Person

router = Router(tags=["influence"])

MAX_BATCH = 5000
MAX_PAGE = 500


# --- schemas --------------------------------------------------------------------------------


RATING = "high, medium, low, or empty for not rated"


class ProfileOut(Schema):
    person_id: int
    name: str
    influence_index: float = Field(description="0–100 from the five ratings")
    formal_authority: str = Field(description=RATING)
    informal_influence: str
    peer_respect: str
    employee_following: str
    external_credibility: str
    motivated_by: str
    concerned_about: str
    values_alignment: str
    coalition_potential: str
    approach: str
    messaging: str
    timing: str
    support_needed: str
    updated_at: datetime.datetime | None


class ProfileIn(StrictInput):
    """Fields left out keep their value."""

    formal_authority: str | None = Field(None, description=RATING, max_length=10)
    informal_influence: str | None = Field(None, max_length=10)
    peer_respect: str | None = Field(None, max_length=10)
    employee_following: str | None = Field(None, max_length=10)
    external_credibility: str | None = Field(None, max_length=10)
    motivated_by: str | None = Field(None, max_length=2000)
    concerned_about: str | None = Field(None, max_length=2000)
    values_alignment: str | None = Field(None, max_length=2000)
    coalition_potential: str | None = Field(None, max_length=2000)
    approach: str | None = Field(None, max_length=2000)
    messaging: str | None = Field(None, max_length=2000)
    timing: str | None = Field(None, max_length=2000)
    support_needed: str | None = Field(None, max_length=2000)


class InfluencePersonRef(Schema):
    id: int
    name: str
    employee_id: str


class TieOut(Schema):
    id: int
    source: InfluencePersonRef = Field(description="The leader who influences")
    target: InfluencePersonRef = Field(description="The leader influenced")
    strength: int
    note: str


class TieList(Schema):
    count: int
    limit: int
    offset: int
    items: list[TieOut]


class TieIn(StrictInput):
    source_id: Id = Field(description="Person id of the leader who influences")
    target_id: Id = Field(description="Person id of the leader influenced")
    strength: int = Field(2, ge=1, le=3)
    note: str = Field("", max_length=500)


class TiePage(QueryInput):
    q: str = Field("", max_length=100, description="Words to find in either leader's name")
    limit: int = Field(100, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=10_000_000)


class TieBatchIn(StrictInput):
    records: list[dict[str, CellValue]] = Field(
        description=(
            f"Up to {MAX_BATCH:,} records {{source, target, strength, note}}: source and "
            "target are employee ids; a record for an existing pair updates it"
        )
    )
    dry_run: bool = Field(False, description="Check and count, but change nothing")


class TieBatchOut(BatchCounts):
    pass


class LeaderFigures(Schema):
    person_id: int
    influence_index: float
    pagerank: float
    betweenness: float
    in_degree: int
    out_degree: int
    community: int
    quadrant: str | None
    band: str | None


class AnalysisOut(Schema):
    id: int
    status: str
    version: str
    current: bool = Field(description="False when the network has changed since")
    computed_at: datetime.datetime | None
    duration_ms: int | None
    communities: int
    brokers: list[int]
    leader_count: int = Field(description="Leaders in the analysis (the list is paged)")
    limit: int
    offset: int
    leaders: list[LeaderFigures]


class AnalysisPage(QueryInput):
    limit: int = Field(MAX_PAGE, ge=1, le=MAX_PAGE)
    offset: int = Field(0, ge=0, le=10_000_000)


class RunRef(Schema):
    id: int
    status: str


class RecomputeIn(StrictInput):
    force: bool = Field(True, description="Recompute even when the last result is current")


class PlannerIn(StrictInput):
    k: int = Field(planner.DEFAULT_PICKS, ge=1, le=services.MAX_PICKS)
    runs: int = Field(planner.DEFAULT_RUNS, ge=100, le=10_000)
    seed: int = Field(0, ge=0, le=2**31 - 1)


class PickOut(Schema):
    person_id: int
    marginal_gain: float
    expected_supporters: float


class PlannerRunOut(Schema):
    id: int
    status: str
    k: int
    runs: int
    seed: int
    version: str
    requested_at: datetime.datetime
    computed_at: datetime.datetime | None
    duration_ms: int | None
    error: str
    baseline_supporters: int | None
    expected_supporters: float | None
    picks: list[PickOut]
    assumptions: list[str]


# A messenger's own fields (``selectors.MessengerView``), declared once.
MessengerOut = output_schema(selectors.MessengerView, name="MessengerOut", module=__name__)


class MessengerTarget(Schema):
    person_id: int
    name: str
    band: str
    messengers: list[MessengerOut]  # type: ignore[valid-type]  # built by output_schema


class GridPoint(Schema):
    person_id: int
    band: str | None
    influence_index: float
    quadrant: str | None


class GridOut(Schema):
    influential_threshold: float
    rules: str
    placements: list[GridPoint]


# --- helpers --------------------------------------------------------------------------------


def _profile_person(request: HttpRequest, person_id: int) -> tuple[Membership, Person]:
    membership = access.OPEN_PROFILES.check(request)
    return membership, access.get_influence_person_for(request, membership, person_id)


def _profile_out(membership: Membership, person: Person) -> dict[str, Any]:
    profile = selectors.profile_for(membership.organisation, person.pk)
    values = profile.values() if profile else dict.fromkeys((*METRIC_FIELDS, *TEXT_FIELDS), "")
    return {
        "person_id": person.pk,
        "name": person.name,
        "influence_index": network.influence_index(profile.metrics() if profile else {}),
        **values,
        "updated_at": profile.updated_at if profile else None,
    }


def _ref(person: Person) -> dict[str, Any]:
    return {"id": person.pk, "name": person.name, "employee_id": person.employee_id}


def _tie_out(tie: Tie) -> dict[str, Any]:
    return {
        "id": tie.pk,
        "source": _ref(tie.source),
        "target": _ref(tie.target),
        "strength": tie.strength,
        "note": tie.note,
    }


def _leader_in(membership: Membership, person_id: int, field: str) -> Person:
    return named(
        selectors.leader_in(membership.organisation, person_id), field, "There is no such leader."
    )


def _run_out(run: AnalysisRun, version: str, page: AnalysisPage) -> dict[str, Any]:
    results = run.results or {}
    rows = selectors.figures(run).order_by("person_id")
    return {
        "id": run.pk,
        "status": run.status,
        "version": run.version,
        "current": run.version == version,
        "computed_at": run.computed_at,
        "duration_ms": run.duration_ms,
        "communities": results.get("communities", 0),
        "brokers": results.get("brokers", []),
        "leader_count": rows.count(),
        "limit": page.limit,
        "offset": page.offset,
        "leaders": [
            {
                "person_id": f.person_id,
                "influence_index": f.influence_index,
                "pagerank": f.pagerank,
                "betweenness": f.betweenness,
                "in_degree": f.in_degree,
                "out_degree": f.out_degree,
                "community": f.community,
                "quadrant": f.quadrant or None,
                "band": f.band_key or None,
            }
            for f in rows.select_related(None)[page.offset : page.offset + page.limit]
        ],
    }


def _plan_out(run: PlannerRun) -> dict[str, Any]:
    results = run.results or {}
    return {
        "id": run.pk,
        "status": run.status,
        "k": run.k,
        "runs": run.runs,
        "seed": run.seed,
        "version": run.version,
        "requested_at": run.created_at,
        "computed_at": run.computed_at,
        "duration_ms": run.duration_ms,
        "error": run.error,
        "baseline_supporters": results.get("baseline_supporters"),
        "expected_supporters": results.get("expected_supporters"),
        "picks": results.get("picks", []),
        "assumptions": list(planner.ASSUMPTIONS),
    }


# --- profiles -------------------------------------------------------------------------------


@router.get(
    "/profiles/{int:person_id}",
    **answers(ProfileOut, "get_influence_profile", "Get a leader's influence profile"),
)
def get_profile(request: HttpRequest, person_id: PathId) -> dict[str, Any]:
    membership, person = _profile_person(request, person_id)
    return _profile_out(membership, person)


@router.put(
    "/profiles/{int:person_id}",
    **answers(
        ProfileOut,
        "put_influence_profile",
        "Change a leader's influence profile (kept as a revision)",
    ),
)
def put_profile(request: HttpRequest, person_id: PathId, payload: ProfileIn) -> dict[str, Any]:
    membership, person = _profile_person(request, person_id)
    access.EDIT_PROFILE.require(request, membership, person)
    services.update_profile(
        organisation=membership.organisation,
        actor=membership.user,
        person=person,
        values=payload.model_dump(exclude_none=True),
    )
    return _profile_out(membership, person)


# --- ties -----------------------------------------------------------------------------------


@router.get("/ties", **answers(TieList, "list_influence_ties", "List influence ties"))
def list_ties(request: HttpRequest, page: Query[TiePage]) -> dict[str, Any]:
    membership = access.VIEW_MAP.check(request)
    ties = selectors.ties(membership.organisation, query=page.q, by_id=True)
    return page_of(ties, page, _tie_out)


@router.post(
    "/ties",
    **answers(
        TieOut, "create_influence_tie", "Record that one leader influences another", status=201
    ),
)
def create_tie(request: HttpRequest, payload: TieIn) -> Status:
    membership = access.EDIT_MAP.check(request)
    tie = services.add_tie(
        organisation=membership.organisation,
        actor=membership.user,
        source=_leader_in(membership, payload.source_id, "source_id"),
        target=_leader_in(membership, payload.target_id, "target_id"),
        strength=payload.strength,
        note=payload.note,
    )
    return Status(201, _tie_out(tie))


@router.delete(
    "/ties/{int:tie_id}",
    **answers(None, "delete_influence_tie", "Remove an influence tie", status=204),
)
def delete_tie(request: HttpRequest, tie_id: PathId) -> Status:
    membership = access.VIEW_MAP.check(request)
    tie = access.get_tie_for(request, membership, tie_id)
    access.EDIT_MAP.require(request, membership)
    services.remove_tie(tie=tie, actor=membership.user)
    return Status(204, None)


@router.post(
    "/ties/bulk",
    **answers(
        TieBatchOut,
        "upsert_influence_ties",
        "Create or update many ties at once (by employee id); nothing changes on any error",
        also={413: ErrorOut},
    ),
)
def bulk_ties(request: HttpRequest, payload: TieBatchIn) -> dict[str, Any]:
    membership = access.EDIT_MAP.check(request)
    result = services.upsert_ties(
        organisation=membership.organisation,
        actor=membership.user,
        records=batch_of(payload.records, MAX_BATCH),
        dry_run=payload.dry_run,
    )
    return batch_answer(result)


# --- analytics ------------------------------------------------------------------------------


@router.get(
    "/analysis",
    **answers(
        AnalysisOut,
        "get_influence_analysis",
        "The latest network analytics (404 until the first has been computed)",
    ),
)
def get_analysis(request: HttpRequest, page: Query[AnalysisPage]) -> dict[str, Any]:
    membership = access.VIEW_MAP.check(request)
    run = selectors.latest_analysis(membership.organisation)
    if run is None:
        raise HttpError(404, "No analytics have been computed yet.")
    return _run_out(run, selectors.network_version(membership.organisation), page)


@router.post(
    "/analysis",
    **answers(
        RunRef,
        "recompute_influence_analysis",
        "Ask the worker to recompute the analytics",
        status=202,
    ),
)
def recompute_analysis(request: HttpRequest, payload: RecomputeIn) -> Status:
    membership = access.EDIT_MAP.check(request)
    run = services.request_analysis(
        organisation=membership.organisation, actor=membership.user, force=payload.force
    )
    return Status(202, {"id": run.pk, "status": run.status})


@router.post(
    "/planner-runs",
    **answers(RunRef, "create_planner_run", "Run the conversion planner in the worker", status=202),
)
def create_planner_run(request: HttpRequest, payload: PlannerIn) -> Status:
    membership = access.EDIT_MAP.check(request)
    run = services.request_plan(
        organisation=membership.organisation,
        actor=membership.user,
        k=payload.k,
        runs=payload.runs,
        seed=payload.seed,
    )
    return Status(202, {"id": run.pk, "status": run.status})


@router.get(
    "/planner-runs/{int:run_id}",
    **answers(
        PlannerRunOut, "get_planner_run", "A planner run: its status and, once done, the picks"
    ),
)
def get_planner_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    membership = access.VIEW_MAP.check(request)
    return _plan_out(access.get_planner_run_for(request, membership, run_id))


@router.get(
    "/messengers",
    **answers(
        list[MessengerTarget],
        "list_influence_messengers",
        "The best messengers for each Cautious, Skeptical or Resistant leader, as the latest "
        "analytics found them (paged with limit and offset)",
    ),
)
def list_messengers(request: HttpRequest, page: Query[AnalysisPage]) -> list[dict[str, Any]]:
    membership = access.VIEW_MAP.check(request)
    run = selectors.latest_analysis(membership.organisation)
    rows = selectors.messenger_targets(run).order_by("person_id")
    return [
        {
            "person_id": row.person_id,
            "name": row.person.name,
            "band": network.band_name(row.band_key or None),
            "messengers": [
                {
                    "person_id": m["person_id"],
                    "name": m["name"],
                    "band_key": m["band_key"],
                    "strength": m["strength"],
                    "via_person_id": m["via_id"],
                    "via_name": m["via_name"],
                    "reason": m["reason"],
                }
                for m in row.messengers
            ],
        }
        for row in rows[page.offset : page.offset + page.limit]
    ]


@router.get(
    "/grid",
    **answers(
        GridOut,
        "get_influence_grid",
        "The engagement × influence grid as the latest analytics placed the leaders "
        "(placements paged with limit and offset)",
    ),
)
def get_grid(request: HttpRequest, page: Query[AnalysisPage]) -> dict[str, Any]:
    membership = access.VIEW_MAP.check(request)
    run = selectors.latest_analysis(membership.organisation)
    rows = selectors.figures(run).select_related(None).order_by("person_id")
    return {
        "influential_threshold": network.INFLUENTIAL_THRESHOLD,
        "rules": network.RULES,
        "placements": [
            {
                "person_id": f.person_id,
                "band": f.band_key or None,
                "influence_index": f.influence_index,
                "quadrant": f.quadrant or None,
            }
            for f in rows[page.offset : page.offset + page.limit]
        ],
    }
