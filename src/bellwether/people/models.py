"""People and the org-unit tree, as imported from the organisation's HRIS."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.core.models import TenantModel


class LeaderLevel(models.TextChoices):
    """SPEC.md §1: executive = CEO/President and C-suite, senior = functional heads,
    operational = line leaders."""

    EXECUTIVE = "executive", "Executive"
    SENIOR = "senior", "Senior"
    OPERATIONAL = "operational", "Operational"


class OrgUnit(TenantModel):
    code = models.CharField(max_length=64, help_text="The unit's identifier in the HRIS export")
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialised path of ancestor ids ("/3/17/42/") so a subtree is one indexed prefix query.
    path = models.CharField(max_length=1000, blank=True, db_index=True)
    depth = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "code"], name="unique_unit_code_per_org"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(TenantModel):
    employee_id = models.CharField(max_length=64)
    name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    title = models.CharField(max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.SET_NULL, related_name="people"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    leader_level = models.CharField(
        max_length=20, choices=LeaderLevel.choices, blank=True, default=""
    )
    location = models.CharField(max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "employee_id"], name="unique_employee_id_per_org"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "name"]),
            models.Index(fields=["organisation", "leader_level"]),
            models.Index(fields=["organisation", "email"]),
            # The influence network's version stamp counts the active leaders and reads
            # their last change: a partial index holding only those rows.
            models.Index(
                fields=["organisation", "updated_at"],
                condition=models.Q(active=True) & ~models.Q(leader_level=""),
                name="people_leader_org_changed",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_leader(self) -> bool:
        return bool(self.leader_level)


class ImportJob(TenantModel):
    """One import of people or org units: the uploaded file, its mapping, progress and outcome."""

    class Kind(models.TextChoices):
        PEOPLE = "people", "People"
        ORG_UNITS = "org_units", "Org units"

    class Status(models.TextChoices):
        # The file's columns could not all be recognised: an admin must map them first.
        MAPPING = "mapping", "Waiting for the column mapping"
        PENDING = "pending", "Waiting for the worker"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Imported"
        PREVIEWED = "previewed", "Dry run finished"
        FAILED = "failed", "Refused"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PEOPLE)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    mapping = models.JSONField(default=dict, blank=True)
    dry_run = models.BooleanField(default=False)
    deactivate_absent = models.BooleanField(default=False)
    #: The order of the file's start dates (``importing.DATE_FORMAT_CHOICES``); ``auto``:
    #: the file's own, when its dates settle it.
    date_format = models.CharField(max_length=8, default="auto")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    phase = models.CharField(max_length=80, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.filename} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in {self.Status.SUCCEEDED, self.Status.PREVIEWED} else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCEEDED, self.Status.PREVIEWED, self.Status.FAILED}
