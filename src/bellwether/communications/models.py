"""Communication plans (Template 2), the delivery log, calendar feed tokens and the
alerts already sent (§2.3)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.accounts.models import Membership
from bellwether.core.models import TenantModel
from bellwether.people.models import Person


class CommunicationPlan(TenantModel):
    """A leader's Template 2, generated from their level's cadences, then edited.

    ``supporting`` maps each supporting-message key to the leader's words; ``audiences``
    maps each chosen audience key to how the leader customises it (the catalogue's focus
    to start with); ``calendar`` maps each calendar key (week 1, week 2, monthly,
    quarterly) to its activities."""

    person = models.OneToOneField(
        Person, on_delete=models.CASCADE, related_name="communication_plan"
    )
    objective = models.TextField(blank=True)
    primary_message = models.TextField(blank=True)
    supporting = models.JSONField(default=dict)
    audiences = models.JSONField(default=dict)
    channels = models.JSONField(default=list)
    calendar = models.JSONField(default=dict)
    cadence_keys = models.JSONField(default=list)
    revision = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person__name", "id"]

    def __str__(self) -> str:
        return f"Communication plan for {self.person}"


class Delivery(TenantModel):
    """One communication delivered. ``delivered_on`` is its day in the organisation's time
    zone; ``slot_start`` the first day of the cadence slot it is for (blank cadence: an
    extra communication that fulfils no slot)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="deliveries")
    cadence_key = models.CharField(max_length=120, blank=True)
    slot_start = models.DateField(null=True, blank=True)
    # The first delivery logged for its slot: the one the rhythm counts (a second one for
    # the same slot is kept in the log but fulfils nothing more).
    fulfils = models.BooleanField(default=False)
    delivered_at = models.DateTimeField()
    delivered_on = models.DateField()
    channel = models.CharField(max_length=80)
    audiences = models.JSONField(default=list)
    messages = models.JSONField(default=list)
    title = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    link = models.URLField(max_length=500, blank=True)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    logged_by_label = models.CharField(max_length=254, blank=True)
    # A file beside the link (slides, the email sent): under MEDIA_ROOT, owner-only, served
    # only through an access-checked, audited download; never a public address.
    attachment = models.FileField(upload_to="communications/%Y/%m/", blank=True, max_length=300)
    attachment_name = models.CharField(max_length=200, blank=True)
    # Logged by the leader's assistant on their behalf ("logged by X for Y").
    by_assistant = models.BooleanField(default=False)

    class Meta:
        ordering = ["-delivered_at", "-id"]
        indexes = [
            models.Index(fields=["person", "delivered_on"]),
            models.Index(fields=["organisation", "slot_start"]),
            # The KPI set's version stamp (insights/kept.py): count and last change.
            models.Index(fields=["organisation", "updated_at"], name="delivery_org_changed"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "cadence_key", "slot_start"],
                condition=models.Q(fulfils=True),
                name="one_fulfilling_delivery_per_slot",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.delivered_on} {self.channel}"


class FeedToken(TenantModel):
    """A member's calendar subscription: only the secret's digest is kept; revoking it (or
    making a new one) makes the old address answer 404."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]


class AlertPreference(TenantModel):
    """Which overdue alerts a member gets (both, unless they opt out)."""

    membership = models.OneToOneField(Membership, on_delete=models.CASCADE, related_name="+")
    daily_digest = models.BooleanField(default=True)
    weekly_summary = models.BooleanField(default=True)


class AlertSent(TenantModel):
    """An alert handed to the mail server: one per kind, member and period, so running
    the job twice sends nothing twice."""

    class Kind(models.TextChoices):
        DIGEST = "digest", "Daily digest"
        SUMMARY = "summary", "Weekly admin summary"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    period = models.DateField()
    overdue = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "membership", "period"], name="unique_communication_alert"
            )
        ]


class RatingRequest(TenantModel):
    """An audience asked to rate one delivery: an anonymous campaign of the survey engine
    (its sealed ballots, its release at close and the organisation's minimum).

    Only the figures the engine's release showed are copied here once the campaign is
    released (``collected``): the respondents and, for the effectiveness question, the
    answers counted and those "effective" or better. A release that showed nothing (fewer
    answers than the minimum, or withheld against an earlier release) leaves them empty,
    with the reason. Nothing here or anywhere in communications names a rater."""

    delivery = models.OneToOneField(Delivery, on_delete=models.CASCADE, related_name="rating")
    campaign = models.OneToOneField("surveys.Campaign", on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited = models.PositiveIntegerField(default=0)
    collected = models.BooleanField(default=False)
    respondents = models.PositiveIntegerField(null=True, blank=True)
    answered = models.PositiveIntegerField(null=True, blank=True)
    effective = models.PositiveIntegerField(null=True, blank=True)
    comprehension = models.FloatField(null=True, blank=True)  # favourable share, %
    engagement = models.FloatField(null=True, blank=True)  # favourable share, %
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["organisation", "collected"]),
            # The KPI set's version stamp (insights/kept.py): count and last change.
            models.Index(fields=["organisation", "updated_at"], name="rating_org_changed"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(effective__lte=models.F("answered")),
                name="rating_effective_within_answered",
            )
        ]


class Delegation(TenantModel):
    """A leader lets another member (their assistant) log deliveries and see their
    communications on their behalf, until revoked. Granting and revoking are audited."""

    leader = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    assistant = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["leader", "assistant"],
                condition=models.Q(revoked_at__isnull=True),
                name="one_live_delegation_per_assistant",
            )
        ]


class QuarterMeasure(TenantModel):
    """Template 2's "behaviour change" and "business impact" of a leader's communication
    for one quarter ("2026-Q3"), recorded by an admin."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    quarter = models.CharField(max_length=7)
    behaviour_change = models.TextField(blank=True)
    business_impact = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["person", "quarter"], name="one_measure_per_quarter")
        ]
