"""Personal learning plans by tier (§2.2, Template 3) and the visioning workshops (§2.1)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.core.models import TenantModel
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

MILESTONE_NAMES = {m.key: m.name for m in CATALOGUE.development_plan.milestone_reviews}

# --- Learning plans ------------------------------------------------------------------------------


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    ACTIVE = "active", "Active"
    COMPLETED = "completed", "Completed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (PlanStatus.DRAFT, PlanStatus.AGREED, PlanStatus.ACTIVE)


class OrgModule(TenantModel):
    """A module the organisation offers next to the framework's: an internal course or a
    vendor's (with its address)."""

    class Kind(models.TextChoices):
        INTERNAL = "internal", "Internal course"
        VENDOR = "vendor", "Vendor course"

    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.INTERNAL)
    url = models.CharField(max_length=500, blank=True)
    hours = models.FloatField()
    tier_key = models.CharField(max_length=80)
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    dimension = models.CharField(max_length=40, blank=True)
    equivalent_to = models.CharField(
        max_length=120, blank=True, help_text="A framework module key this module may replace"
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0), name="org_module_hours_positive"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def key(self) -> str:
        return f"org.{self.pk}"


class LearningPlan(TenantModel):
    """A leader's development plan: the tiers they take, who supports them, its state.
    A leader has at most one open plan (draft, agreed or active)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learning_plans")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    # Tier keys joined by commas, in tier order (no key is a prefix of another).
    tiers_text = models.CharField(max_length=200, blank=True)
    tier_rule = models.CharField(max_length=300, blank=True)
    tier_override_reason = models.CharField(max_length=500, blank=True)
    dimension_order = models.JSONField(default=list, blank=True)
    start_date = models.DateField()
    coach = models.ForeignKey(
        "accounts.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mentor = models.CharField(max_length=200, blank=True)
    peer_group = models.CharField(max_length=200, blank=True)
    practice = models.JSONField(default=list, blank=True)
    success_metrics = models.JSONField(default=list, blank=True)
    leader_agreed_at = models.DateTimeField(null=True, blank=True)
    reviewer_agreed_at = models.DateTimeField(null=True, blank=True)
    reviewer_agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    activated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["person__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status__in=["draft", "agreed", "active"]),
                name="one_open_learning_plan_per_person",
            )
        ]
        indexes = [models.Index(fields=["organisation", "status"])]

    def __str__(self) -> str:
        return f"Learning plan of {self.person}"

    @property
    def tiers(self) -> list[str]:
        return [t for t in self.tiers_text.split(",") if t]


class PlanItem(TenantModel):
    """One module or goal on a plan. Never deleted once the plan is agreed: a removed or
    swapped item keeps its row (``removed_at``, ``replaced_by``) and its progress."""

    class Source(models.TextChoices):
        TEMPLATE = "template", "Template 3"
        TIER = "tier", "Learning tier"
        ORGANISATION = "organisation", "Organisation's module"
        REVIEW = "review", "Quarterly review"
        WORKSHOP = "workshop", "Visioning workshop"
        MANUAL = "manual", "Added by hand"

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="items")
    key = models.CharField(max_length=120, blank=True)
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=20, choices=Source.choices)
    tier_key = models.CharField(max_length=80, blank=True)
    month = models.PositiveSmallIntegerField(null=True, blank=True)
    dimension = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField(default=0)
    planned_hours = models.FloatField(default=0)
    due = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    hours_spent = models.FloatField(null=True, blank=True)
    evidence_link = models.CharField(max_length=500, blank=True)
    note = models.TextField(blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)
    replaced_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )

    class Meta:
        ordering = ["plan_id", "month", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(planned_hours__gte=0), name="plan_item_hours_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(hours_spent__isnull=True) | models.Q(hours_spent__gte=0),
                name="plan_item_spent_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "completed_on"])]

    def __str__(self) -> str:
        return self.title


class MilestoneReview(TenantModel):
    """A 30/60/90-day review of a plan: due relative to its start, recorded by a coach or
    an admin with a rating and notes."""

    plan = models.ForeignKey(LearningPlan, on_delete=models.CASCADE, related_name="milestones")
    key = models.CharField(max_length=80)
    due = models.DateField()
    reviewed_on = models.DateField(null=True, blank=True)
    rating = models.CharField(max_length=80, blank=True)
    notes = models.TextField(blank=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["plan_id", "due", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="one_milestone_per_key"),
        ]
        indexes = [models.Index(fields=["organisation", "due"])]

    def __str__(self) -> str:
        return f"{self.key} of plan {self.plan_id}"

    @property
    def name(self) -> str:
        """The catalogue's name ("30-day check-in"), else the key."""
        return MILESTONE_NAMES.get(self.key, self.key)


class GenerationJob(TenantModel):
    """A background generation of plans for a cohort, with its progress."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for the worker"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    cohort = models.JSONField(default=dict)
    start_date = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)
    error = models.CharField(max_length=500, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"generation {self.pk} ({self.status})"

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if self.status == self.Status.SUCCEEDED else 0
        return min(100, round(100 * self.processed / self.total))


# --- Visioning workshops ---------------------------------------------------------------------------


class Workshop(TenantModel):
    """One of the three visioning sessions (catalogue key), as scheduled and held."""

    session_key = models.CharField(max_length=80)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=300, blank=True)
    link = models.CharField(max_length=500, blank=True)
    facilitator = models.CharField(max_length=200, blank=True)
    agenda = models.JSONField(default=list)  # [{"title": str, "minutes": int}]
    held_at = models.DateTimeField(null=True, blank=True)
    summary = models.TextField(blank=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "session_key"], name="one_workshop_per_session"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="workshop_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.session_key


class WorkshopInvite(TenantModel):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="invites")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["workshop_id", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["workshop", "person"], name="one_invite_per_person"),
        ]


class VisionStatement(TenantModel):
    """A version of the organisation's AI vision; the latest adopted one is the vision."""

    workshop = models.ForeignKey(
        Workshop, null=True, blank=True, on_delete=models.SET_NULL, related_name="statements"
    )
    version = models.PositiveIntegerField()
    text = models.TextField()
    adopted_at = models.DateTimeField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "version"], name="unique_vision_version"
            ),
        ]

    def __str__(self) -> str:
        return f"Vision v{self.version}"


class VisionMetric(TenantModel):
    """A success metric the executives agreed: a KPI (catalogue key) and its target."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="metrics")
    kpi_key = models.CharField(max_length=80)
    target = models.CharField(max_length=200)
    due = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["workshop_id", "id"]


class ResourceCommitment(TenantModel):
    """Committed investment or resources: amount, owner, due date, and when it was in fact
    allocated (KPI "resources allocated on schedule")."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="resources")
    description = models.CharField(max_length=300)
    amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    due = models.DateField()
    allocated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True) | models.Q(amount__gte=0),
                name="resource_amount_not_negative",
            )
        ]


class Commitment(TenantModel):
    """A leader's commitment or role definition from a workshop; it becomes an item on
    their plan when they have one open, otherwise it stays an action with an owner."""

    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="commitments")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    due = models.DateField(null=True, blank=True)
    plan_item = models.ForeignKey(
        PlanItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due", "id"]
