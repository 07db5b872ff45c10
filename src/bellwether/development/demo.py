"""Demo data: a learning plan for every demo leader, in every state (drafts, agreed,
active with modules done, some behind, completed and withdrawn), an organisation module,
and the three visioning workshops held, with the vision, metrics, resources and
commitments. Bulk inserts through the services' own builder; deterministic for the seed."""

from __future__ import annotations

import datetime
import random
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.development import services
from bellwether.development.models import (
    LearningPlan,
    MilestoneReview,
    OrgModule,
    PlanItem,
    PlanStatus,
)
from bellwether.framework.catalogue import CATALOGUE, MILESTONE_RATINGS
from bellwether.people.models import LeaderLevel, Person

# Share of plans per state, in this order; the rest are active.
SHARES = (
    (PlanStatus.DRAFT, 0.15),
    (PlanStatus.AGREED, 0.15),
    (PlanStatus.COMPLETED, 0.1),
    (PlanStatus.WITHDRAWN, 0.05),
)
VISION = (
    "By 2028 every leader uses AI daily to decide faster and serve customers better, "
    "and every function runs at least one AI initiative that pays for itself."
)


def _status(rng: random.Random) -> str:
    roll, edge = rng.random(), 0.0
    for status, share in SHARES:
        edge += share
        if roll < edge:
            return status
    return PlanStatus.ACTIVE


def _plans(organisation: Organisation, leaders: list[Person], rng: random.Random) -> int:
    today = timezone.localdate()
    now = timezone.now()
    by_start: dict[int, list[Person]] = {}
    for person in leaders:
        by_start.setdefault(rng.choice((20, 45, 75, 100)), []).append(person)
    plans: list[LearningPlan] = []
    for days, people in sorted(by_start.items()):
        plans += services.build_plans(
            organisation_id=organisation.pk,
            people=people,
            start=today - datetime.timedelta(days=days),
            actor=None,
        )
    items: dict[int, list[PlanItem]] = {}
    for item in PlanItem.objects.filter(organisation=organisation).order_by("id"):
        items.setdefault(item.plan_id, []).append(item)
    milestones: dict[int, list[MilestoneReview]] = {}
    for review in MilestoneReview.objects.filter(organisation=organisation).order_by("id"):
        milestones.setdefault(review.plan_id, []).append(review)
    done_items: list[PlanItem] = []
    reviews: list[MilestoneReview] = []
    ratings = [r.key for r in MILESTONE_RATINGS]
    for plan in plans:
        status = _status(rng)
        if status == PlanStatus.DRAFT:
            continue
        plan.status = status
        plan.leader_agreed_at = plan.reviewer_agreed_at = now
        if status != PlanStatus.AGREED:
            plan.activated_at = now
        if status in (PlanStatus.COMPLETED, PlanStatus.WITHDRAWN):
            plan.closed_at = now
            plan.closed_reason = "Left the programme" if status == PlanStatus.WITHDRAWN else ""
        if status == PlanStatus.AGREED:
            continue
        # Modules done up to today; a plan "behind" does about half of what is due.
        pace = 1.0 if status == PlanStatus.COMPLETED else rng.choice((1.0, 0.9, 0.5))
        for item in items.get(plan.pk, []):
            if (
                item.due
                and (item.due <= today or status == PlanStatus.COMPLETED)
                and rng.random() < pace
            ):
                item.completed_on = min(item.due, today)
                item.hours_spent = max(0.5, item.planned_hours + rng.choice((-1, 0, 0, 1)))
                done_items.append(item)
        for review in milestones.get(plan.pk, []):
            if review.due < today and rng.random() < 0.8:
                review.reviewed_on = review.due
                review.rating = rng.choice(ratings)
                review.notes = "Reviewed with the coach."
                reviews.append(review)
    LearningPlan.objects.bulk_update(
        plans,
        [
            "status",
            "leader_agreed_at",
            "reviewer_agreed_at",
            "activated_at",
            "closed_at",
            "closed_reason",
        ],
        batch_size=500,
    )
    PlanItem.objects.bulk_update(done_items, ["completed_on", "hours_spent"], batch_size=1000)
    MilestoneReview.objects.bulk_update(
        reviews, ["reviewed_on", "rating", "notes"], batch_size=1000
    )
    return len(plans)


def _workshops(organisation: Organisation, executives: list[Person], rng: random.Random) -> None:
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    kpis = [k.key for k in CATALOGUE.primary_kpis]
    for n, session in enumerate(CATALOGUE.visioning_sessions):
        starts = now - datetime.timedelta(days=60 - 14 * n, hours=now.hour - 9)
        hours = 7 if session.duration.lower().startswith("full") else 4
        workshop = services.schedule_workshop(
            organisation=organisation,
            actor=None,
            session_key=session.key,
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=hours),
            location="Board room, 12th floor",
            facilitator="External facilitator",
            invited=[p.pk for p in executives],
        )
        present = [p.pk for p in executives if rng.random() < 0.85]
        services.record_attendance(workshop=workshop, actor=None, attended=present)
        if n == 1:
            draft = services.propose_vision(
                organisation=organisation,
                actor=None,
                text=VISION.replace("2028", "2030"),
                workshop=workshop,
            )
            services.adopt_vision(statement=draft, actor=None)
            adopted = services.propose_vision(
                organisation=organisation, actor=None, text=VISION, workshop=workshop
            )
            services.adopt_vision(statement=adopted, actor=None)
            for key in kpis[:3]:
                services.add_metric(
                    workshop=workshop, actor=None, kpi_key=key, target="80% by year end", due=None
                )
            for m, owner in enumerate(executives[:3]):
                row = services.add_resource(
                    workshop=workshop,
                    actor=None,
                    description=("AI platform budget", "Two data scientists", "Training budget")[m],
                    amount=Decimal(250000 - 80000 * m),
                    owner_id=owner.pk,
                    due=starts.date() + datetime.timedelta(days=30 + 15 * m),
                )
                if m == 0:
                    services.mark_allocated(commitment=row, actor=None, allocated_on=row.due)
        if n == 2:
            for person in executives[:5]:
                services.add_commitment(
                    workshop=workshop,
                    actor=None,
                    person_id=person.pk,
                    text="Sponsor one AI pilot in my function and report on it monthly",
                    due=starts.date() + datetime.timedelta(days=60),
                )


def build_demo(*, organisation: Organisation, seed: int) -> str:
    started = time.perf_counter()
    rng = random.Random(seed * 7919 + 13)
    with transaction.atomic():
        leaders = list(
            Person.objects.filter(organisation=organisation, active=True)
            .exclude(leader_level="")
            .select_related("organisation")
            .order_by("id")
        )
        if not leaders:
            return "development: no leaders"
        services.add_org_module(
            organisation=organisation,
            actor=None,
            title="Prompting for executives (vendor course)",
            kind=OrgModule.Kind.VENDOR,
            url="https://learning.example.com/prompting-for-executives",
            hours=3,
            tier_key="tier.literacy",
            month=1,
            dimension="knowledge",
            equivalent_to="plan.month_1.tool_experimentation",
        )
        count = _plans(organisation, leaders, rng)
        executives = [p for p in leaders if p.leader_level == LeaderLevel.EXECUTIVE][:12]
        _workshops(organisation, executives or leaders[:8], rng)
    return f"development: {count} learning plans, 3 visioning workshops in {time.perf_counter() - started:.1f}s"
