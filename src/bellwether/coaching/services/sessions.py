"""The 12-week programme and its sessions: start it, define the plan in weeks 1–2,
record sessions in the §3.1 template, carry open action items into every later
session, and make the coach decide on an item carried too often.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.coaching import access, schedule
from bellwether.coaching.models import (
    ActionItem,
    AssignmentKind,
    AssignmentRecord,
    ItemDecision,
    ItemStatus,
    Milestone,
    Programme,
    Session,
)
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.framework.catalogue import CATALOGUE
from bellwether.integrations.chat import services as chat
from bellwether.people.models import Person

PROGRAMME = CATALOGUE.coaching
FOCUS_KEYS = {f.key for f in PROGRAMME.focus_areas}
METRIC_KEYS = {f.key for f in PROGRAMME.success_metrics}
QUESTION_KEYS = [q.key for q in PROGRAMME.pre_session_questions]
MAX_TEXT = 300
MAX_NOTES = 20_000
MAX_ANSWER = 4_000


def _refuse(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, field_errors={field: [message]})


def _audit(
    actor: Membership,
    action: str,
    target: Model,
    label: str,
    details: dict[str, Any] | None = None,
) -> None:
    audit.record(
        action=action,
        organisation=actor.organisation,
        actor=actor.user,
        target=target,
        target_label=label,
        details=details,
    )


def _require_coach(actor: Membership, programme: Programme) -> None:
    if not access.EDIT_PROGRAMME.allows(actor, programme):
        raise DomainError("Only the leader's coach can do this.", code="forbidden")


def _keys(values: Sequence[str], known: set[str], field: str) -> list[str]:
    unknown = [v for v in values if v not in known]
    if unknown:
        raise _refuse(field, f"Unknown {field.replace('_', ' ')}: {', '.join(unknown)}.")
    return list(dict.fromkeys(values))


def _texts(values: Sequence[str], *, field: str, most: int) -> list[str]:
    cleaned = [v.strip() for v in values if v.strip()]
    if len(cleaned) > most:
        raise _refuse(field, f"At most {most} {field.replace('_', ' ')} per session.")
    if any(len(v) > MAX_TEXT for v in cleaned):
        raise _refuse(field, f"Keep each one under {MAX_TEXT} characters.")
    return cleaned


# --- programme ---------------------------------------------------------------------------------


@transaction.atomic
def start_programme(*, actor: Membership, person: Person, start_date: dt.date) -> Programme:
    """Start the leader's 12-week programme with their current coach (the actor)."""
    record = AssignmentRecord.objects.filter(
        person=person, kind=AssignmentKind.COACHEE, ended_at__isnull=True
    ).first()
    if (
        record is None
        or record.membership_id != actor.pk
        or person.organisation_id != actor.organisation_id
    ):
        raise DomainError("Only the leader's coach can start their programme.", code="forbidden")
    if Programme.objects.filter(person=person).exists():
        raise DomainError(f"{person.name} already has a programme.", code="exists")
    programme = Programme.objects.create(
        organisation_id=person.organisation_id, person=person, coach=actor, start_date=start_date
    )
    _audit(
        actor,
        "coaching.programme_started",
        programme,
        person.name,
        details={"start_date": start_date.isoformat()},
    )
    return programme


@dataclass(frozen=True)
class MilestoneIn:
    text: str
    due_week: int


@transaction.atomic
def define_plan(
    *,
    actor: Membership,
    programme: Programme,
    focus_areas: Sequence[str],
    success_metrics: Sequence[str],
    milestones: Sequence[MilestoneIn],
    today: dt.date | None = None,
) -> Programme:
    """The plan of weeks 1–2: focus areas and success metrics (catalogue keys) and
    milestones with their week. Refused once the planning weeks are over."""
    _require_coach(actor, programme)
    today = today or timezone.localdate()
    week = schedule.week_of(programme.start_date, today)
    if week > PROGRAMME.plan_weeks:
        raise DomainError(
            f"The plan is defined in weeks 1–{PROGRAMME.plan_weeks}; this programme is in "
            f"week {week}.",
            code="closed",
        )
    programme.focus_areas = _keys(focus_areas, FOCUS_KEYS, "focus_areas")
    programme.success_metrics = _keys(success_metrics, METRIC_KEYS, "success_metrics")
    rows = []
    for item in milestones:
        text = item.text.strip()
        if not text:
            continue
        if len(text) > MAX_TEXT:
            raise _refuse("milestones", f"Keep each milestone under {MAX_TEXT} characters.")
        phase = schedule.phase_for(item.due_week, PROGRAMME.phases)
        if phase is None:
            raise _refuse("milestones", f"A milestone's week is 1 to {PROGRAMME.weeks}.")
        rows.append(
            Milestone(programme=programme, phase_key=phase.key, text=text, due_week=item.due_week)
        )
    programme.save(update_fields=["focus_areas", "success_metrics"])
    programme.milestones.filter(done_on__isnull=True).delete()
    Milestone.objects.bulk_create(rows)
    _audit(
        actor,
        "coaching.plan_defined",
        programme,
        programme.person.name,
        details={"milestones": len(rows)},
    )
    return programme


@transaction.atomic
def complete_milestone(
    *, actor: Membership, milestone: Milestone, done_on: dt.date | None = None
) -> Milestone:
    _require_coach(actor, milestone.programme)
    milestone.done_on = done_on or timezone.localdate()
    milestone.save(update_fields=["done_on"])
    return milestone


# --- sessions ----------------------------------------------------------------------------------


def waiting_for_decision(programme: Programme) -> list[ActionItem]:
    return list(
        programme.items.filter(
            status=ItemStatus.OPEN, carries__gte=PROGRAMME.carries_before_decision
        )
    )


@transaction.atomic
def add_session(*, actor: Membership, programme: Programme, date: dt.date) -> Session:
    """The next numbered session on ``date`` (not before the programme's start or the
    previous session). Every open action item is carried into it; refused while an
    item carried too often waits for the coach's decision."""
    _require_coach(actor, programme)
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    if date < programme.start_date:
        raise _refuse(
            "date",
            f"A session cannot be before the programme starts ({programme.start_date:%d %b %Y}).",
        )
    last = programme.sessions.order_by("-number").first()
    if last is not None and date < last.date:
        raise _refuse(
            "date", f"Session {last.number} is on {last.date:%d %b %Y}; the next comes after it."
        )
    waiting = waiting_for_decision(programme)
    if waiting:
        names = "; ".join(f"“{item.text}”" for item in waiting)
        raise DomainError(
            f"Decide first whether to keep, change or drop these items, carried "
            f"{PROGRAMME.carries_before_decision} times: {names}.",
            code="decision_needed",
        )
    session = Session.objects.create(
        programme=programme, coach=actor, number=(last.number if last else 0) + 1, date=date
    )
    carried = programme.items.filter(status=ItemStatus.OPEN)
    for item in carried:
        item.carries += 1
    ActionItem.objects.bulk_update(carried, ["carries"])
    _audit(
        actor,
        "coaching.session_added",
        session,
        programme.person.name,
        details={"number": session.number, "date": date.isoformat(), "carried": len(carried)},
    )
    # The leader hears of it by their choice of email, Slack or Teams (integrations.chat).
    chat.dispatch(
        kind=chat.COACHING_SESSIONS,
        person=programme.person,
        message=chat.ChatMessage(
            title=f"Coaching session {session.number} on {date:%A %d %B %Y}",
            text=(
                f"{actor.user.email} has planned coaching session {session.number} with you "
                f"on {date:%A %d %B %Y}. {len(carried)} open action item(s) carry into it; "
                "you can prepare your notes beforehand."
            ),
            link=settings.BELLWETHER_BASE_URL
            + reverse("coaching:prepare", kwargs={"pk": session.pk}),
            link_label="Prepare the session",
        ),
        key=f"coaching:session:{session.pk}",
        or_email=True,
    )
    return session


@transaction.atomic
def record_session(
    *,
    actor: Membership,
    session: Session,
    focus_areas: Sequence[str],
    notes: str,
    notes_shared: bool,
    next_session_goals: Sequence[str],
    metrics: Mapping[str, int],
    new_items: Sequence[str],
) -> Session:
    """What the session covered (§3.1): focus areas, notes, the next session's goals,
    success metrics rated 1–5 and new action items."""
    programme = session.programme
    _require_coach(actor, programme)
    focus = _keys(focus_areas, FOCUS_KEYS, "focus_areas")
    goals = _texts(
        next_session_goals, field="next_session_goals", most=PROGRAMME.next_session_goals
    )
    items = _texts(new_items, field="action_items", most=PROGRAMME.action_items_per_session)
    already = session.raised_items.count()
    if already + len(items) > PROGRAMME.action_items_per_session:
        raise _refuse(
            "action_items",
            f"At most {PROGRAMME.action_items_per_session} action items per session; "
            f"this one has {already}.",
        )
    _keys(list(metrics), METRIC_KEYS, "metrics")
    if any(not 1 <= v <= PROGRAMME.metric_scale for v in metrics.values()):
        raise _refuse("metrics", f"Rate each metric from 1 to {PROGRAMME.metric_scale}.")
    if len(notes) > MAX_NOTES:
        raise _refuse("notes", f"Keep the notes under {MAX_NOTES} characters.")
    session.focus_areas = focus
    session.notes = notes.strip()
    session.notes_shared = notes_shared
    session.next_session_goals = goals
    session.metrics = dict(metrics)
    session.save(
        update_fields=["focus_areas", "notes", "notes_shared", "next_session_goals", "metrics"]
    )
    ActionItem.objects.bulk_create(
        ActionItem(programme=programme, raised_in=session, text=text) for text in items
    )
    _audit(
        actor,
        "coaching.session_recorded",
        session,
        programme.person.name,
        details={"number": session.number, "new_items": len(items)},
    )
    return session


@transaction.atomic
def close_item(*, actor: Membership, item: ActionItem, status: str) -> ActionItem:
    """Mark an item done (or dropped) in the programme's latest session."""
    programme = item.programme
    _require_coach(actor, programme)
    if status not in (ItemStatus.DONE, ItemStatus.DROPPED):
        raise _refuse("status", "An item is closed as done or dropped.")
    if item.status != ItemStatus.OPEN:
        raise DomainError("This item is already closed.", code="closed")
    item.status = status
    item.closed_in = programme.sessions.order_by("-number").first()
    item.save(update_fields=["status", "closed_in"])
    _audit(actor, "coaching.item_closed", item, programme.person.name, details={"status": status})
    return item


@transaction.atomic
def decide_item(
    *, actor: Membership, item: ActionItem, decision: str, reason: str, text: str = ""
) -> ActionItem:
    """The coach's decision on an item carried too often: keep it (its count starts
    again), change it (new wording, count starts again) or drop it. A reason is
    required."""
    programme = item.programme
    _require_coach(actor, programme)
    if item.status != ItemStatus.OPEN:
        raise DomainError("This item is already closed.", code="closed")
    if decision not in ItemDecision.values:
        raise _refuse("decision", "Choose keep, change or drop.")
    reason = reason.strip()
    if not reason:
        raise _refuse("reason", "Give a reason for the decision.")
    if len(reason) > MAX_TEXT:
        raise _refuse("reason", f"Keep the reason under {MAX_TEXT} characters.")
    item.decision = decision
    item.decision_reason = reason
    if decision == ItemDecision.CHANGE:
        text = text.strip()
        if not text or len(text) > MAX_TEXT:
            raise _refuse("text", f"Give the item's new wording (under {MAX_TEXT} characters).")
        item.text = text
    if decision == ItemDecision.DROP:
        item.status = ItemStatus.DROPPED
        item.closed_in = programme.sessions.order_by("-number").first()
    else:
        item.carries = 0
    item.save()
    _audit(
        actor,
        "coaching.item_decided",
        item,
        programme.person.name,
        details={"decision": decision, "reason": reason},
    )
    return item


@transaction.atomic
def submit_pre_session(
    *, actor: Membership, session: Session, answers: Mapping[str, str]
) -> Session:
    """The coachee's pre-session assessment (§3.1), before the session's day ends."""
    if not access.PREPARE_SESSION.allows(actor, session.programme):
        raise DomainError("Only the coachee fills the pre-session assessment.", code="forbidden")
    if session.date < timezone.localdate():
        raise DomainError("This session has taken place; its pre-session form is closed.")
    unknown = set(answers) - set(QUESTION_KEYS)
    if unknown:
        raise DomainError(f"Unknown questions: {', '.join(sorted(unknown))}.")
    cleaned = {key: answers.get(key, "").strip() for key in QUESTION_KEYS}
    if not any(cleaned.values()):
        raise DomainError("Answer at least one question.")
    too_long = [k for k, v in cleaned.items() if len(v) > MAX_ANSWER]
    if too_long:
        raise DomainError(
            f"Keep each answer under {MAX_ANSWER} characters.",
            field_errors={k: ["Too long."] for k in too_long},
        )
    session.pre_session = cleaned
    session.pre_session_at = timezone.now()
    session.save(update_fields=["pre_session", "pre_session_at"])
    _audit(actor, "coaching.pre_session_submitted", session, session.programme.person.name)
    return session
