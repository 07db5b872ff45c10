"""Quarterly reviews over the JSON API: the twin of the pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from bellwether.accounts.models import Membership
from bellwether.core.api import answers, paged
from bellwether.core.api_routes import paged_list
from bellwether.core.report_schemas import output_schema
from bellwether.core.schema import CursorQuery, Date, PathId, StrictInput, UtcDateTime
from bellwether.reviews import access, selectors, services
from bellwether.reviews.models import COMPONENT_FIELDS, Review, ReviewCycle

router = Router(tags=["reviews"])


class ReviewCycleOut(Schema):
    id: int
    quarter: str
    starts_on: dt.date
    ends_on: dt.date
    due_on: dt.date
    reviews: int
    shared: int
    acknowledged: int


class ReviewCycleIn(StrictInput):
    quarter: str = Field(max_length=7, description='e.g. "2026-Q1"')
    due_on: Date | None = None


class EvidenceOut(Schema):
    signal: str
    component: str
    label: str
    share: float | None = Field(description="0..1; null when not available (neutral)")
    detail: str
    url: str


class ScoreEntryOut(Schema):
    component: str
    value: int
    kind: str
    reason: str
    actor: str
    at: UtcDateTime


class ReviewSummaryOut(Schema):
    id: int
    quarter: str
    person_id: int
    person: str
    reviewer: str
    status: str
    scores: dict[str, int]
    total: int


class ReviewOut(ReviewSummaryOut):
    evidence: list[EvidenceOut]
    development_priorities: list[str]
    next_quarter_goals: list[str]
    history: list[ScoreEntryOut]
    submitted_at: UtcDateTime | None
    acknowledged_at: UtcDateTime | None
    acknowledgement_note: str


# The calibration row's own fields (``selectors.CalibrationRow``), served as they are.
CalibrationOut = output_schema(selectors.CalibrationRow, name="CalibrationOut", module=__name__)


class AdjustIn(StrictInput):
    component: str = Field(max_length=60, description="A review component key")
    # The largest component weight is 40: anything beyond is refused before the service.
    value: int = Field(ge=0, le=100, description="The new score, within the component's range")
    reason: str = Field(max_length=1000)


class ReviewPlanIn(StrictInput):
    development_priorities: list[str] = Field(max_length=3)
    next_quarter_goals: list[str] = Field(max_length=3)


class AcknowledgeIn(StrictInput):
    note: str = Field("", max_length=2000)


class RemindersOut(Schema):
    sent: int


def _cycle_out(cycle: ReviewCycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "quarter": cycle.quarter,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "due_on": cycle.due_on,
        "reviews": getattr(cycle, "n_reviews", 0),
        "shared": getattr(cycle, "n_submitted", 0),
        "acknowledged": getattr(cycle, "n_acknowledged", 0),
    }


def _summary(review: Review) -> dict[str, Any]:
    return {
        "id": review.pk,
        "quarter": review.cycle.quarter,
        "person_id": review.person_id,
        "person": review.person.name,
        "reviewer": selectors.reviewer_label(review),
        "status": review.status,
        "scores": {key: getattr(review, field) for key, field in COMPONENT_FIELDS.items()},
        "total": review.total,
    }


def _review_out(review: Review) -> dict[str, Any]:
    return {
        **_summary(review),
        "evidence": review.evidence,
        "development_priorities": review.development_priorities,
        "next_quarter_goals": review.next_quarter_goals,
        "history": [
            {
                "component": e.component,
                "value": e.value,
                "kind": e.kind,
                "reason": e.reason,
                "actor": e.actor_label,
                "at": e.created_at,
            }
            for e in selectors.score_history(review)
        ],
        "submitted_at": review.submitted_at,
        "acknowledged_at": review.acknowledged_at,
        "acknowledgement_note": review.acknowledgement_note,
    }


def _cycle(request: HttpRequest, cycle_id: int) -> ReviewCycle:
    membership = access.VIEW_CYCLES.check(request)
    found = access.get_cycle_for(request, membership, cycle_id)
    annotated = selectors.cycles_for(membership.organisation).get(pk=found.pk)
    return annotated


@router.get(
    "/cycles",
    **answers(list[ReviewCycleOut], "reviews_cycles", "List Cycles"),
)
def list_cycles(request: HttpRequest) -> list[dict[str, Any]]:
    membership = access.VIEW_CYCLES.check(request)
    return [_cycle_out(c) for c in selectors.cycles_for(membership.organisation)]


@router.post(
    "/cycles",
    **answers(ReviewCycleOut, "reviews_open_cycle", "Open Cycle", status=201),
)
def open_cycle(request: HttpRequest, payload: ReviewCycleIn) -> Status[dict[str, Any]]:
    membership = access.MANAGE_CYCLES.check(request)
    cycle = services.open_cycle(
        organisation=membership.organisation,
        quarter=payload.quarter,
        due_on=payload.due_on,
        actor=membership.user,
    )
    return Status(201, _cycle_out(selectors.cycles_for(membership.organisation).get(pk=cycle.pk)))


@router.get(
    "/cycles/{cycle_id}",
    **answers(ReviewCycleOut, "reviews_cycle", "Get Cycle"),
)
def get_cycle(request: HttpRequest, cycle_id: PathId) -> dict[str, Any]:
    return _cycle_out(_cycle(request, cycle_id))


@router.get(
    "/cycles/{cycle_id}/calibration",
    **answers(list[CalibrationOut], "reviews_calibration", "Calibration"),  # type: ignore[valid-type]
)
def calibration(request: HttpRequest, cycle_id: PathId) -> list[selectors.CalibrationRow]:
    return selectors.calibration(_cycle(request, cycle_id))


@router.post(
    "/cycles/{cycle_id}/reminders",
    **answers(RemindersOut, "reviews_remind", "Remind"),
)
def remind(request: HttpRequest, cycle_id: PathId) -> dict[str, int]:
    membership = access.MANAGE_CYCLES.check(request)
    cycle = access.get_cycle_for(request, membership, cycle_id)
    return {"sent": services.send_reminders(cycle=cycle)}


@paged_list(
    router,
    "",
    **paged(
        ReviewSummaryOut,
        "reviews_list",
        "List Reviews",
    ),
    check=access.VIEW_REVIEWS.check,
    order=("-cycle__starts_on", "person__name", "id"),
    scope="reviews.list",
    item=_summary,
)
def list_reviews(membership: Membership, query: CursorQuery, status: str = "") -> QuerySet[Review]:
    return selectors.reviews_for(membership, status=status)


@router.get(
    "/{review_id}",
    **answers(ReviewOut, "reviews_get", "Get Review"),
)
def get_review(request: HttpRequest, review_id: PathId) -> dict[str, Any]:
    membership = access.VIEW_REVIEWS.check(request)
    return _review_out(access.get_review_for(request, membership, review_id))


def _edited(
    request: HttpRequest, review_id: int, action: Callable[[Review, Membership], object]
) -> dict[str, Any]:
    """Run a service on a review the member may edit; answer the review as it is now."""
    membership = access.VIEW_REVIEWS.check(request)
    action(access.get_review_for(request, membership, review_id, edit=True), membership)
    return _review_out(access.get_review_for(request, membership, review_id))


@router.post(
    "/{review_id}/scores",
    **answers(ReviewOut, "reviews_adjust", "Adjust"),
)
def adjust(request: HttpRequest, review_id: PathId, payload: AdjustIn) -> dict[str, Any]:
    return _edited(
        request,
        review_id,
        lambda review, membership: services.adjust_score(
            review=review,
            component=payload.component,
            value=payload.value,
            reason=payload.reason,
            actor=membership.user,
        ),
    )


@router.put(
    "/{review_id}/plan",
    **answers(ReviewOut, "reviews_plan", "Plan"),
)
def plan(request: HttpRequest, review_id: PathId, payload: ReviewPlanIn) -> dict[str, Any]:
    return _edited(
        request,
        review_id,
        lambda review, membership: services.set_plan(
            review=review,
            priorities=payload.development_priorities,
            goals=payload.next_quarter_goals,
            actor=membership.user,
        ),
    )


@router.post(
    "/{review_id}/submit",
    **answers(ReviewOut, "reviews_submit", "Submit"),
)
def submit(request: HttpRequest, review_id: PathId) -> dict[str, Any]:
    return _edited(
        request,
        review_id,
        lambda review, membership: services.submit_review(review=review, actor=membership.user),
    )


@router.post(
    "/{review_id}/acknowledge",
    **answers(ReviewOut, "reviews_acknowledge", "Acknowledge"),
)
def acknowledge(request: HttpRequest, review_id: PathId, payload: AcknowledgeIn) -> dict[str, Any]:
    membership = access.VIEW_REVIEWS.check(request)
    review = access.get_review_for(request, membership, review_id)
    access.ACKNOWLEDGE_REVIEW.require(request, membership, review)
    return _review_out(
        services.acknowledge_review(review=review, actor=membership.user, note=payload.note)
    )
