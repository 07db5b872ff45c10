"""Organisations (tenants) and the append-only audit log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Organisation(models.Model):
    """A tenant: every domain row belongs to exactly one organisation."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    created_at = models.DateTimeField(auto_now_add=True)
    # Set only by `bellwether demo`: `demo --replace` deletes and rebuilds an organisation
    # only when this is set, so a real organisation can never be wiped by mistake.
    is_demo = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


def org_id_of(organisation: Organisation | int) -> int:
    """The organisation's id, for reads that take either the row or its id."""
    return organisation if isinstance(organisation, int) else organisation.pk


class TenantModel(models.Model):
    """Base for every domain row: it belongs to an organisation and knows when it changed."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditLogIsAppendOnly(Exception):
    pass


class AuditEvent(models.Model):
    """Who did what to what, and when. Rows are only ever added."""

    # Every action writes an event: a database constraint would lock the organisation's
    # row for each (KEY SHARE), all at once in a busy pulse. Django still cascades. The
    # indexes below lead with it, so it needs none of its own.
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="audit_events",
        db_constraint=False,
        db_index=False,
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as text so the record stays readable after the account is gone.
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=80, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    details = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["organisation", "action"]),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise AuditLogIsAppendOnly("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AuditLogIsAppendOnly("audit events cannot be deleted")


class ScheduledRun(models.Model):
    """One run of a scheduled job (``core/scheduler.py``) for one due time.

    The pair (job, due time) is unique: a scheduler claims a run by inserting its row,
    so when two schedulers (two cron entries, two machines) look at the same moment,
    one insert wins and the other skips the job. A run that fails stays failed for that
    due time; the next due time runs it again.
    """

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    job = models.CharField(max_length=80)
    due_at = models.DateTimeField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the job said it did ("12 reminder(s) sent"), or the error's class and message.
    outcome = models.CharField(max_length=500, blank=True)
    host = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-due_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["job", "due_at"], name="core_scheduled_run_once")
        ]
        indexes = [models.Index(fields=["job", "-due_at"])]

    def __str__(self) -> str:
        return f"{self.job} {self.due_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def error_kind(self) -> str:
        """A failure's kind ("RuntimeError"), without its message: the page is shown to
        every organisation's admins, and a message may name another's data."""
        return self.outcome.partition(":")[0] if self.status == self.Status.FAILED else ""
