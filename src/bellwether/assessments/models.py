"""Readiness cycles: who is assessed, who rates them, and each leader's stored result.

A cycle runs on one confidential survey campaign (the surveys engine stores the
ratings); this app keeps the cycle's leaders, their raters (assigned by an admin or
nominated by the leader and approved), and a ``LeaderResult`` per leader that is
re-computed on every submitted rating, so reports never re-read raw answers.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from bellwether.core.models import TenantModel


class RaterMode(models.TextChoices):
    ASSIGNED = "assigned", "Assigned by an admin"
    NOMINATED = "nominated", "Nominated by the leader, approved by an admin"


class Category(models.TextChoices):
    SELF = "self", "Self"
    MANAGER = "manager", "Manager"
    PEER = "peer", "Peer"
    DIRECT_REPORT = "direct_report", "Direct report"


# Categories whose ratings are shown as such (the invitation says so).
DISCLOSED_CATEGORIES = frozenset({Category.SELF.value, Category.MANAGER.value})
RATER_CATEGORIES = (Category.MANAGER.value, Category.PEER.value, Category.DIRECT_REPORT.value)


class ReadinessCycle(TenantModel):
    """One round of the readiness assessment, on one confidential campaign."""

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    name = models.CharField(max_length=200)
    campaign = models.OneToOneField(
        "surveys.Campaign", on_delete=models.PROTECT, related_name="readiness_cycle"
    )
    rater_mode = models.CharField(
        max_length=20, choices=RaterMode.choices, default=RaterMode.ASSIGNED
    )
    # Mirrors of the campaign's window (kept in step by the services).
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opens_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")),
                name="readiness_cycle_closes_after_it_opens",
            )
        ]
        indexes = [models.Index(fields=["organisation", "-opens_at"])]

    def __str__(self) -> str:
        return self.name

    def status_at(self, now: dt.datetime | None = None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.Status.SCHEDULED
        if now >= self.closes_at:
            return self.Status.CLOSED
        return self.Status.OPEN

    @property
    def status(self) -> str:
        return self.status_at()

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class CycleLeader(TenantModel):
    """A leader assessed in a cycle (their self-assessment invitation is on the campaign)."""

    cycle = models.ForeignKey(ReadinessCycle, on_delete=models.CASCADE, related_name="leaders")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["cycle", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="one_cycle_leader_per_person")
        ]
        indexes = [models.Index(fields=["organisation", "person"])]

    def __str__(self) -> str:
        return f"cycle {self.cycle_id} leader {self.person_id}"


class Rater(TenantModel):
    """Someone asked to rate a leader: proposed (nominated), approved (invited) or rejected."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Awaiting approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    cycle = models.ForeignKey(ReadinessCycle, on_delete=models.CASCADE, related_name="raters")
    leader = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(
        max_length=20,
        choices=[(c.value, c.label) for c in Category if c != Category.SELF],
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    invitation = models.OneToOneField(
        "surveys.Invitation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="readiness_rater",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "leader", "category", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "leader", "person"], name="one_rater_row_per_leader"
            ),
            models.CheckConstraint(
                condition=~models.Q(leader=models.F("person")), name="rater_is_not_the_leader"
            ),
            models.CheckConstraint(
                condition=models.Q(category__in=list(RATER_CATEGORIES)),
                name="rater_category_known",
            ),
        ]
        indexes = [
            models.Index(fields=["cycle", "status"]),
            models.Index(fields=["cycle", "person"]),
        ]

    def __str__(self) -> str:
        return f"rater {self.person_id} of {self.leader_id} ({self.category})"


class LeaderResult(TenantModel):
    """A leader's stored score for a cycle (``score`` is ``LeaderScore.to_json()``)."""

    cycle = models.ForeignKey(ReadinessCycle, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    total = models.FloatField(null=True, blank=True)
    band_key = models.CharField(max_length=80, blank=True)
    self_reported = models.BooleanField(default=False)
    self_total = models.FloatField(null=True, blank=True)
    others_total = models.FloatField(null=True, blank=True)
    others_count = models.PositiveIntegerField(default=0)
    score = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cycle", "person"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "person"], name="one_result_per_leader"),
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(total__gte=20, total__lte=100),
                name="leader_result_total_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "person"]),
            models.Index(fields=["cycle", "band_key"]),
        ]

    def __str__(self) -> str:
        return f"result {self.person_id} in cycle {self.cycle_id}"
