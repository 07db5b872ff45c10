"""Peer networks (§3.2): mentorship match runs and pairs with their check-ins; roundtables
and summits with their invitations, RSVPs and attendance."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.core.models import TenantModel
from bellwether.people.models import Person


class RunStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    PUBLISHED = "published", "Published"
    SUPERSEDED = "superseded", "Superseded"


class MatchRun(TenantModel):
    """One run of the matcher: its proposals stay proposed until an admin publishes
    the run; a newer run supersedes an unpublished one."""

    status = models.CharField(max_length=12, choices=RunStatus.choices, default=RunStatus.PROPOSED)
    capacity = models.PositiveSmallIntegerField()
    mentors = models.PositiveIntegerField(default=0)
    mentees = models.PositiveIntegerField(default=0)
    total_score = models.FloatField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"Match run {self.pk} ({self.status})"


class PairStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Ended"
    WITHDRAWN = "withdrawn", "Withdrawn"


class Pairing(TenantModel):
    """A mentor and a mentee: proposed by a run, active once published, ended with an
    outcome (a catalogue key, ``MENTORSHIP.outcomes``)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="pairings")
    mentor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentee_pairings")
    mentee = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="mentor_pairings")
    status = models.CharField(
        max_length=12, choices=PairStatus.choices, default=PairStatus.PROPOSED
    )
    score = models.FloatField()
    reasons = models.JSONField(default=list)
    mentor_band_key = models.CharField(max_length=40)
    mentee_band_key = models.CharField(max_length=40)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome_key = models.CharField(max_length=60, blank=True)
    outcome_note = models.TextField(blank=True)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["mentor__name", "mentee__name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(mentor=models.F("mentee")), name="peers_no_self_pairing"
            ),
            models.UniqueConstraint(
                fields=["mentee"],
                condition=models.Q(status="active"),
                name="peers_one_active_mentor_per_mentee",
            ),
            models.UniqueConstraint(fields=["run", "mentee"], name="peers_one_proposal_per_mentee"),
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"{self.mentor} mentors {self.mentee}"


class CheckIn(TenantModel):
    """A monthly check-in of a pair: the catalogue's questions and the answers."""

    pairing = models.ForeignKey(Pairing, on_delete=models.CASCADE, related_name="check_ins")
    held_on = models.DateField()
    answers = models.JSONField(default=dict)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]


class EventKind(models.TextChoices):
    # The catalogue's peer forums (``PEER_FORUMS`` keys).
    ROUNDTABLE = "peer.roundtable", "Roundtable"
    SUMMIT = "peer.summit", "Summit"


class PeerEvent(TenantModel):
    """A roundtable or a summit."""

    kind = models.CharField(max_length=20, choices=EventKind.choices)
    topic = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=200, blank=True)
    agenda = models.TextField(blank=True)
    # One speaker a line; external experts too (free text: name, organisation).
    speakers = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    takeaways = models.TextField(blank=True)
    attendance_recorded = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-starts_at", "-id"]
        indexes = [models.Index(fields=["organisation", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="peers_event_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.topic

    def speaker_lines(self) -> list[str]:
        return [line.strip() for line in self.speakers.splitlines() if line.strip()]


class Rsvp(models.TextChoices):
    PENDING = "pending", "No answer yet"
    YES = "yes", "Attending"
    NO = "no", "Not attending"
    MAYBE = "maybe", "Maybe"


class EventInvitation(TenantModel):
    event = models.ForeignKey(PeerEvent, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="peer_invitations")
    rsvp = models.CharField(max_length=10, choices=Rsvp.choices, default=Rsvp.PENDING)
    attended = models.BooleanField(default=False)

    class Meta:
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="peers_one_invitation"),
        ]
        indexes = [models.Index(fields=["organisation", "person"])]
