"""Readiness cycles: who is assessed, who rates them, and each leader's stored result.

A cycle runs on one confidential survey campaign (the surveys engine keeps each rating
sealed until the cycle closes); this app keeps the cycle's leaders, their raters
(assigned by an admin or nominated by the leader and approved), every change to the
raters made after the cycle opened (``RaterChange``), and a ``LeaderResult`` per leader
written once, when the cycle's results are released (``release.py``): the scores and
the rater groups as published, read as stored afterwards.
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
    # Set once, when the closed cycle's ratings were opened, scored and published
    # (``release.release_cycle``). Until then no rater-based result exists anywhere.
    released_at = models.DateTimeField(null=True, blank=True)

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

    @property
    def is_released(self) -> bool:
        return self.released_at is not None

    def is_late(self, now: dt.datetime | None = None) -> bool:
        """Raters are fixed when the cycle opens: a change from then on is "late"."""
        return (now or timezone.now()) >= self.opens_at


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
    # The address the invitation went to: a later change of the person's e-mail (a link
    # then reaching another mailbox) is a late change of this rater.
    invited_email = models.CharField(max_length=254, blank=True)

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


class RaterChange(TenantModel):
    """A rater added, removed, sent a new link, or whose e-mail changed after the cycle
    opened. Whoever received such a link may not be the rater (an administrator adding
    people whose mailboxes they control), so each change raises the minimum of the
    leader's group it touches by one, and the leader's report says how many there were."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added after the cycle opened"
        REMOVED = "removed", "Removed after the cycle opened"
        RESENT = "resent", "Sent a new link after the cycle opened"
        EMAIL_CHANGED = "email_changed", "E-mail changed after the invitation"

    cycle = models.ForeignKey(ReadinessCycle, on_delete=models.CASCADE, related_name="changes")
    leader = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    # Who the change was about (kept after a removal deletes the rater row).
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    category = models.CharField(max_length=20)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["cycle", "leader", "created_at", "id"]
        indexes = [models.Index(fields=["cycle", "leader"])]

    def __str__(self) -> str:
        return f"{self.kind} rater {self.person_id} of {self.leader_id}"


class LeaderResult(TenantModel):
    """A leader's score for a released cycle (``score`` is ``LeaderScore.to_json()``;
    ``groups`` the rater groups published beside it, see ``release.py``)."""

    cycle = models.ForeignKey(ReadinessCycle, on_delete=models.CASCADE, related_name="results")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    total = models.FloatField(null=True, blank=True)
    band_key = models.CharField(max_length=80, blank=True)
    self_reported = models.BooleanField(default=False)
    self_total = models.FloatField(null=True, blank=True)
    others_total = models.FloatField(null=True, blank=True)
    others_count = models.PositiveIntegerField(default=0)
    score = models.JSONField(default=dict, blank=True)
    groups = models.JSONField(default=dict, blank=True)
    computed_at = models.DateTimeField(default=timezone.now)
    # What the pages read of ``score``, copied out of it when the result is stored, so a
    # page showing thousands of leaders never loads the whole document: each dimension's
    # score of record (key → score or null) and the keys of the failure modes and priorities.
    dimensions = models.JSONField(default=dict, blank=True)
    failure_modes = models.JSONField(default=list, blank=True)
    priorities = models.JSONField(default=list, blank=True)

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
            # The influence network's version stamp counts the scored results and reads
            # their last change: a partial index holding only those rows.
            models.Index(
                fields=["organisation", "updated_at"],
                condition=models.Q(total__isnull=False) & ~models.Q(band_key=""),
                name="assess_scored_org_changed",
            ),
        ]

    def __str__(self) -> str:
        return f"result {self.person_id} in cycle {self.cycle_id}"
