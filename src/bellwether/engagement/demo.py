"""Demo data: barrier checklists for the demo leaders and a generated plan for every
assessed leader (about half active, a quarter under review, the rest drafts; a couple
with an overdue review). Bulk inserts only, deterministic for the seed."""

from __future__ import annotations

import datetime
import random
import time

from django.db import transaction
from django.utils import timezone

from bellwether.assessments.selectors import current_bands
from bellwether.core.models import Organisation
from bellwether.engagement import generator, selectors
from bellwether.engagement.models import (
    BarrierChange,
    BarrierMark,
    EngagementPlan,
    PlanReview,
    PlanRevision,
    PlanStatus,
)
from bellwether.framework import catalogue
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people import selectors as people_selectors
from bellwether.people.models import LeaderLevel

# Barriers each level is likelier to report, by the framework's barrier numbers (the
# rest are still possible): executives investment, risk, priorities; senior leaders
# ownership, priorities, skills; operational leaders skills, fatigue, complexity.
_BARRIER_BY_NUMBER = {barrier.number: barrier.key for barrier in CATALOGUE.barriers}
LEVEL_BIAS: dict[str, tuple[str, ...]] = {
    level: tuple(_BARRIER_BY_NUMBER[number] for number in numbers)
    for level, numbers in (
        (LeaderLevel.EXECUTIVE, (2, 6, 4)),
        (LeaderLevel.SENIOR, (3, 4, 7)),
        (LeaderLevel.OPERATIONAL, (7, 8, 1)),
    )
}
OVERDUE_PLANS = 2
ACTOR_LABEL = "bellwether demo"


def _marks(rng: random.Random, level: str) -> dict[str, str]:
    barriers = [b.key for b in CATALOGUE.barriers]
    biased = list(LEVEL_BIAS.get(level, ())) * 3 + barriers
    marks: dict[str, str] = {}
    for _ in range(rng.randint(1, 2)):
        marks[rng.choice(biased)] = "primary"
    for _ in range(rng.randint(0, 2)):
        marks.setdefault(rng.choice(barriers), "secondary")
    concerns = [c.key for c in catalogue.leader_level(level).concerns] if level else []
    for key in rng.sample(concerns, k=min(len(concerns), rng.randint(0, 2))):
        marks[key] = rng.choice(("primary", "secondary", "secondary"))
    return marks


def build_demo(*, organisation: Organisation, seed: int) -> str:
    started = time.perf_counter()
    rng = random.Random(seed * 6151 + 11)
    today = timezone.localdate()
    now = timezone.now()
    with transaction.atomic():
        leaders = list(people_selectors.leaders_in(organisation).order_by("id"))
        if not leaders:
            return "engagement: no leaders"
        marks = [
            (person, key, weight)
            for person in leaders
            for key, weight in sorted(_marks(rng, person.leader_level).items())
        ]
        BarrierMark.objects.bulk_create(
            BarrierMark(organisation=organisation, person=person, key=key, weight=weight)
            for person, key, weight in marks
        )
        BarrierChange.objects.bulk_create(
            BarrierChange(
                organisation=organisation,
                person=person,
                key=key,
                before="",
                after=weight,
                changed_by_label=ACTOR_LABEL,
            )
            for person, key, weight in marks
        )

        bands = current_bands(organisation)
        assessed = [p for p in leaders if p.pk in bands]
        if not assessed:
            return f"engagement: {len(marks)} barrier marks, no assessed leaders for plans"
        # Most plans started a few weeks ago; drafts start today.
        statuses: dict[int, str] = {}
        starts: dict[int, datetime.date] = {}
        for person in assessed:
            roll = rng.random()
            status = (
                PlanStatus.ACTIVE
                if roll < 0.5
                else PlanStatus.UNDER_REVIEW
                if roll < 0.75
                else PlanStatus.DRAFT
            )
            statuses[person.pk] = status
            starts[person.pk] = (
                today
                if status == PlanStatus.DRAFT
                else today - datetime.timedelta(rng.randint(10, 70))
            )
        overdue = {
            p.pk
            for p in [p for p in assessed if statuses[p.pk] == PlanStatus.ACTIVE][:OVERDUE_PLANS]
        }
        facts = selectors.facts_for_many(organisation, assessed, start=today)
        plans = []
        done: dict[int, list[tuple[str, datetime.date]]] = {}
        for person in assessed:
            start = starts[person.pk]
            content = generator.generate(
                generator.LeaderFacts(**{**facts[person.pk].__dict__, "start": start})
            )
            past = [kd for kd in generator.due_dates(content["reviews"]) if kd[1] < today]
            # Reviews up to today are done, except the last one of an overdue plan.
            done[person.pk] = past[:-1] if person.pk in overdue and past else past
            found = generator.next_review(content["reviews"], done[person.pk])
            plans.append(
                EngagementPlan(
                    organisation=organisation,
                    person=person,
                    status=statuses[person.pk],
                    content=content,
                    band_key=content["current_band"] or "",
                    target_band_key=content["target_band"] or "",
                    start_date=start,
                    next_review_due=found[1] if found else None,
                    next_review_key=found[0] if found else "",
                    generated_at=now,
                    revision=1,
                )
            )
        EngagementPlan.objects.bulk_create(plans)
        ids = dict(
            EngagementPlan.objects.filter(organisation=organisation).values_list("person_id", "id")
        )
        PlanRevision.objects.bulk_create(
            PlanRevision(
                organisation=organisation,
                plan_id=ids[plan.person_id],
                number=1,
                action="generated",
                summary="Plan generated",
                diff={},
                snapshot=plan.content,
                status=plan.status,
                actor_label=ACTOR_LABEL,
            )
            for plan in plans
        )
        PlanReview.objects.bulk_create(
            PlanReview(
                organisation=organisation,
                plan_id=ids[person_id],
                cadence_key=key,
                due_date=day,
                done_at=now,
            )
            for person_id, reviews in done.items()
            for key, day in reviews
        )
    return (
        f"engagement: {len(marks)} barrier marks for {len(leaders)} leaders, "
        f"{len(plans)} plans ({len(overdue)} overdue) in {time.perf_counter() - started:.1f}s"
    )
