"""AI initiatives and their alignment package (seed 003), decision rights (seed 004) and
adoption curve (seed 001). Framework vocabulary (stages, gates, layers…) is stored by
its catalogue key."""

from __future__ import annotations

from django.db import models

from bellwether.core.models import TenantModel
from bellwether.framework.catalogue import CATALOGUE, OUTCOME_CHAIN_STEPS
from bellwether.initiatives.alignment import (
    COMPARISON_NONE,
    EARLY_ADOPTERS,
    GATE_NAMES,
    MAJORITY,
    STAGE_IDEA,
    rate,
)

ARCHETYPE_CHOICES = [(a.key, a.name) for a in CATALOGUE.archetypes]
STAGE_CHOICES = [(s.key, s.name) for s in CATALOGUE.initiative_stages]
LAYER_CHOICES = [(m.key, m.name) for m in CATALOGUE.metric_layers]
COMPARISON_CHOICES = [(m.key, m.name) for m in CATALOGUE.comparison_methods]
CHAIN_CHOICES = [(s.key, s.name) for s in OUTCOME_CHAIN_STEPS]
GATE_CHOICES = list(GATE_NAMES.items())
IMPACT_CHOICES = [(c.key, c.name) for c in CATALOGUE.change_impacts]
ELEMENT_CHOICES = [(e.key, e.name) for e in CATALOGUE.alignment_elements]

STAGE_ORDER = {s.key: s.order for s in CATALOGUE.initiative_stages}

# RACI for the operating model (seed 003's "RACI, incident response, retraining triggers").
RACI_ACTIVITIES = {
    "monitoring": "Monitoring",
    "incidents": "Incidents",
    "retraining": "Retraining",
    "change_approval": "Change approval",
}
RACI_ROLES = ("responsible", "accountable", "consulted", "informed")


class Horizon(models.TextChoices):
    H1 = "H1", "H1"
    H2 = "H2", "H2"
    H3 = "H3", "H3"


class BottleneckTeam(TenantModel):
    """A shared team (legal, security, data engineering) that caps initiatives in flight."""

    name = models.CharField(max_length=120)
    catalogue_key = models.CharField(max_length=80, blank=True)
    cap = models.PositiveIntegerField(help_text="Initiatives in flight that may need this team")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="unique_team_per_org")
        ]

    def __str__(self) -> str:
        return self.name


class Initiative(TenantModel):
    name = models.CharField(max_length=200)
    problem = models.TextField(blank=True)
    archetype = models.CharField(max_length=80, choices=ARCHETYPE_CHOICES)
    horizon = models.CharField(max_length=2, choices=Horizon.choices, default=Horizon.H1)
    stage = models.CharField(max_length=40, choices=STAGE_CHOICES, default=STAGE_IDEA)
    sponsor = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="sponsored_initiatives"
    )
    teams_involved = models.TextField(blank=True)
    # Operating model
    business_owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    model_owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    operational_owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    raci = models.JSONField(default=dict, blank=True)  # activity → {role: text}
    incident_process = models.TextField(blank=True)
    rollback_procedure = models.TextField(blank=True)
    on_call = models.TextField(blank=True)
    # Change load
    new_work = models.TextField(blank=True)
    training = models.TextField(blank=True)
    incentives = models.TextField(blank=True)
    controls = models.TextField(blank=True)
    dependencies = models.TextField(blank=True)
    risk_posture = models.TextField(blank=True)
    # Before/after across the catalogue's dimensions: dimension key → {"before", "after"}.
    before_after = models.JSONField(default=dict, blank=True)
    signatories = models.ManyToManyField(
        "people.Person", through="Signatory", related_name="initiatives_to_sign"
    )

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["organisation", "stage"])]

    def __str__(self) -> str:
        return self.name


class Signatory(TenantModel):
    """An executive who takes part in the alignment on the initiative's package.

    ``required``: named by the sponsor (or an admin) as one who must sign; alignment is
    measured over the required signatories only, and one who stays silent counts against
    it. An executive who gives a position without being named is kept (not required) so
    that the position is shown. Rows that existed before the field were all made required:
    they were the executives named or who had already given a position.
    """

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE)
    person = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    required = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "person"], name="unique_signatory")
        ]


class ChainLink(TenantModel):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="chain")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=60, choices=CHAIN_CHOICES)
    text = models.CharField(max_length=300)

    class Meta:
        ordering = ["initiative", "position"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "position"], name="unique_chain_position")
        ]


class Metric(TenantModel):
    class Direction(models.TextChoices):
        INCREASE = "increase", "Higher is better"
        DECREASE = "decrease", "Lower is better"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="metrics")
    name = models.CharField(max_length=200)
    layer = models.CharField(max_length=60, choices=LAYER_CHOICES)
    unit = models.CharField(max_length=40, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    target = models.FloatField(null=True, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    baseline_period = models.CharField(max_length=100, blank=True)
    baseline_source = models.CharField(max_length=200, blank=True)
    comparison = models.CharField(
        max_length=60, choices=COMPARISON_CHOICES, default=COMPARISON_NONE
    )
    # Counter-metrics: the value past which the "win" is doing harm.
    guardrail = models.FloatField(null=True, blank=True)

    class Meta:
        ordering = ["initiative", "layer", "name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "name"], name="unique_metric_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_baseline(self) -> bool:
        return self.baseline_value is not None


class Measurement(TenantModel):
    class Source(models.TextChoices):
        UI = "ui", "Entered"
        CSV = "csv", "CSV import"
        API = "api", "API"

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="measurements")
    measured_at = models.DateTimeField()
    value = models.FloatField()
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.UI)

    class Meta:
        ordering = ["metric", "measured_at"]
        constraints = [
            # Idempotency of pushes: one value per metric and instant.
            models.UniqueConstraint(fields=["metric", "measured_at"], name="unique_measurement")
        ]


class GateReview(TenantModel):
    """One of the five gates or three non-negotiables for one initiative."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        EVIDENCE_SUBMITTED = "evidence_submitted", "Evidence submitted"
        ENDORSED = "endorsed", "Endorsed"
        WAIVED = "waived", "Waived"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="gates")
    key = models.CharField(max_length=60, choices=GATE_CHOICES)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    evidence_text = models.TextField(blank=True)
    evidence_link = models.URLField(blank=True, max_length=500)
    evidence_file = models.FileField(upload_to="initiatives/evidence/%Y/%m/", blank=True)
    waiver_reason = models.TextField(blank=True)
    endorsed_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    endorsed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["initiative", "id"]
        constraints = [models.UniqueConstraint(fields=["initiative", "key"], name="unique_gate")]

    @property
    def name(self) -> str:
        return GATE_NAMES[self.key]


class TeamDemand(TenantModel):
    """An initiative needing a bottleneck team; ``in_flight`` while the team works on it."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="demands")
    team = models.ForeignKey(BottleneckTeam, on_delete=models.CASCADE, related_name="demands")
    in_flight = models.BooleanField(default=False)
    started_at = models.DateTimeField(null=True, blank=True)
    override_reason = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["initiative", "team"], name="unique_team_demand")
        ]
        indexes = [models.Index(fields=["team", "in_flight"])]


class AlignmentPosition(TenantModel):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="positions")
    executive = models.ForeignKey("people.Person", on_delete=models.CASCADE, related_name="+")
    element = models.CharField(max_length=60, choices=ELEMENT_CHOICES)
    agrees = models.BooleanField()
    comment = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "executive", "element"], name="unique_alignment_position"
            )
        ]


class ChangeImpact(TenantModel):
    class Status(models.TextChoices):
        OPEN = "open", "Open"
        MITIGATING = "mitigating", "Mitigation under way"
        MITIGATED = "mitigated", "Mitigated"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="impacts")
    impact_type = models.CharField(max_length=60, choices=IMPACT_CHOICES)
    affected_group = models.CharField(max_length=200)
    owner = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    mitigation = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["initiative", "impact_type", "id"]

    @property
    def missing(self) -> list[str]:
        """What an impact registered before owner and mitigation were required still lacks
        (none is invented for it)."""
        return [
            label
            for label, absent in (
                ("owner", self.owner_id is None),
                ("mitigation", not self.mitigation.strip()),
            )
            if absent
        ]


class DecisionRight(TenantModel):
    """Seed 004: a decision the initiative changes and who holds it before and after."""

    class Mode(models.TextChoices):
        ADVISORY = "advisory", "Advisory"
        BINDING = "binding", "Binding"

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="decision_rights"
    )
    decision = models.CharField(max_length=300)
    decided_by_before = models.CharField(max_length=200)
    decided_by_after = models.CharField(max_length=200)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.ADVISORY)
    accountable = models.CharField(max_length=200)
    override_handling = models.TextField(blank=True)

    class Meta:
        ordering = ["initiative", "id"]


class DecisionLogEntry(TenantModel):
    """An AI decision leadership must take: when it was asked for, when and how it was taken."""

    initiative = models.ForeignKey(
        Initiative, null=True, blank=True, on_delete=models.SET_NULL, related_name="decisions"
    )
    title = models.CharField(max_length=300)
    requested_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "people.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "id"]
        indexes = [models.Index(fields=["organisation", "decided_at"])]


class AdoptionSample(TenantModel):
    """A week of usage for one cohort of an initiative (seed 001's adoption curve)."""

    class Cohort(models.TextChoices):
        EARLY_ADOPTERS = EARLY_ADOPTERS, "Early adopters"
        MAJORITY = MAJORITY, "Majority"

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="adoption")
    cohort = models.CharField(max_length=20, choices=Cohort.choices)
    week = models.PositiveSmallIntegerField(help_text="Weeks since launch, from 1")
    active_users = models.PositiveIntegerField(default=0)
    suggestions = models.PositiveIntegerField(default=0)
    accepted = models.PositiveIntegerField(default=0)
    overridden = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["initiative", "week", "cohort"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "cohort", "week"], name="unique_adoption_sample"
            )
        ]

    @property
    def acceptance_rate(self) -> float | None:
        """None for a week without suggestions (not 0%: see ``alignment.rate``)."""
        return rate(self.accepted, self.suggestions)

    @property
    def override_rate(self) -> float | None:
        return rate(self.overridden, self.suggestions)
