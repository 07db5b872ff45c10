"""Barrier diagnostics (§1.3) and engagement plans (Template 1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.core.models import TenantModel
from bellwether.people.models import Person


class BarrierWeight(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"


class BarrierMark(TenantModel):
    """One ticked line of a leader's checklist: a barrier or a level concern (catalogue
    key), primary or secondary. An unticked line has no row."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="barrier_marks")
    key = models.CharField(max_length=120)
    weight = models.CharField(max_length=10, choices=BarrierWeight.choices)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person_id", "key"]
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="unique_barrier_mark"),
        ]
        indexes = [models.Index(fields=["organisation", "key"])]

    def __str__(self) -> str:
        return f"{self.key} ({self.weight})"


class BarrierChange(TenantModel):
    """History of the checklist: one row per line changed (``before``/``after`` are
    "primary", "secondary" or "" for not ticked)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="barrier_changes")
    key = models.CharField(max_length=120)
    before = models.CharField(max_length=10, blank=True)
    after = models.CharField(max_length=10, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    UNDER_REVIEW = "under_review", "Under review"


class EngagementPlan(TenantModel):
    """A leader's plan: the generated Template 1 content (JSON, then edited) and the few
    fields lists filter and sort on."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="engagement_plan")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    content = models.JSONField(default=dict)
    band_key = models.CharField(max_length=40, blank=True)
    target_band_key = models.CharField(max_length=40, blank=True)
    start_date = models.DateField()
    next_review_due = models.DateField(null=True, blank=True)
    next_review_key = models.CharField(max_length=80, blank=True)
    resource_constraints = models.TextField(blank=True)
    generated_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person__name", "id"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "next_review_due"]),
        ]

    def __str__(self) -> str:
        return f"Engagement plan for {self.person}"


class PlanRevision(TenantModel):
    """Every change to a plan, kept: who, when, what (a diff) and the content after it."""

    plan = models.ForeignKey(EngagementPlan, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=40)  # generated / edited / status / review
    summary = models.CharField(max_length=500)
    diff = models.JSONField(default=dict)
    snapshot = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=PlanStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(max_length=254, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="unique_plan_revision"),
        ]


class PlanReview(TenantModel):
    """A review of the schedule recorded as done."""

    plan = models.ForeignKey(EngagementPlan, on_delete=models.CASCADE, related_name="reviews")
    cadence_key = models.CharField(max_length=80)
    due_date = models.DateField()
    done_at = models.DateTimeField()
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["due_date", "cadence_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "cadence_key", "due_date"], name="unique_plan_review"
            ),
        ]
