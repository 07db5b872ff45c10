"""Coaching (§3.1): coaches and their capacity, the history of who coached and reviewed
whom, 12-week programmes with their milestones, sessions and carried action items.

``accounts.Assignment`` stays the access source (every app's rules read it); the
coaching services keep it in step with ``AssignmentRecord``, which keeps the history.
"""

from __future__ import annotations

from django.db import models

from bellwether.accounts.models import Membership, User
from bellwether.core.models import Organisation
from bellwether.people.models import Person


class AssignmentKind(models.TextChoices):
    # The same values as accounts.Assignment.Kind.
    COACHEE = "coachee", "Coach"
    REVIEWEE = "reviewee", "Reviewer"


class CoachProfile(models.Model):
    """A coach's capacity and whether they are external (not an employee). Keyed by
    user so an external coach invited but not yet joined already has one."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    capacity = models.PositiveIntegerField()
    is_external = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="one_coach_profile")
        ]

    def __str__(self) -> str:
        return f"{self.user} (capacity {self.capacity})"


class AssignmentRecord(models.Model):
    """One period of a coach coaching (or a reviewer reviewing) a leader. Open while
    ``ended_at`` is empty; a reassignment ends it and opens another."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=AssignmentKind.choices)
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=300, blank=True)
    assigned_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "kind"],
                condition=models.Q(ended_at__isnull=True),
                name="one_open_assignment_per_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.membership} → {self.person} ({self.kind})"


class Programme(models.Model):
    """A coachee's 12-week programme: its start, the plan made in weeks 1–2."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    coach = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    start_date = models.DateField()
    focus_areas = models.JSONField(default=list)  # catalogue focus-area keys
    success_metrics = models.JSONField(default=list)  # catalogue metric keys
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        constraints = [models.UniqueConstraint(fields=["person"], name="one_programme_per_coachee")]

    def __str__(self) -> str:
        return f"programme of {self.person} from {self.start_date}"


class Milestone(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    phase_key = models.CharField(max_length=80)
    text = models.CharField(max_length=300)
    due_week = models.PositiveSmallIntegerField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_week", "id"]

    def __str__(self) -> str:
        return self.text


class Session(models.Model):
    """One coaching session in the §3.1 template. Its content (the pre-session answers,
    notes, goals, metrics) is private to the coach and the coachee; admins see only
    that it happened (number and date)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="sessions")
    coach = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveSmallIntegerField()
    date = models.DateField()
    pre_session = models.JSONField(default=dict)  # catalogue question key -> answer
    pre_session_at = models.DateTimeField(null=True, blank=True)
    focus_areas = models.JSONField(default=list)
    notes = models.TextField(blank=True)
    notes_shared = models.BooleanField(default=False)
    next_session_goals = models.JSONField(default=list)
    metrics = models.JSONField(default=dict)  # catalogue metric key -> 1..5
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["programme", "number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="one_session_number")
        ]

    def __str__(self) -> str:
        return f"session {self.number} of {self.programme.person}"


class ItemStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


class ItemDecision(models.TextChoices):
    KEEP = "keep", "Keep"
    CHANGE = "change", "Change"
    DROP = "drop", "Drop"


class ActionItem(models.Model):
    """An action agreed in a session. Open items appear in every later session until
    done or dropped; ``carries`` counts the sessions it has been carried into since the
    coach last decided on it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items")
    raised_in = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="raised_items")
    closed_in = models.ForeignKey(
        Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="closed_items"
    )
    text = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=ItemStatus.choices, default=ItemStatus.OPEN)
    carries = models.PositiveSmallIntegerField(default=0)
    decision = models.CharField(max_length=10, choices=ItemDecision.choices, blank=True)
    decision_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["raised_in__number", "id"]

    def __str__(self) -> str:
        return self.text
