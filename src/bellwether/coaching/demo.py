"""Demo data: the history behind the demo accounts' coach and reviewer assignments, a
12-week programme for each of the demo coach's coachees (started some weeks ago, at
different points), weekly-ish sessions with action items carried, decided and closed,
an upcoming session for each, and one coachee off track (no session for a month).
Written through the services, so every rule holds; deterministic for the seed."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import Assignment, Membership
from bellwether.coaching import services
from bellwether.coaching.models import AssignmentRecord, ItemDecision, ItemStatus
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE

PROGRAMME = CATALOGUE.coaching
ITEMS = (
    "Use the AI assistant for the weekly report",
    "Share one AI win at the team meeting",
    "Ask two team members how they use AI",
    "Draft the team's AI guidelines",
    "Pair with a Champion on a workflow",
    "Review one decision with AI-generated options",
    "Write the AI update for the monthly all-hands",
)
GOALS = ("Review the pilot's results", "Plan the team workshop", "Agree the next experiment")


def _session_dates(
    rng: random.Random, start: dt.date, today: dt.date, *, stalled: bool
) -> list[dt.date]:
    dates, day = [], start + dt.timedelta(days=rng.randint(0, 3))
    stop = today - dt.timedelta(days=30) if stalled else today
    while day <= stop:
        dates.append(day)
        day += dt.timedelta(days=rng.choice((7, 7, 10, 14)))
    if not stalled:
        dates.append(max(day, today + dt.timedelta(days=1)))  # the next, upcoming one
    return dates


def _run_programme(
    rng: random.Random, coach: Membership, person_id: int, weeks_ago: int, stalled: bool
) -> int:
    today = timezone.localdate()
    record = AssignmentRecord.objects.select_related("person").get(
        person_id=person_id, kind="coachee", ended_at__isnull=True
    )
    start = today - dt.timedelta(weeks=weeks_ago)
    programme = services.start_programme(actor=coach, person=record.person, start_date=start)
    services.define_plan(
        actor=coach,
        programme=programme,
        focus_areas=[f.key for f in rng.sample(PROGRAMME.focus_areas, 2)],
        success_metrics=[m.key for m in rng.sample(PROGRAMME.success_metrics, 2)],
        milestones=[
            services.MilestoneIn("Personal AI development plan agreed", 2),
            services.MilestoneIn("Uses an AI tool daily in own work", 6),
            services.MilestoneIn("Leads a team AI experiment", 10),
        ],
        today=start,
    )
    sessions = 0
    for day in _session_dates(rng, start, today, stalled=stalled):
        for item in services.waiting_for_decision(programme):
            decision = rng.choice((ItemDecision.KEEP, ItemDecision.DROP))
            services.decide_item(
                actor=coach,
                item=item,
                decision=decision,
                reason="Still the right habit to build"
                if decision == "keep"
                else "Overtaken by the pilot",
            )
        session = services.add_session(actor=coach, programme=programme, date=day)
        sessions += 1
        if day > today:
            break
        for item in programme.items.filter(status=ItemStatus.OPEN):
            if rng.random() < 0.45:
                services.close_item(actor=coach, item=item, status=ItemStatus.DONE)
        services.record_session(
            actor=coach,
            session=session,
            focus_areas=[f.key for f in rng.sample(PROGRAMME.focus_areas, rng.randint(1, 3))],
            notes="Talked through the week's AI use and what got in the way.",
            notes_shared=rng.random() < 0.3,
            next_session_goals=rng.sample(GOALS, 2),
            metrics={m.key: rng.randint(2, 5) for m in PROGRAMME.success_metrics},
            new_items=rng.sample(ITEMS, rng.randint(1, 2)),
        )
    for milestone in programme.milestones.all():
        if milestone.due_week * 7 < (today - start).days and not stalled and rng.random() < 0.8:
            services.complete_milestone(actor=coach, milestone=milestone, done_on=today)
    return sessions


def build_demo(*, organisation: Organisation, seed: int) -> str:
    started = time.perf_counter()
    rng = random.Random(seed * 7919 + 3)
    now = timezone.now()
    with transaction.atomic():
        assignments = list(
            Assignment.objects.filter(organisation=organisation)
            .select_related("membership")
            .order_by("id")
        )
        AssignmentRecord.objects.bulk_create(
            AssignmentRecord(
                organisation=organisation,
                membership=a.membership,
                person_id=a.person_id,
                kind=a.kind,
                started_at=now - dt.timedelta(weeks=12),
            )
            for a in assignments
        )
        coachees = [a for a in assignments if a.kind == Assignment.Kind.COACHEE]
        sessions = 0
        for index, assignment in enumerate(coachees):
            sessions += _run_programme(
                rng,
                assignment.membership,
                assignment.person_id,
                weeks_ago=rng.randint(3, 11),
                stalled=index == len(coachees) - 1,  # the last one is off track
            )
    elapsed = time.perf_counter() - started
    return f"coaching: {len(coachees)} programmes, {sessions} sessions ({elapsed:.1f}s)"
