"""Influence map (§1.2): each leader's influence profile, the ties between leaders, and
the cached analytics and planner runs. Reporting lines come from the org data and are
never stored here."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.core.models import TenantModel
from bellwether.framework.catalogue import CATALOGUE

RATING_CHOICES = [("high", "High"), ("medium", "Medium"), ("low", "Low")]

# Model field -> catalogue metric key ("influence.formal_authority"...).
METRIC_FIELDS: dict[str, str] = {
    metric.key.split(".", 1)[1]: metric.key for metric in CATALOGUE.influence_metrics
}
TEXT_FIELDS: tuple[str, ...] = (
    "motivated_by",
    "concerned_about",
    "values_alignment",
    "coalition_potential",
    "approach",
    "messaging",
    "timing",
    "support_needed",
)
PROFILE_FIELDS: tuple[str, ...] = (*METRIC_FIELDS, *TEXT_FIELDS)

MIN_STRENGTH = 1
MAX_STRENGTH = 3


def _rating() -> models.CharField:
    return models.CharField(max_length=10, choices=RATING_CHOICES, blank=True, default="")


class InfluenceProfile(TenantModel):
    """The §1.2 Executive Influence Assessment for one leader."""

    person = models.OneToOneField(
        "people.Person", on_delete=models.CASCADE, related_name="influence_profile"
    )
    formal_authority = _rating()
    informal_influence = _rating()
    peer_respect = _rating()
    employee_following = _rating()
    external_credibility = _rating()
    motivated_by = models.TextField(blank=True)
    concerned_about = models.TextField(blank=True)
    values_alignment = models.TextField(blank=True)
    coalition_potential = models.TextField(blank=True)
    approach = models.TextField(blank=True)
    messaging = models.TextField(blank=True)
    timing = models.TextField(blank=True)
    support_needed = models.TextField(blank=True)

    class Meta:
        ordering = ["person__name", "id"]
        # The network's version stamp counts the profiles and reads the last change.
        indexes = [
            models.Index(
                fields=["organisation", "updated_at"], name="influence_profile_org_changed"
            )
        ]

    def __str__(self) -> str:
        return f"influence profile of {self.person}"

    def metrics(self) -> dict[str, str]:
        """Rated metrics by catalogue key; unrated ones are left out."""
        return {
            key: getattr(self, field)
            for field, key in METRIC_FIELDS.items()
            if getattr(self, field)
        }

    def values(self) -> dict[str, str]:
        return {field: getattr(self, field) for field in PROFILE_FIELDS}


class ProfileRevision(TenantModel):
    """One saved change to a profile: who, when, and each field's old and new value."""

    profile = models.ForeignKey(
        InfluenceProfile, on_delete=models.CASCADE, related_name="revisions"
    )
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_by_label = models.CharField(max_length=254, blank=True)
    # field -> [old, new]
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.profile} changed by {self.changed_by_label}"


class Tie(TenantModel):
    """``source`` influences ``target``, with a strength of 1 (weak) to 3 (strong)."""

    source = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="influence_ties_out"
    )
    target = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="influence_ties_in"
    )
    strength = models.PositiveSmallIntegerField(default=2)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["source__name", "target__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="unique_influence_tie"),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="influence_tie_not_self"
            ),
            models.CheckConstraint(
                condition=models.Q(strength__gte=MIN_STRENGTH, strength__lte=MAX_STRENGTH),
                name="influence_tie_strength_1_3",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "target"]),
            # The network's version stamp counts the ties and reads the last change.
            models.Index(fields=["organisation", "updated_at"], name="influence_tie_org_changed"),
        ]

    def __str__(self) -> str:
        return f"{self.source} influences {self.target} ({self.strength})"


class RunStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the worker"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class _Run(TenantModel):
    # The network's version stamp when the computation read it (selectors.network_version).
    version = models.CharField(max_length=64, db_index=True)
    status = models.CharField(max_length=10, choices=RunStatus.choices, default=RunStatus.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    results = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    computed_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # While the worker runs: how far (0-100) and what it is doing.
    progress = models.PositiveSmallIntegerField(default=0)
    stage = models.CharField(max_length=60, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]

    @property
    def is_done(self) -> bool:
        return self.status == RunStatus.DONE


class AnalysisRun(_Run):
    """Network analytics (index, PageRank, betweenness, communities, grid, messengers)."""

    class Meta(_Run.Meta):
        pass

    def __str__(self) -> str:
        return f"analysis {self.version[:8]} ({self.status})"


class PlannerRun(_Run):
    """A conversion plan: k picks under the independent-cascade model."""

    k = models.PositiveSmallIntegerField(default=5)
    runs = models.PositiveIntegerField(default=1000)
    seed = models.PositiveIntegerField(default=0)

    class Meta(_Run.Meta):
        pass

    def __str__(self) -> str:
        return f"plan k={self.k} ({self.status})"


class LeaderFigures(TenantModel):
    """One leader's figures in one finished analysis: what every influence page reads
    (paged in SQL) instead of recomputing the network per request."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="figures")
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    band_key = models.CharField(max_length=40, blank=True)
    influence_index = models.FloatField(default=0.0)
    pagerank = models.FloatField(default=0.0)
    betweenness = models.FloatField(default=0.0)
    in_degree = models.PositiveIntegerField(default=0)
    out_degree = models.PositiveIntegerField(default=0)
    community = models.PositiveIntegerField(default=0)
    # "" for a leader with no readiness band (outside the grid).
    quadrant = models.CharField(max_length=30, blank=True)
    # 1.. for the named brokers (highest betweenness first), else null.
    broker_rank = models.PositiveSmallIntegerField(null=True, blank=True)
    # The best messengers of a not-yet-engaged leader, as computed (with names then).
    messengers = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-influence_index", "person_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "person"], name="unique_figures_per_run"),
        ]
        indexes = [
            models.Index(fields=["run", "community", "-pagerank"]),
            models.Index(fields=["run", "quadrant", "-influence_index", "person"]),
        ]

    def __str__(self) -> str:
        return f"figures of person {self.person_id} in {self.run_id}"

    @property
    def band_name(self) -> str:
        from bellwether.influence.network import band_name

        return band_name(self.band_key or None)


class Community(TenantModel):
    """One community of a finished analysis: its size, its most central leaders, the mix
    of bands and how strongly it is tied to the others (the map's overview)."""

    run = models.ForeignKey(AnalysisRun, on_delete=models.CASCADE, related_name="community_rows")
    number = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    # Person ids, most central (PageRank) first; at most CENTRAL_PER_COMMUNITY.
    central = models.JSONField(default=list, blank=True)
    # band key ("" for not assessed) -> leaders.
    bands = models.JSONField(default=dict, blank=True)
    # other community number (as a string) -> summed tie strength between the two.
    links = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="unique_community_per_run"),
        ]

    def __str__(self) -> str:
        return f"community {self.number} of {self.run_id} ({self.size})"


class VersionStamp(TenantModel):
    """The network's version stamp as last read (one row per organisation), so a page
    reads one row instead of aggregating four tables: re-read when older than
    ``selectors.STAMP_TTL`` or cleared by a service that changed the network."""

    version = models.CharField(max_length=64, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="one_version_stamp_per_org"),
        ]

    def __str__(self) -> str:
        return f"version {self.version[:8]} checked {self.checked_at}"
