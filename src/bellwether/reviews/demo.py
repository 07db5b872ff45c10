"""Demo data: the reviews of the last two completed quarters, opened by the real service
(so every score is pre-filled from the demo's evidence). The older quarter is nearly all
shared and acknowledged; the newer one is under way. About one review in five has a
reviewer's adjustment with its reason. Deterministic for the seed."""

from __future__ import annotations

import datetime as dt
import random
import time

from django.db import transaction
from django.utils import timezone

from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.reviews import services
from bellwether.reviews.models import COMPONENT_FIELDS, Review, ReviewStatus, ScoreEntry

ACTOR_LABEL = "bellwether demo"
PRIORITIES = (
    "Use an AI assistant in weekly planning",
    "Complete the AI ethics module",
    "Coach two team leads on AI experimentation",
    "Read the monthly AI industry trend briefing",
)
GOALS = (
    "Launch one AI pilot with a measured baseline",
    "Raise team confidence in AI leadership by 10 points",
    "Share one AI success story at the town hall",
    "Hold a monthly AI office hour for the team",
)
REASONS = (
    "Led the claims-triage pilot beyond what the data shows.",
    "Calibrated against peers at the same level.",
    "Team pulse dipped after the reorganisation; discussed and agreed.",
    "Sponsored two new experiments this quarter.",
)


def last_quarters(today: dt.date, count: int = 2) -> list[str]:
    """The ``count`` most recent completed quarters, oldest first ("2026-Q1")."""
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _ in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        out.append(f"{year}-Q{quarter}")
    return out[::-1]


def build_demo(*, organisation: Organisation, seed: int) -> str:
    started = time.perf_counter()
    rng = random.Random(seed * 7919 + 16)
    now = timezone.now()
    opened = 0
    with transaction.atomic():
        for number, quarter in enumerate(last_quarters(timezone.localdate())):
            try:
                cycle = services.open_cycle(organisation=organisation, quarter=quarter, actor=None)
            except DomainError:
                return "reviews: no leaders to review"
            older = number == 0
            reviews = list(Review.objects.filter(cycle=cycle).order_by("id"))
            entries = []
            for review in reviews:
                roll = rng.random()
                status = (
                    ReviewStatus.ACKNOWLEDGED
                    if roll < (0.85 if older else 0.3)
                    else ReviewStatus.SUBMITTED
                    if roll < (0.95 if older else 0.55)
                    else ReviewStatus.DRAFT
                )
                if rng.random() < 0.2:
                    key = rng.choice(list(COMPONENT_FIELDS))
                    field = COMPONENT_FIELDS[key]
                    value = max(
                        0,
                        min(
                            services.WEIGHTS[key],
                            getattr(review, field) + rng.choice((-4, -2, 2, 3, 5)),
                        ),
                    )
                    setattr(review, field, value)
                    entries.append(
                        ScoreEntry(
                            organisation=organisation,
                            review=review,
                            component=key,
                            value=value,
                            kind=ScoreEntry.Kind.ADJUSTED,
                            reason=rng.choice(REASONS),
                            actor_label=ACTOR_LABEL,
                        )
                    )
                review.total = review.personal + review.team + review.organisational
                review.status = status
                if status != ReviewStatus.DRAFT:
                    review.development_priorities = rng.sample(PRIORITIES, 2)
                    review.next_quarter_goals = rng.sample(GOALS, 2)
                    review.submitted_at = now - dt.timedelta(days=rng.randint(10, 60))
                if status == ReviewStatus.ACKNOWLEDGED:
                    review.acknowledged_at = now - dt.timedelta(days=rng.randint(1, 9))
            Review.objects.bulk_update(
                reviews,
                [
                    *COMPONENT_FIELDS.values(),
                    "total",
                    "status",
                    "development_priorities",
                    "next_quarter_goals",
                    "submitted_at",
                    "acknowledged_at",
                ],
                batch_size=500,
            )
            ScoreEntry.objects.bulk_create(entries)
            opened += len(reviews)
    return f"reviews: {opened} reviews over two quarters ({time.perf_counter() - started:.1f}s)"
