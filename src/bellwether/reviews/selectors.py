"""Reads of quarterly reviews: cycles with their completion, the reviews a member may see,
a review's score history, the calibration view and the KPI figure."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Max, Min, Q, QuerySet
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation
from bellwether.people.models import LeaderLevel
from bellwether.reviews.models import Review, ReviewCycle, ReviewStatus, ScoreEntry


def cycles() -> QuerySet[ReviewCycle]:
    return ReviewCycle.objects.all()


def cycles_for(organisation: Organisation) -> QuerySet[ReviewCycle]:
    """The organisation's cycles, newest first, each with its completion counts."""
    return ReviewCycle.objects.filter(organisation=organisation).annotate(
        n_reviews=Count("reviews"),
        n_submitted=Count("reviews", filter=~Q(reviews__status=ReviewStatus.DRAFT)),
        n_acknowledged=Count("reviews", filter=Q(reviews__status=ReviewStatus.ACKNOWLEDGED)),
    )


def cycle_in(organisation: Organisation, quarter: str) -> ReviewCycle | None:
    return ReviewCycle.objects.filter(organisation=organisation, quarter=quarter).first()


def reviews() -> QuerySet[Review]:
    return Review.objects.select_related(
        "cycle", "person", "person__org_unit", "reviewer_person", "reviewer_member__user"
    )


def reviews_for(
    membership: Membership, *, cycle: ReviewCycle | None = None, status: str = ""
) -> QuerySet[Review]:
    """The reviews the member may open (``access.VIEW_REVIEW`` as a query)."""
    from bellwether.reviews.access import visible_reviews

    rows = visible_reviews(membership, reviews())
    if cycle is not None:
        rows = rows.filter(cycle=cycle)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("-cycle__starts_on", "person__name", "id")


def reviewer_label(review: Review) -> str:
    if review.reviewer_member is not None:
        user = review.reviewer_member.user
        return user.display_name or user.email
    if review.reviewer_person is not None:
        return review.reviewer_person.name
    return "No reviewer (admins)"


def score_history(review: Review) -> list[ScoreEntry]:
    return list(ScoreEntry.objects.filter(review=review).order_by("created_at", "id"))


@dataclass(frozen=True)
class CalibrationRow:
    unit: str
    level: str
    count: int
    submitted: int
    personal: float
    team: float
    organisational: float
    total: float
    lowest: int
    highest: int


def calibration(cycle: ReviewCycle) -> list[CalibrationRow]:
    """All scores of the cycle by org unit and leader level, aggregated in one query."""
    return calibration_rows(_calibration(cycle))


def calibration_page(cycle: ReviewCycle, number: str | None) -> Page[Any]:
    """One page of ``calibration`` (``CALIBRATION_PER_PAGE`` groups, in SQL): two queries,
    the count of groups and the page's."""
    page: Page[Any] = Paginator(_calibration(cycle), CALIBRATION_PER_PAGE).get_page(number)
    page.object_list = calibration_rows(page.object_list)
    return page


CALIBRATION_PER_PAGE = 50
REVIEWS_PER_PAGE = 50


def _calibration(cycle: ReviewCycle) -> Any:
    return (
        Review.objects.filter(cycle=cycle)
        .values("person__org_unit__name", "person__leader_level")
        .annotate(
            count=Count("id"),
            submitted=Count("id", filter=~Q(status=ReviewStatus.DRAFT)),
            mean_personal=Avg("personal"),
            mean_team=Avg("team"),
            mean_organisational=Avg("organisational"),
            mean_total=Avg("total"),
            lowest=Min("total"),
            highest=Max("total"),
        )
        .order_by("person__org_unit__name", "person__leader_level")
    )


def calibration_rows(rows: Iterable[dict[str, Any]]) -> list[CalibrationRow]:
    levels = dict(LeaderLevel.choices)
    return [
        CalibrationRow(
            r["person__org_unit__name"] or "No unit",
            levels.get(r["person__leader_level"], "No level"),
            r["count"],
            r["submitted"],
            round(float(r["mean_personal"] or 0), 1),
            round(float(r["mean_team"] or 0), 1),
            round(float(r["mean_organisational"] or 0), 1),
            round(float(r["mean_total"] or 0), 1),
            r["lowest"] or 0,
            r["highest"] or 0,
        )
        for r in rows
    ]


def status_counts(rows: QuerySet[Review]) -> dict[str, int]:
    """How many of ``rows`` are in each status: one aggregate query."""
    found = dict(
        rows.order_by().values("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return {status: found.get(status, 0) for status in ReviewStatus.values}


def due_for_reminder(cycle: ReviewCycle) -> QuerySet[Review]:
    return reviews().filter(cycle=cycle, status=ReviewStatus.DRAFT)


# --- for other modules -------------------------------------------------------------------------


def review_scores_for(*, organisation: Organisation, quarter: str) -> dict[int, int]:
    """Person id → total review score (0–100) of the quarter ("2026-Q1"), for every
    review shared with the leader (submitted or acknowledged). For the KPI dashboard."""
    return dict(
        Review.objects.filter(organisation=organisation, cycle__quarter=quarter)
        .exclude(status=ReviewStatus.DRAFT)
        .values_list("person_id", "total")
    )


def shared_plans_for(
    *, organisation: Organisation, person_ids: list[int]
) -> dict[int, tuple[list[str], list[str]]]:
    """Person id → (development priorities, next-quarter goals) of their latest review
    shared with them: what flows into the leader's development plan."""
    out: dict[int, tuple[list[str], list[str]]] = {}
    rows = (
        Review.objects.filter(organisation=organisation, person_id__in=person_ids)
        .exclude(status=ReviewStatus.DRAFT)
        .order_by("person_id", "-cycle__starts_on")
        .values_list("person_id", "development_priorities", "next_quarter_goals")
    )
    for person_id, priorities, goals in rows:
        out.setdefault(person_id, (list(priorities), list(goals)))
    return out


# --- the task inbox ---------------------------------------------------------------------------


def inbox_items(membership: Membership, *, today: dt.date) -> list[InboxItem]:
    """Reviews the member writes and has not shared (their reviewer assignment or their
    person), and the member's own shared review to acknowledge."""
    writing = Review.objects.filter(
        organisation_id=membership.organisation_id, status=ReviewStatus.DRAFT
    ).filter(
        Q(reviewer_member=membership)
        | Q(reviewer_member__isnull=True, reviewer_person_id=membership.person_id or 0)
    )
    items = [
        InboxItem(
            kind="reviews.write",
            title=f"Write {review.person.name}'s {review.cycle.quarter} AI leadership review",
            url=reverse("reviews:review", args=[review.pk]),
            due=review.cycle.due_on,
        )
        for review in writing.select_related("person", "cycle").order_by("cycle__due_on", "pk")
    ]
    if membership.person_id is not None:
        items += [
            InboxItem(
                kind="reviews.acknowledge",
                title=f"Read and acknowledge your {review.cycle.quarter} review",
                url=reverse("reviews:review", args=[review.pk]),
            )
            for review in Review.objects.filter(
                organisation_id=membership.organisation_id,
                person_id=membership.person_id,
                status=ReviewStatus.SUBMITTED,
            ).select_related("cycle")
        ]
    return items
