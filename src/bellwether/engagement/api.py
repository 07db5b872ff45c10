"""Barrier checklists and engagement plans over the JSON API. Each endpoint parses, asks
``access``, then calls a service or selector."""

from __future__ import annotations

import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from bellwether.accounts.models import Membership
from bellwether.core.api import answers
from bellwether.core.schema import (
    Date,
    PathId,
    QueryInput,
    StrictInput,
    UtcDateTime,
)
from bellwether.engagement import access, selectors, services
from bellwether.engagement.models import EngagementPlan
from bellwether.people.models import LeaderLevel, Person

router = Router(tags=["engagement"])

MAX_ACTIONS = 50


# --- schemas ---------------------------------------------------------------------------------


Weight = Literal["primary", "secondary", ""]
# A catalogue key or an action id.
Key = Annotated[str, Field(max_length=80)]


class ChecklistLineOut(Schema):
    key: str
    text: str
    kind: str = Field(description='"barrier" or "concern" (of the leader\'s level)')
    weight: str = Field(description='"primary", "secondary" or "" (not marked)')


class BarrierChangeOut(Schema):
    key: str
    before: str
    after: str
    changed_by: str
    changed_at: UtcDateTime


class BarriersOut(Schema):
    person_id: int
    lines: list[ChecklistLineOut]
    history: list[BarrierChangeOut]


class BarriersIn(StrictInput):
    marks: dict[Key, Weight] = Field(
        description="The whole checklist: key -> primary/secondary; keys left out are unmarked",
        max_length=40,
    )


class FrequencyRowOut(Schema):
    key: str
    name: str
    kind: str
    counts: dict[str, int] = Field(description="leader level -> leaders who marked it")
    primary: int
    total: int


class FrequencyOut(Schema):
    leaders: dict[str, int] = Field(description="active leaders per level")
    rows: list[FrequencyRowOut]


class PlanSummaryOut(Schema):
    person_id: int
    name: str
    level: str
    band: str | None = Field(description='Current band key; null when "not assessed"')
    status: str | None = Field(description="draft / active / under_review; null when no plan")
    target_band: str | None
    next_review_due: datetime.date | None
    overdue: bool


class PlanListOut(Schema):
    count: int
    items: list[PlanSummaryOut]


class RevisionOut(Schema):
    number: int
    action: str
    summary: str
    actor: str
    at: UtcDateTime
    diff: dict[str, Any]


class PlanOut(Schema):
    person_id: int
    status: str
    revision: int
    generated_at: UtcDateTime
    start_date: datetime.date
    next_review_due: datetime.date | None
    next_review_key: str
    overdue: bool
    content: dict[str, Any] = Field(description="The Template 1 plan; see the README")
    history: list[RevisionOut]


class GenerateIn(StrictInput):
    start_date: Date | None = None
    resource_constraints: str | None = Field(None, max_length=2000)


class NewActionIn(StrictInput):
    period: str = Field(
        max_length=80, description="An action period key, e.g. action_period.weeks_1_2"
    )
    text: str = Field(max_length=2000)


class PlanPatchIn(StrictInput):
    role: str | None = Field(None, max_length=2000)
    target_band: str | None = Field(None, max_length=40)
    timeline_text: str | None = Field(None, max_length=2000)
    resource_constraints: str | None = Field(None, max_length=2000)
    strategies: list[Key] | None = Field(None, max_length=6)
    add_actions: list[NewActionIn] = Field(default_factory=list, max_length=MAX_ACTIONS)
    remove_actions: list[Key] = Field(default_factory=list, max_length=MAX_ACTIONS)
    complete_actions: list[Key] = Field(default_factory=list, max_length=MAX_ACTIONS)
    reopen_actions: list[Key] = Field(default_factory=list, max_length=MAX_ACTIONS)
    reinstate_actions: list[Key] = Field(
        default_factory=list,
        max_length=MAX_ACTIONS,
        description="Removed actions (content.removed_actions) to put back on the plan",
    )


class StatusIn(StrictInput):
    status: Literal["draft", "active", "under_review"]


class ReviewIn(StrictInput):
    cadence_key: str = Field(max_length=80)
    due_date: Date
    note: str = Field("", max_length=2000)


class ListFilters(QueryInput):
    """The filters of the plans page."""

    status: Literal["draft", "active", "under_review", "none"] | None = Field(
        None, description='A plan status, or "none" for leaders without a plan'
    )
    level: LeaderLevel | None = Field(None, description="A leader level")
    q: str = Field("", max_length=200, description="Words to find in the leader's name")
    overdue: bool | None = Field(None, description="Only plans with a review past due")
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=1_000_000)


# --- helpers ---------------------------------------------------------------------------------


def _person(
    request: HttpRequest, person_id: int, edit: Literal["", "plan", "barriers"] = ""
) -> tuple[Membership, Person]:
    membership = access.VIEW_PLANS.check(request)
    person = access.get_engagement_person_for(request, membership, person_id, edit=edit)
    return membership, person


def _plan(person: Person) -> EngagementPlan:
    plan = selectors.plan_of(person)
    if plan is None:
        raise HttpError(404, "This leader has no plan yet.")
    return plan


def _barriers_out(person: Person) -> dict[str, Any]:
    return {
        "person_id": person.pk,
        "lines": [
            {"key": line.key, "text": line.text, "kind": line.kind, "weight": line.weight}
            for line in selectors.checklist(person)
        ],
        "history": [
            {
                "key": c.key,
                "before": c.before,
                "after": c.after,
                "changed_by": c.changed_by_label,
                "changed_at": c.created_at,
            }
            for c in selectors.barrier_history(person)
        ],
    }


def _plan_out(membership: Membership, plan: EngagementPlan) -> dict[str, Any]:
    return {
        "person_id": plan.person_id,
        "status": plan.status,
        "revision": plan.revision,
        "generated_at": plan.generated_at,
        "start_date": plan.start_date,
        "next_review_due": plan.next_review_due,
        "next_review_key": plan.next_review_key,
        "overdue": selectors.is_overdue(plan),
        "content": selectors.plan_content_for(membership, plan),
        "history": [
            {
                "number": r.number,
                "action": r.action,
                "summary": r.summary,
                "actor": r.actor_label,
                "at": r.created_at,
                "diff": r.diff,
            }
            for r in selectors.revisions(plan)[:50]
        ],
    }


# --- barriers --------------------------------------------------------------------------------


@router.get(
    "/barriers/frequency",
    **answers(FrequencyOut, "engagement_barrier_frequency", "Barrier frequency by leader level"),
)
def barrier_frequency(request: HttpRequest) -> dict[str, Any]:
    membership = access.VIEW_BARRIER_FREQUENCY.check(request)
    data = selectors.barrier_frequency(membership.organisation)
    return {
        "leaders": data["leaders"],
        "rows": [
            {
                "key": r.key,
                "name": r.name,
                "kind": r.kind,
                "counts": r.counts,
                "primary": r.primary,
                "total": r.total,
            }
            for r in data["rows"]
        ],
    }


@router.get(
    "/barriers/{person_id}",
    **answers(
        BarriersOut, "engagement_get_barriers", "A leader's barrier checklist and its history"
    ),
)
def get_barriers(request: HttpRequest, person_id: PathId) -> dict[str, Any]:
    _, person = _person(request, person_id)
    return _barriers_out(person)


@router.put(
    "/barriers/{person_id}",
    **answers(BarriersOut, "engagement_put_barriers", "Replace a leader's barrier checklist"),
)
def put_barriers(request: HttpRequest, person_id: PathId, payload: BarriersIn) -> dict[str, Any]:
    membership, person = _person(request, person_id, edit="barriers")
    services.set_barriers(person=person, actor=membership.user, marks=payload.marks)
    return _barriers_out(person)


# --- plans -----------------------------------------------------------------------------------


@router.get(
    "/plans",
    **answers(
        PlanListOut,
        "engagement_list_plans",
        "Leaders and their plans (status, band, next review, overdue)",
    ),
)
def list_plans(request: HttpRequest, filters: Query[ListFilters]) -> dict[str, Any]:
    membership = access.VIEW_PLANS.check(request)
    today = timezone.localdate()
    people = selectors.plans_for(
        membership,
        status=filters.status or "",
        level=filters.level or "",
        query=filters.q,
        overdue=bool(filters.overdue),
        today=today,
    )
    chosen = people[filters.offset : filters.offset + filters.limit]
    return {
        "count": people.count(),
        "items": [
            {
                "person_id": row.person.pk,
                "name": row.person.name,
                "level": row.person.leader_level,
                "band": row.band.band_key if row.band else None,
                "status": row.plan.status if row.plan else None,
                "target_band": (row.plan.target_band_key or None) if row.plan else None,
                "next_review_due": row.plan.next_review_due if row.plan else None,
                "overdue": row.overdue,
            }
            for row in selectors.plan_rows(membership.organisation, chosen, today)
        ],
    }


@router.post(
    "/plans/{person_id}/generate",
    **answers(
        PlanOut, "engagement_generate_plan", "Generate or regenerate a leader's plan (history kept)"
    ),
)
def generate_plan(
    request: HttpRequest, person_id: PathId, payload: GenerateIn | None = None
) -> dict[str, Any]:
    membership, person = _person(request, person_id, edit="plan")
    plan = services.generate_plan(
        person=person,
        actor=membership.user,
        start=payload.start_date if payload else None,
        resource_constraints=payload.resource_constraints if payload else None,
    )
    return _plan_out(membership, plan)


@router.get(
    "/plans/{person_id}",
    **answers(PlanOut, "engagement_get_plan", "A leader's plan with its history"),
)
def get_plan(request: HttpRequest, person_id: PathId) -> dict[str, Any]:
    membership, person = _person(request, person_id)
    return _plan_out(membership, _plan(person))


@router.patch(
    "/plans/{person_id}",
    **answers(
        PlanOut,
        "engagement_patch_plan",
        "Edit a plan: fields, strategy mix, actions (add, remove, complete, reopen, reinstate)",
    ),
)
def patch_plan(request: HttpRequest, person_id: PathId, payload: PlanPatchIn) -> dict[str, Any]:
    membership, person = _person(request, person_id, edit="plan")
    plan = _plan(person)
    fields = {
        name: value
        for name in services.EDITABLE_FIELDS
        if (value := getattr(payload, name)) is not None
    }
    plan = services.edit_plan(
        plan=plan,
        actor=membership.user,
        fields=fields,
        strategies=payload.strategies,
        add_actions=[(a.period, a.text) for a in payload.add_actions],
        remove_actions=payload.remove_actions,
        complete_actions=payload.complete_actions,
        reopen_actions=payload.reopen_actions,
        reinstate_actions=payload.reinstate_actions,
    )
    return _plan_out(membership, plan)


@router.post(
    "/plans/{person_id}/status",
    **answers(
        PlanOut, "engagement_plan_status", "Set a plan's status (draft, active, under review)"
    ),
)
def plan_status(request: HttpRequest, person_id: PathId, payload: StatusIn) -> dict[str, Any]:
    membership, person = _person(request, person_id, edit="plan")
    plan = services.set_status(plan=_plan(person), actor=membership.user, status=payload.status)
    return _plan_out(membership, plan)


@router.post(
    "/plans/{person_id}/reviews",
    **answers(PlanOut, "engagement_record_review", "Record a scheduled review as done"),
)
def record_review(request: HttpRequest, person_id: PathId, payload: ReviewIn) -> dict[str, Any]:
    membership, person = _person(request, person_id, edit="plan")
    plan = _plan(person)
    services.record_review(
        plan=plan,
        actor=membership.user,
        cadence_key=payload.cadence_key,
        due_date=payload.due_date,
        note=payload.note,
    )
    plan.refresh_from_db()
    return _plan_out(membership, plan)
