"""Writes of quarterly reviews: open a quarter's cycle (every active leader gets a review,
its reviewer and its scores pre-filled from evidence), adjust a score with a reason, set
priorities and goals, share the review, acknowledge it, remind reviewers.

Scores are append-only: the pre-filled value and each adjustment are ``ScoreEntry`` rows;
the review keeps the current value of each component for lists and calibration."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Assignment, User
from bellwether.core import audit, mail
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.development import services as development
from bellwether.framework.catalogue import CATALOGUE, review_weights
from bellwether.integrations.chat import services as chat
from bellwether.people import selectors as people_selectors
from bellwether.people.models import Person
from bellwether.reviews import evidence, scoring, selectors
from bellwether.reviews.models import (
    COMPONENT_FIELDS,
    Review,
    ReviewCycle,
    ReviewStatus,
    ScoreEntry,
)

WEIGHTS = review_weights()
QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")
#: Reviews fall due this many days after the quarter ends, unless the admin sets a date.
DEFAULT_DUE_AFTER_DAYS = 14
#: Reviewers are reminded of unshared reviews from this many days before they fall due.
REMIND_FROM_DAYS = 7
MAX_TEXT = 2000
MAX_REASON = 1000
PRIORITIES = CATALOGUE.quarterly_review.development_priorities
GOALS = CATALOGUE.quarterly_review.next_quarter_goals


def _label(actor: User | None) -> str:
    return actor.email if actor is not None else "system"


def quarter_dates(quarter: str) -> tuple[dt.date, dt.date]:
    match = QUARTER.match(quarter.strip())
    if match is None or not 2000 <= int(match[1]) <= 2100:
        raise DomainError(
            'Write the quarter as year and quarter, e.g. "2026-Q1".',
            field_errors={"quarter": ["Use the form 2026-Q1."]},
        )
    year, number = int(match[1]), int(match[2])
    start = dt.date(year, 3 * (number - 1) + 1, 1)
    following = dt.date(year + 1, 1, 1) if number == 4 else dt.date(year, 3 * number + 1, 1)
    return start, following - dt.timedelta(days=1)


def _reviewers(
    organisation: Organisation, people: Sequence[Person]
) -> dict[int, tuple[int | None, int | None]]:
    """Person id → (reviewer membership id, reviewer person id): an assigned reviewer
    where one is set, else the manager."""
    assigned: dict[int, int] = {}
    for person_id, membership_id in (
        Assignment.objects.filter(
            organisation=organisation,
            kind=Assignment.Kind.REVIEWEE,
            person_id__in=[p.pk for p in people],
            membership__is_active=True,
        )
        .order_by("created_at", "id")
        .values_list("person_id", "membership_id")
    ):
        assigned.setdefault(person_id, membership_id)
    return {
        p.pk: (assigned[p.pk], None) if p.pk in assigned else (None, p.manager_id) for p in people
    }


@transaction.atomic
def open_cycle(
    *,
    organisation: Organisation,
    quarter: str,
    actor: User | None,
    due_on: dt.date | None = None,
) -> ReviewCycle:
    """Open the quarter's reviews: one per active leader, reviewer resolved, each component
    pre-filled from the evidence (kept on the review, and as the first score entry)."""
    start, end = quarter_dates(quarter)
    quarter = quarter.strip()
    due = due_on or end + dt.timedelta(days=DEFAULT_DUE_AFTER_DAYS)
    if due < start:
        raise DomainError(
            "The due date is before the quarter starts.",
            field_errors={"due_on": ["Choose a date after the quarter starts."]},
        )
    if selectors.cycle_in(organisation, quarter) is not None:
        raise DomainError(
            f"The reviews of {quarter} are already open.",
            field_errors={"quarter": ["Already open."]},
        )
    people = list(people_selectors.leaders_in(organisation))
    if not people:
        raise DomainError("There are no active leaders to review.")
    cycle = ReviewCycle.objects.create(
        organisation=organisation,
        quarter=quarter,
        starts_on=start,
        ends_on=end,
        due_on=due,
        created_by=actor,
    )
    found = evidence.collect(evidence.Context(organisation, people, start, end))
    reviewers = _reviewers(organisation, people)
    rows = []
    for person in people:
        items = found[person.pk]
        scores = scoring.prefill(WEIGHTS, evidence.signals_of(items))
        member_id, reviewer_id = reviewers[person.pk]
        rows.append(
            Review(
                organisation=organisation,
                cycle=cycle,
                person=person,
                reviewer_member_id=member_id,
                reviewer_person_id=reviewer_id,
                evidence=evidence.as_json(items),
                total=sum(scores.values()),
                **{COMPONENT_FIELDS[key]: value for key, value in scores.items()},
            )
        )
    created = Review.objects.bulk_create(rows, batch_size=500)
    label = "pre-filled from evidence"
    ScoreEntry.objects.bulk_create(
        [
            ScoreEntry(
                organisation=organisation,
                review=review,
                component=key,
                value=getattr(review, field),
                kind=ScoreEntry.Kind.PREFILLED,
                actor_label=label,
            )
            for review in created
            for key, field in COMPONENT_FIELDS.items()
        ],
        batch_size=1000,
    )
    audit.record_on(
        cycle,
        "reviews.cycle_opened",
        actor=actor,
        details={"quarter": quarter, "reviews": len(created), "due_on": due.isoformat()},
    )
    return cycle


def _editable(review: Review) -> None:
    if review.status == ReviewStatus.ACKNOWLEDGED:
        raise DomainError("The leader has acknowledged this review; it can no longer change.")


@transaction.atomic
def adjust_score(
    *, review: Review, component: str, value: object, reason: str, actor: User | None
) -> ScoreEntry:
    """Set a component's score, with the reviewer's written reason (kept with the old
    values)."""
    review = Review.objects.select_for_update().get(pk=review.pk)
    _editable(review)
    if component not in WEIGHTS:
        raise DomainError(
            "Choose one of the review's three components.",
            field_errors={"component": ["Not a component of the review."]},
        )
    problem = scoring.check_score(WEIGHTS[component], value)
    if problem:
        raise DomainError(problem, field_errors={"value": [problem]})
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(
            "Write the reason for the adjustment: a score changes only with a reason.",
            field_errors={"reason": ["Required to adjust a score."]},
        )
    if len(reason) > MAX_REASON:
        raise DomainError(
            f"Keep the reason under {MAX_REASON} characters.",
            field_errors={"reason": ["Too long."]},
        )
    assert isinstance(value, int)
    field = COMPONENT_FIELDS[component]
    before = getattr(review, field)
    entry = ScoreEntry.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        component=component,
        value=value,
        kind=ScoreEntry.Kind.ADJUSTED,
        reason=reason,
        actor=actor,
        actor_label=_label(actor),
    )
    setattr(review, field, value)
    review.total = review.personal + review.team + review.organisational
    review.save(update_fields=[field, "total", "updated_at"])
    audit.record_on(
        review,
        "reviews.score_adjusted",
        actor=actor,
        details={"component": component, "before": before, "after": value, "reason": reason},
    )
    return entry


def _lines(values: Sequence[str], *, most: int, what: str) -> list[str]:
    lines = [v.strip() for v in values if v and v.strip()]
    if len(lines) > most:
        raise DomainError(f"Write at most {most} {what}.", field_errors={what: ["Too many."]})
    if any(len(line) > MAX_TEXT for line in lines):
        raise DomainError(
            f"Keep each of the {what} under {MAX_TEXT} characters.",
            field_errors={what: ["Too long."]},
        )
    return lines


@transaction.atomic
def set_plan(
    *, review: Review, priorities: Sequence[str], goals: Sequence[str], actor: User | None
) -> Review:
    """The development priorities and next-quarter goals (three of each at most)."""
    _editable(review)
    review.development_priorities = _lines(priorities, most=PRIORITIES, what="priorities")
    review.next_quarter_goals = _lines(goals, most=GOALS, what="goals")
    review.save(update_fields=["development_priorities", "next_quarter_goals", "updated_at"])
    audit.record_on(
        review,
        "reviews.plan_set",
        actor=actor,
        details={
            "priorities": len(review.development_priorities),
            "goals": len(review.next_quarter_goals),
        },
    )
    return review


@transaction.atomic
def submit_review(*, review: Review, actor: User | None) -> Review:
    """Share the review with the leader, who can then acknowledge it."""
    _editable(review)
    if review.status == ReviewStatus.SUBMITTED:
        raise DomainError("The review is already shared with the leader.")
    if not review.development_priorities or not review.next_quarter_goals:
        raise DomainError(
            "Write at least one development priority and one next-quarter goal first."
        )
    review.status = ReviewStatus.SUBMITTED
    review.submitted_at = timezone.now()
    review.save(update_fields=["status", "submitted_at", "updated_at"])
    audit.record_on(review, "reviews.submitted", actor=actor)
    transaction.on_commit(lambda: carry_into_development_plan(review=review, actor=actor))
    return review


def carry_into_development_plan(*, review: Review, actor: User | None) -> int:
    """The review's development priorities and next-quarter goals become items of the
    leader's open development plan, due at the end of the next quarter (§4.1). A leader
    without an open plan keeps them on the review alone. Answers how many were added."""
    _, quarter_end = quarter_dates(review.cycle.quarter)
    following = quarter_end + dt.timedelta(days=1)
    _, due = quarter_dates(f"{following.year}-Q{(following.month - 1) // 3 + 1}")
    added = 0
    for kind, lines in (
        ("Priority", review.development_priorities),
        ("Goal", review.next_quarter_goals),
    ):
        for line in lines:
            try:
                development.add_plan_item(
                    organisation=review.organisation,
                    person=review.person,
                    title=f"{kind} ({review.cycle.quarter} review): {line}"[:200],
                    source="review",
                    due=due,
                    actor=actor,
                )
            except DomainError as error:
                if error.code == "no_plan":
                    return added
                raise
            added += 1
    return added


@transaction.atomic
def acknowledge_review(*, review: Review, actor: User | None, note: str = "") -> Review:
    """The leader has read the review (optionally with a note of their own)."""
    if review.status == ReviewStatus.DRAFT:
        raise DomainError("This review has not been shared with you yet.")
    if review.status == ReviewStatus.ACKNOWLEDGED:
        raise DomainError("You have already acknowledged this review.")
    note = (note or "").strip()
    if len(note) > MAX_TEXT:
        raise DomainError(f"Keep the note under {MAX_TEXT} characters.")
    review.status = ReviewStatus.ACKNOWLEDGED
    review.acknowledged_at = timezone.now()
    review.acknowledgement_note = note
    review.save(update_fields=["status", "acknowledged_at", "acknowledgement_note", "updated_at"])
    audit.record_on(review, "reviews.acknowledged", actor=actor)
    return review


def _reviewer_email(review: Review) -> str:
    if review.reviewer_member is not None:
        return review.reviewer_member.user.email
    return review.reviewer_person.email if review.reviewer_person is not None else ""


def send_reminders(*, cycle: ReviewCycle, today: dt.date | None = None) -> int:
    """Email the reviewer of each review not yet shared, once a day at most, from
    ``REMIND_FROM_DAYS`` before the due date. Safe to rerun: a review reminded today is
    skipped, and one the mail server refused stays due."""
    today = today or timezone.localdate()
    if today < cycle.due_on - dt.timedelta(days=REMIND_FROM_DAYS):
        return 0
    due = [
        r
        for r in selectors.due_for_reminder(cycle).exclude(reminded_on=today)
        if _reviewer_email(r)
    ]
    sent = 0
    with mail.Connection() as connection:
        for review in due:
            late = "is overdue" if today > cycle.due_on else f"is due on {cycle.due_on:%d %B %Y}"
            text = (
                f"The {cycle.quarter} AI leadership review of {review.person.name} {late}.\n"
                f"Open it: {settings.BELLWETHER_BASE_URL}"
                f"{reverse('reviews:review', kwargs={'pk': review.pk})}\n"
            )
            subject = f"Reminder: {review.person.name}'s {cycle.quarter} review"
            # Slack or Teams when the reviewer chose one (integrations.chat), else the mail.
            by_chat = chat.dispatch(
                kind=chat.REVIEWS_DUE,
                membership=review.reviewer_member,
                person=review.reviewer_person,
                message=chat.ChatMessage(
                    title=subject,
                    text=f"The {cycle.quarter} AI leadership review of {review.person.name} {late}.",
                    link=settings.BELLWETHER_BASE_URL
                    + reverse("reviews:review", kwargs={"pk": review.pk}),
                    link_label="Open the review",
                ),
                key=f"reviews:{review.pk}:{today.isoformat()}",
            )
            refusal = (
                None
                if by_chat
                else connection.send(
                    mail.message(subject=subject, to=_reviewer_email(review), text=text)
                )
            )
            if refusal is None:
                Review.objects.filter(pk=review.pk).update(reminded_on=today)
                sent += 1
    if sent:
        audit.record_on(
            cycle,
            "reviews.reminders_sent",
            actor=None,
            details={"sent": sent, "on": today.isoformat()},
        )
    return sent


def remind_all_reviewers(*, today: dt.date | None = None) -> int:
    """``send_reminders`` for every cycle that still has reviews in progress (every
    organisation; for the daily command)."""
    today = today or timezone.localdate()
    cycles = ReviewCycle.objects.filter(
        reviews__status=ReviewStatus.DRAFT,
        due_on__lte=today + dt.timedelta(days=REMIND_FROM_DAYS),
    ).distinct()
    return sum(send_reminders(cycle=cycle, today=today) for cycle in cycles)
