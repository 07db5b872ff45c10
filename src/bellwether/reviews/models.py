"""Quarterly AI leadership reviews (§4.1): review cycles per quarter, one review per leader
and the append-only history of every component score (pre-filled, then adjusted)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from bellwether.accounts.models import Membership
from bellwether.core.models import TenantModel
from bellwether.framework.catalogue import review_weights
from bellwether.people.models import Person

WEIGHTS = review_weights()
#: Review component key (catalogue) → the Review field holding its current score.
COMPONENT_FIELDS = {
    "review.personal_development": "personal",
    "review.team_leadership": "team",
    "review.organisational_impact": "organisational",
}


class ReviewCycle(TenantModel):
    """The reviews of one quarter ("2026-Q1"): its dates and when reviews are due."""

    quarter = models.CharField(max_length=7)
    starts_on = models.DateField()
    ends_on = models.DateField()
    due_on = models.DateField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "quarter"], name="one_cycle_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"Reviews {self.quarter}"


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", "In progress"
    SUBMITTED = "submitted", "Shared with the leader"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"


class Review(TenantModel):
    """A leader's review in a cycle. The reviewer is an assigned reviewer
    (``accounts.Assignment`` of kind reviewee) where one is set, else the leader's manager.
    The current component scores are kept here for lists and calibration; their history is
    in ``ScoreEntry``."""

    cycle = models.ForeignKey(ReviewCycle, on_delete=models.CASCADE, related_name="reviews")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="ai_reviews")
    reviewer_person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewer_member = models.ForeignKey(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    personal = models.PositiveSmallIntegerField(default=0)
    team = models.PositiveSmallIntegerField(default=0)
    organisational = models.PositiveSmallIntegerField(default=0)
    total = models.PositiveSmallIntegerField(default=0)
    evidence = models.JSONField(default=list)  # the evidence as collected at pre-fill
    development_priorities = models.JSONField(default=list)
    next_quarter_goals = models.JSONField(default=list)
    submitted_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledgement_note = models.TextField(blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="one_review_per_leader"),
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{field}__lte": WEIGHTS[key] for key, field in COMPONENT_FIELDS.items()}
                ),
                name="review_scores_within_weights",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"Review of {self.person} ({self.cycle.quarter})"


class ScoreEntryIsAppendOnly(Exception):
    pass


class ScoreEntry(TenantModel):
    """One value of one component: the pre-filled one, then each adjustment with its
    written reason. Rows are only ever added."""

    class Kind(models.TextChoices):
        PREFILLED = "prefilled", "Pre-filled from evidence"
        ADJUSTED = "adjusted", "Adjusted by the reviewer"

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="score_entries")
    component = models.CharField(max_length=60)
    value = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ScoreEntryIsAppendOnly("A score entry is never changed.")
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.component} = {self.value} ({self.kind})"
