"""Behaviour check-ins, 360 observations, peer recognition and check-in reminders (§3.3).

A check-in is **one row per leader per day**, the day's ticks packed into one integer
(bit ``i`` is the catalogue's ``BEHAVIOURS[i]``, see ``consistency.BIT``), with the count
of ticks per frequency beside it. At 5,000 leaders that is 1.8M rows a year, against
up to 10M for one row per ticked behaviour; the organisation's consistency view is then
one pass adding ``count × weight`` per row (``selectors.py``), with no unpacking of bits
in SQL. A weekly or monthly behaviour is ticked at most once in its week or month (the
service drops a repeat), so the sums count each period once.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.behaviours import consistency
from bellwether.core.models import TenantModel
from bellwether.people.models import Person


class CheckIn(TenantModel):
    class Via(models.TextChoices):
        APP = "app", "In the app"
        LINK = "link", "One-tap link"
        API = "api", "API"
        IMPORT = "import", "Imported"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    done = models.PositiveIntegerField(default=0, help_text="Bit mask of ticked behaviours")
    daily = models.PositiveSmallIntegerField(default=0)
    weekly = models.PositiveSmallIntegerField(default=0)
    monthly = models.PositiveSmallIntegerField(default=0)
    late = models.BooleanField(default=False, help_text="Filled in after the day")
    via = models.CharField(max_length=10, choices=Via.choices, default=Via.APP)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-day"]
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="one_check_in_per_day"),
            models.CheckConstraint(
                condition=models.Q(daily__lte=5, weekly__lte=5, monthly__lte=5),
                name="check_in_counts_in_range",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "day"], name="check_in_org_day"),
            # The KPI set's version stamp (insights/kept.py): count and last change.
            models.Index(fields=["organisation", "updated_at"], name="check_in_org_changed"),
        ]

    def __str__(self) -> str:
        return f"check-in {self.person_id} {self.day}"

    def set_ticks(self, done: int) -> None:
        """The ticks and, kept beside them, how many of each frequency they are."""
        counts = consistency.counts(done)
        self.done = done
        self.daily, self.weekly, self.monthly = counts["daily"], counts["weekly"], counts["monthly"]


class Observation(TenantModel):
    """A peer's or direct report's confirmation of which behaviours they saw a leader
    show in one month. Shown only as aggregates of at least the 360 minimum."""

    class Relation(models.TextChoices):
        PEER = "peer", "Peer"
        DIRECT_REPORT = "direct_report", "Direct report"

    subject = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    observer = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    month = models.DateField(help_text="The first day of the month observed")
    seen = models.PositiveIntegerField(default=0, help_text="Bit mask of behaviours seen")
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["-month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["observer", "subject", "month"], name="one_observation_per_month"
            ),
            models.CheckConstraint(
                condition=~models.Q(observer=models.F("subject")), name="observation_not_self"
            ),
        ]
        indexes = [models.Index(fields=["organisation", "subject", "month"])]

    def __str__(self) -> str:
        return f"observation of {self.subject_id} ({self.month:%Y-%m})"


class Recognition(TenantModel):
    """ "Recognised Ana for supporting AI experimentation": seen by Ana, her manager and
    whoever gave it."""

    recognised = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    given_by = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    behaviour_key = models.CharField(max_length=80)
    message = models.CharField(max_length=280, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(recognised=models.F("given_by")), name="recognition_not_self"
            )
        ]
        indexes = [models.Index(fields=["organisation", "recognised", "created_at"])]

    def __str__(self) -> str:
        return f"recognition of {self.recognised_id}"


class Reminder(TenantModel):
    """A check-in reminder mailed for one leader and day: the daily job mails each once."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "day"], name="one_reminder_per_day")
        ]

    def __str__(self) -> str:
        return f"reminder {self.person_id} {self.day}"
