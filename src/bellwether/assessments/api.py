"""Readiness over the JSON API: cycles, progress counts, raters, nominations, reminders
and each leader's current band (for those allowed). Never who answered what."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Literal, Self

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from pydantic import model_validator

from bellwether.accounts.models import Membership
from bellwether.assessments import access, selectors, services
from bellwether.assessments.api_reports import router as reports_router
from bellwether.assessments.models import Rater, ReadinessCycle
from bellwether.core import cursor
from bellwether.core.api_routes import paged_list
from bellwether.core.report_schemas import output_schema
from bellwether.core.schema import CursorQuery, Id, PathId, QueryInput, StrictInput, UtcDateTime

if TYPE_CHECKING:
    from bellwether.people.models import Person

BANDS_PAGE = 500
MAX_BANDS_PAGE = 1000

router = Router(tags=["assessments"])

RaterCategory = Literal["manager", "peer", "direct_report"]


class CycleOut(Schema):
    id: int
    name: str
    status: str
    rater_mode: str
    opens_at: dt.datetime
    closes_at: dt.datetime
    time_zone: str
    instrument_version: int
    leaders: int
    invited: int = Field(description="rating invitations (self included), not withdrawn")
    completed: int
    self_invited: int
    self_completed: int
    nominations_to_approve: int
    released_at: dt.datetime | None = Field(
        description="when the results were released (once, after the cycle closed)"
    )


class CategoryCountOut(Schema):
    category: str
    invited: int
    completed: int


class CycleDetailOut(CycleOut):
    by_category: list[CategoryCountOut]


class LeadersIn(StrictInput):
    """Say which leaders, explicitly: ``{"all": true}`` for every active leader, or a
    union of org units, levels and people. An empty choice is refused, never "everyone"."""

    all: bool = Field(
        default=False, description="true: every active leader (then give no other choice)"
    )
    org_unit_ids: list[Id] = Field(default_factory=list, max_length=1000)
    leader_levels: list[Literal["executive", "senior", "operational"]] = Field(
        default_factory=list, max_length=3
    )
    person_ids: list[Id] = Field(default_factory=list, max_length=20000)

    @model_validator(mode="after")
    def _explicit(self) -> Self:
        chosen = bool(self.org_unit_ids or self.leader_levels or self.person_ids)
        if self.all and chosen:
            raise ValueError("give either all: true or a choice of leaders, not both")
        if not self.all and not chosen:
            raise ValueError(
                "say which leaders: all: true, or org_unit_ids, leader_levels or person_ids"
            )
        return self


class CycleIn(StrictInput):
    name: str = Field(min_length=1, max_length=200)
    opens_at: UtcDateTime
    closes_at: UtcDateTime
    time_zone: str = Field(default="UTC", max_length=64)
    rater_mode: Literal["assigned", "nominated"] = "assigned"
    leaders: LeadersIn = Field(
        description='Which leaders: {"all": true}, or a union of org units, levels and people'
    )
    send_email: bool = True
    suggested_raters: bool = Field(
        default=False,
        description="invite each leader's suggested raters (manager, peers, direct reports) "
        "at launch: raters are fixed when the cycle opens",
    )


class LeaderProgressOut(Schema):
    person_id: int
    name: str
    self_completed: bool
    by_category: list[CategoryCountOut]
    nominations_to_approve: int


class RaterIn(StrictInput):
    person_id: Id
    category: RaterCategory


class RatersIn(StrictInput):
    raters: list[RaterIn] = Field(min_length=1, max_length=100)


class RaterOut(Schema):
    id: int
    leader_id: int
    person_id: int
    name: str
    category: str
    status: str


class SuggestionOut(Schema):
    person_id: int
    name: str
    title: str
    category: str


class NominationDecisionIn(StrictInput):
    rater_ids: list[Id] = Field(min_length=1, max_length=500)
    decision: Literal["approve", "reject"]


class ReminderIn(StrictInput):
    """Whom to remind, explicitly: ``{"all": true}`` (everyone still due) or one leader's
    raters (``person_id``); either narrowed to one ``category`` if given."""

    all: bool = Field(default=False, description="true: everyone still due in the cycle")
    person_id: Id | None = Field(default=None, description="One leader: their raters only")
    category: Literal["self", "manager", "peer", "direct_report"] | None = None

    @model_validator(mode="after")
    def _explicit(self) -> Self:
        if self.all == (self.person_id is not None):
            raise ValueError("say whom to remind: all: true, or one leader's person_id")
        return self


class ReminderOut(Schema):
    pending: int


# A leader's current band (``selectors.CurrentBand``), served as it is.
BandOut = output_schema(selectors.CurrentBand, name="BandOut", module=__name__)


def _cycle_out(cycle: ReadinessCycle, counts: selectors.CycleCounts) -> CycleOut:
    return CycleOut(
        id=cycle.pk,
        name=cycle.name,
        status=str(cycle.status),
        rater_mode=cycle.rater_mode,
        opens_at=cycle.opens_at,
        closes_at=cycle.closes_at,
        time_zone=cycle.campaign.time_zone,
        instrument_version=cycle.campaign.version.number,
        leaders=counts.leaders,
        invited=counts.invited,
        completed=counts.completed,
        self_invited=counts.self_invited,
        self_completed=counts.self_completed,
        nominations_to_approve=counts.proposed,
        released_at=cycle.released_at,
    )


def _rater_out(r: Rater) -> RaterOut:
    return RaterOut(
        id=r.pk,
        leader_id=r.leader_id,
        person_id=r.person_id,
        name=r.person.name,
        category=r.category,
        status=r.status,
    )


def _leader_for_admin(
    request: HttpRequest, cycle_id: int, person_id: int
) -> tuple[Membership, ReadinessCycle, Person]:
    """An admin's way to a leader of a cycle (choosing raters): the member, the cycle and
    the leader; otherwise 403/404 (audited)."""
    membership = access.MANAGE_READINESS.check(request)
    cycle = access.get_readiness_cycle_for(request, membership, cycle_id)
    return membership, cycle, access.get_cycle_leader_for(request, membership, cycle, person_id)


def _raters_added(
    write: Callable[..., list[Rater]],
    cycle: ReadinessCycle,
    membership: Membership,
    leader: Person,
    payload: RatersIn,
) -> Status:
    """Assigning and nominating alike: the raters asked for, for the leader; 201 with them."""
    done = write(
        cycle=cycle,
        actor=membership.user,
        leader=leader,
        raters=[(r.person_id, r.category) for r in payload.raters],
    )
    return Status(201, [_rater_out(r) for r in done])


def _cycles_out(cycles: list[ReadinessCycle]) -> list[CycleOut]:
    counts = selectors.cycle_counts(cycles)
    return [_cycle_out(c, counts[c.pk]) for c in cycles]


@paged_list(
    router,
    "/cycles",
    response=list[CycleOut],
    summary="Readiness cycles, newest first",
    openapi_extra=cursor.NEXT_PAGE_HEADERS,
    check=access.FOLLOW_CYCLES.check,
    order=("-opens_at", "-id"),
    scope="readiness.cycles",
    items=_cycles_out,
)
def list_cycles(membership: Membership, query: CursorQuery) -> QuerySet[ReadinessCycle]:
    """One page of cycles, newest first; the next page's cursor is in ``X-Next-Cursor``."""
    return selectors.cycles_for(membership.organisation).select_related("campaign__version")


@router.post(
    "/cycles",
    response={201: CycleOut},
    summary="Launch a cycle: a self-assessment invitation per leader (by unit, level, list)",
)
def create_cycle(request: HttpRequest, payload: CycleIn) -> Status:
    membership = access.MANAGE_READINESS.check(request)
    cycle = services.launch_cycle(
        organisation=membership.organisation,
        actor=membership.user,
        name=payload.name,
        leaders=payload.leaders.model_dump(),
        opens_at=payload.opens_at,
        closes_at=payload.closes_at,
        time_zone=payload.time_zone,
        rater_mode=payload.rater_mode,
        send_email=payload.send_email,
        suggested_raters=payload.suggested_raters,
    )
    return Status(201, _cycle_out(cycle, selectors.cycle_counts([cycle])[cycle.pk]))


@router.get("/cycles/{cycle_id}", response=CycleDetailOut, summary="A cycle with progress counts")
def get_cycle(request: HttpRequest, cycle_id: PathId) -> CycleDetailOut:
    membership = access.FOLLOW_CYCLES.check(request)
    cycle = access.get_readiness_cycle_for(request, membership, cycle_id)
    counts = selectors.cycle_counts([cycle])[cycle.pk]
    base = _cycle_out(cycle, counts)
    return CycleDetailOut(
        **base.dict(),
        by_category=[
            CategoryCountOut(category=k, invited=v.invited, completed=v.completed)
            for k, v in selectors.category_totals(cycle).items()
        ],
    )


@router.get(
    "/cycles/{cycle_id}/leaders",
    response=list[LeaderProgressOut],
    summary="The cycle's leaders with completion by rater category (counts only)",
)
def list_cycle_leaders(
    request: HttpRequest,
    cycle_id: PathId,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
    limit: Annotated[int, Query(ge=1, le=5000)] = 500,
    q: Annotated[
        str, Query(max_length=200, description="part of the name, or the exact employee ID")
    ] = "",
) -> list[LeaderProgressOut]:
    membership = access.FOLLOW_CYCLES.check(request)
    cycle = access.get_readiness_cycle_for(request, membership, cycle_id)
    ids = selectors.cycle_leader_ids(cycle, query=q.strip(), offset=offset, limit=limit)
    progress = selectors.cycle_progress(cycle, person_ids=ids)
    return [
        LeaderProgressOut(
            person_id=row.person_id,
            name=row.name,
            self_completed=row.self_done,
            by_category=[
                CategoryCountOut(category=k, invited=v.invited, completed=v.completed)
                for k, v in (row.categories or {}).items()
            ],
            nominations_to_approve=row.proposed,
        )
        for row in progress.leaders
    ]


@router.get(
    "/cycles/{cycle_id}/leaders/{person_id}/raters",
    response=list[RaterOut],
    summary="A leader's raters and nominations (who is asked, never what they answered)",
)
def list_raters(request: HttpRequest, cycle_id: PathId, person_id: PathId) -> list[RaterOut]:
    _membership, cycle, leader = _leader_for_admin(request, cycle_id, person_id)
    return [_rater_out(r) for r in selectors.raters_for(cycle, leader.pk)]


@router.get(
    "/cycles/{cycle_id}/leaders/{person_id}/suggestions",
    response=list[SuggestionOut],
    summary="Raters suggested from the org data (manager, same-level peers, direct reports)",
)
def list_suggestions(
    request: HttpRequest, cycle_id: PathId, person_id: PathId
) -> list[SuggestionOut]:
    _membership, cycle, leader = _leader_for_admin(request, cycle_id, person_id)
    return [
        SuggestionOut(person_id=s.person_id, name=s.name, title=s.title, category=s.category)
        for s in services.suggest_raters(cycle=cycle, leader=leader)
    ]


@router.post(
    "/cycles/{cycle_id}/leaders/{person_id}/raters",
    response={201: list[RaterOut]},
    summary="Assign raters to a leader (admin): each gets an invitation at once",
)
def assign_raters(
    request: HttpRequest, cycle_id: PathId, person_id: PathId, payload: RatersIn
) -> Status:
    membership, cycle, leader = _leader_for_admin(request, cycle_id, person_id)
    return _raters_added(services.assign_raters, cycle, membership, leader, payload)


@router.post(
    "/cycles/{cycle_id}/nominations",
    response={201: list[RaterOut]},
    summary="Nominate raters for your own assessment (leaders, in a 'nominated' cycle)",
)
def nominate_raters(request: HttpRequest, cycle_id: PathId, payload: RatersIn) -> Status:
    membership = access.TAKE_PART.check(request)
    cycle = access.get_readiness_cycle_for(request, membership, cycle_id)
    access.NOMINATE_RATERS.require(request, membership, cycle)
    leader = membership.person
    assert leader is not None  # the rule asks for the member's person
    return _raters_added(services.nominate_raters, cycle, membership, leader, payload)


@router.post(
    "/cycles/{cycle_id}/nominations/decision",
    response=list[RaterOut],
    summary="Approve (and invite) or reject nominations (admin)",
)
def decide_nominations(
    request: HttpRequest, cycle_id: PathId, payload: NominationDecisionIn
) -> list[RaterOut]:
    membership = access.MANAGE_READINESS.check(request)
    cycle = access.get_readiness_cycle_for(request, membership, cycle_id)
    done = services.decide_nominations(
        cycle=cycle, actor=membership.user, rater_ids=payload.rater_ids, decision=payload.decision
    )
    return [_rater_out(r) for r in done]


@router.post(
    "/cycles/{cycle_id}/reminders",
    response=ReminderOut,
    summary="Remind everyone still due (or one leader's raters, or one category)",
)
def send_reminders(request: HttpRequest, cycle_id: PathId, payload: ReminderIn) -> ReminderOut:
    membership = access.MANAGE_READINESS.check(request)
    cycle = access.get_readiness_cycle_for(request, membership, cycle_id)
    leader = (
        access.get_cycle_leader_for(request, membership, cycle, payload.person_id)
        if payload.person_id is not None
        else None
    )
    pending = services.send_reminders(
        cycle=cycle,
        actor=membership.user,
        leader=leader,
        everyone=payload.all,
        category=payload.category,
    )
    return ReminderOut(pending=pending)


class BandsQuery(QueryInput):
    limit: int = Field(BANDS_PAGE, ge=1, le=MAX_BANDS_PAGE, description="Leaders per page")
    cursor: str = Field("", max_length=500, description="The `X-Next-Cursor` of the previous page")


@router.get(
    "/bands",
    response=list[BandOut],  # type: ignore[valid-type]  # built by output_schema
    summary="Current band per leader: all (admin, sponsor), own (leader), coachees (coach)",
    openapi_extra=cursor.NEXT_PAGE_HEADERS,
)
def list_bands(
    request: HttpRequest, response: HttpResponse, query: Query[BandsQuery]
) -> list[selectors.CurrentBand]:
    """One page of bands by person id; the next page's cursor is in the ``X-Next-Cursor``
    header (and a ``Link: rel="next"``), absent on the last page."""
    membership = access.VIEW_READINESS.check(request)
    rows = cursor.api_page(
        request,
        response,
        query,
        selectors.banded_leaders(
            membership.organisation, person_ids=selectors.band_person_ids(membership)
        ),
        order=("person_id",),
        scope="readiness.bands",
    )
    ids = [row["person_id"] for row in rows]
    bands = selectors.current_bands(membership.organisation, person_ids=ids)
    return [bands[pk] for pk in ids if pk in bands]


@router.get(
    "/bands/{person_id}",
    response=BandOut,
    summary="One leader's current band (404 when not allowed or not assessed)",
)
def get_band(request: HttpRequest, person_id: PathId) -> selectors.CurrentBand:
    membership = access.TAKE_PART.check(request)
    access.get_band_person_for(request, membership, person_id)
    band = selectors.current_bands(membership.organisation, person_ids=[person_id]).get(person_id)
    if band is None:
        raise Http404("No band yet.")
    return band


router.add_router("", reports_router)
