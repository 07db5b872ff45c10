"""Learning plans and visioning workshops over the JSON API: the twins of the pages.
Each endpoint parses, asks ``access``, then calls a service or selector."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Annotated, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from bellwether.accounts.models import Membership
from bellwether.core import cursor as pages
from bellwether.core.api import answers
from bellwether.core.schema import ERRORS, Date, PathId, StrictInput
from bellwether.development import access, selectors, services
from bellwether.development.api_workshops import router as workshops_router
from bellwether.development.models import LearningPlan

PLANS_PAGE = 1000

router = Router(tags=["development"])
router.add_router("", workshops_router)


class LearningPlanRowOut(Schema):
    id: int
    person_id: int
    person: str
    status: str
    tiers: list[str]
    start_date: datetime.date
    item_count: int
    done_count: int
    planned_hours: float
    done_hours: float


class LearningItemOut(Schema):
    id: int
    key: str
    title: str
    source: str
    tier: str
    month: int | None
    planned_hours: float
    due: datetime.date | None
    completed_on: datetime.date | None
    hours_spent: float | None
    evidence_link: str
    removed: bool


class LearningMilestoneOut(Schema):
    key: str
    due: datetime.date
    reviewed_on: datetime.date | None
    rating: str
    notes: str


class LearningPlanOut(Schema):
    id: int
    person_id: int
    status: str
    tiers: list[str]
    tier_rule: str
    start_date: datetime.date
    coach: str
    mentor: str
    peer_group: str
    practice: list[str]
    planned_hours: float
    done_hours: float
    behind: bool
    items: list[LearningItemOut]
    milestones: list[LearningMilestoneOut]


class LearningItemCompleteIn(StrictInput):
    completed_on: Date
    hours_spent: Annotated[float, Field(ge=0, le=10_000)] | None = None
    evidence_link: Annotated[str, Field(max_length=500)] = ""
    note: Annotated[str, Field(max_length=2000)] = ""


class LearningPlanGenerateIn(StrictInput):
    start: Date | None = None


class CohortGroupOut(Schema):
    label: str
    plans: int
    completed: int
    percent: int
    planned_hours: float
    done_hours: float
    behind: int


class LearningCohortOut(Schema):
    total: CohortGroupOut
    by_tier: list[CohortGroupOut]
    by_unit: list[CohortGroupOut]
    by_level: list[CohortGroupOut]
    behind_person_ids: list[int]


def _row(plan: LearningPlan) -> LearningPlanRowOut:
    return LearningPlanRowOut(
        id=plan.pk,
        person_id=plan.person_id,
        person=plan.person.name,
        status=plan.status,
        tiers=plan.tiers,
        start_date=plan.start_date,
        item_count=plan.item_count,  # type: ignore[attr-defined]
        done_count=plan.done_count,  # type: ignore[attr-defined]
        planned_hours=plan.planned_total,  # type: ignore[attr-defined]
        done_hours=plan.done_hours,  # type: ignore[attr-defined]
    )


def _plan(plan: LearningPlan) -> LearningPlanOut:
    view = selectors.plan_view(plan, timezone.localdate())
    items = [i for m in view.months for i in m.items] + view.other + view.removed
    return LearningPlanOut(
        id=plan.pk,
        person_id=plan.person_id,
        status=plan.status,
        tiers=plan.tiers,
        tier_rule=plan.tier_rule,
        start_date=plan.start_date,
        coach=plan.coach.user.email if plan.coach else "",
        mentor=plan.mentor,
        peer_group=plan.peer_group,
        practice=list(plan.practice),
        planned_hours=view.planned,
        done_hours=view.done,
        behind=view.behind,
        items=[
            LearningItemOut(
                id=i.pk,
                key=i.key,
                title=i.title,
                source=i.source,
                tier=i.tier_key,
                month=i.month,
                planned_hours=i.planned_hours,
                due=i.due,
                completed_on=i.completed_on,
                hours_spent=i.hours_spent,
                evidence_link=i.evidence_link,
                removed=i.removed_at is not None,
            )
            for i in items
        ],
        milestones=[
            LearningMilestoneOut(
                key=m.key, due=m.due, reviewed_on=m.reviewed_on, rating=m.rating, notes=m.notes
            )
            for m in view.milestones
        ],
    )


def _changed(
    request: HttpRequest,
    plan_id: int,
    edit: Literal["plan", "progress"],
    change: Callable[[LearningPlan, Membership], object],
) -> LearningPlanOut:
    """Run a service on a plan the member may change (``edit``: its "plan" or its
    "progress"); answer the plan as it now stands."""
    membership = access.OPEN_PLAN.check(request)
    change(access.get_plan_for(request, membership, plan_id, edit=edit), membership)
    return _plan(access.get_plan_for(request, membership, plan_id))


def _item_changed(
    request: HttpRequest, plan_id: int, item_id: int, action: Callable[..., object]
) -> LearningPlanOut:
    """Take one of a plan's items off it or put it back: ``action`` is
    ``services.remove_item`` or ``services.restore_item``, which act alike on the item by
    id as the member's user; answer the plan as it now stands."""
    return _changed(
        request,
        plan_id,
        "plan",
        lambda plan, membership: action(plan=plan, item_id=item_id, actor=membership.user),
    )


@router.get(
    "/plans",
    response={200: list[LearningPlanRowOut], **ERRORS},
    openapi_extra=pages.NEXT_PAGE_HEADERS,
)
def list_plans(
    request: HttpRequest,
    response: HttpResponse,
    status: str = "",
    limit: Annotated[int, Query(ge=1, le=PLANS_PAGE)] = 100,
    cursor: Annotated[str, Query(max_length=500)] = "",
) -> list[LearningPlanRowOut]:
    """Plans by leader name, at most ``limit`` a page; the next page's cursor is in the
    ``X-Next-Cursor`` header (and a ``Link: rel="next"``)."""
    membership = access.VIEW_PLANS.check(request)
    rows = pages.api_page(
        request,
        response,
        pages.Paging(limit, cursor),
        selectors.plans_for(membership, selectors.PlanFilters(status=status), progress=False),
        order=selectors.PLANS_ORDER,
        scope="development.plans",
    )
    return [_row(p) for p in selectors.with_page_progress(rows)]


@router.get("/plans/{plan_id}", response={200: LearningPlanOut, **ERRORS})
def get_plan(request: HttpRequest, plan_id: PathId) -> LearningPlanOut:
    membership = access.OPEN_PLAN.check(request)
    return _plan(access.get_plan_for(request, membership, plan_id))


@router.post("/leaders/{person_id}/generate", response={200: LearningPlanOut, **ERRORS})
def generate(
    request: HttpRequest, person_id: PathId, payload: LearningPlanGenerateIn
) -> LearningPlanOut:
    membership = access.VIEW_PLANS.check(request)
    person = access.get_person_for(request, membership, person_id, edit="plan")
    made = services.generate_plan(
        person=person, actor=membership.user, start=payload.start or timezone.localdate()
    )
    return _plan(access.get_plan_for(request, membership, made.pk))


@router.post("/plans/{plan_id}/agree", response={200: LearningPlanOut, **ERRORS})
def agree(request: HttpRequest, plan_id: PathId) -> LearningPlanOut:
    return _changed(
        request,
        plan_id,
        "progress",
        lambda plan, membership: services.agree_plan(plan=plan, membership=membership),
    )


@router.post("/plans/{plan_id}/items/{item_id}/complete", response={200: LearningPlanOut, **ERRORS})
def complete(
    request: HttpRequest, plan_id: PathId, item_id: PathId, payload: LearningItemCompleteIn
) -> LearningPlanOut:
    return _changed(
        request,
        plan_id,
        "progress",
        lambda plan, membership: services.complete_item(
            plan=plan,
            item_id=item_id,
            actor=membership.user,
            completed_on=payload.completed_on,
            hours_spent=payload.hours_spent,
            evidence_link=payload.evidence_link,
            note=payload.note,
        ),
    )


def _group(g: selectors.Group) -> CohortGroupOut:
    return CohortGroupOut(
        label=g.label,
        plans=g.plans,
        completed=g.completed,
        percent=g.percent,
        planned_hours=g.planned,
        done_hours=g.done,
        behind=g.behind,
    )


@router.get("/cohort", response={200: LearningCohortOut, **ERRORS})
def cohort(request: HttpRequest) -> LearningCohortOut:
    membership = access.VIEW_COHORT.check(request)
    data = selectors.cohort(membership.organisation, timezone.localdate())
    return LearningCohortOut(
        total=_group(data.total),
        by_tier=[_group(g) for g in data.by_tier],
        by_unit=[_group(g) for g in data.by_unit],
        by_level=[_group(g) for g in data.by_level],
        behind_person_ids=[p.person_id for p in data.behind],
    )


# --- recording a plan's changes (coach, admin) ------------------------------------------------


class LearningItemSwapIn(StrictInput):
    module_key: Annotated[str, Field(min_length=1, max_length=80)]


class MilestoneReviewIn(StrictInput):
    key: Annotated[str, Field(min_length=1, max_length=80)]
    rating: Annotated[str, Field(min_length=1, max_length=80)]
    notes: Annotated[str, Field(max_length=2000)] = ""
    reviewed_on: Date | None = None


@router.post(
    "/plans/{plan_id}/items/{item_id}/swap",
    **answers(LearningPlanOut, "swap_learning_item", "Swap a module for an equivalent one"),
)
def swap(
    request: HttpRequest, plan_id: PathId, item_id: PathId, payload: LearningItemSwapIn
) -> LearningPlanOut:
    return _changed(
        request,
        plan_id,
        "plan",
        lambda plan, membership: services.swap_item(
            plan=plan, item_id=item_id, module_key=payload.module_key, actor=membership.user
        ),
    )


@router.post(
    "/plans/{plan_id}/items/{item_id}/remove",
    **answers(
        LearningPlanOut,
        "remove_learning_item",
        "Take an item off the plan (kept, with what was recorded on it; restore undoes it)",
    ),
)
def remove(request: HttpRequest, plan_id: PathId, item_id: PathId) -> LearningPlanOut:
    return _item_changed(request, plan_id, item_id, services.remove_item)


@router.post(
    "/plans/{plan_id}/items/{item_id}/restore",
    **answers(LearningPlanOut, "restore_learning_item", "Put back an item taken off the plan"),
)
def restore(request: HttpRequest, plan_id: PathId, item_id: PathId) -> LearningPlanOut:
    return _item_changed(request, plan_id, item_id, services.restore_item)


@router.post(
    "/plans/{plan_id}/milestones",
    **answers(LearningPlanOut, "record_milestone_review", "Record a 30/60/90-day review"),
)
def review(request: HttpRequest, plan_id: PathId, payload: MilestoneReviewIn) -> LearningPlanOut:
    """The rating is a key of the framework's milestone ratings; the date defaults to
    today and falls between the plan's start and today."""
    return _changed(
        request,
        plan_id,
        "plan",
        lambda plan, membership: services.record_milestone(
            plan=plan,
            key=payload.key,
            actor=membership.user,
            rating=payload.rating,
            notes=payload.notes,
            reviewed_on=payload.reviewed_on or timezone.localdate(),
        ),
    )
