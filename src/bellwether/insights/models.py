"""An organisation's own KPI targets and baselines (the framework's are the defaults)."""

from __future__ import annotations

from django.db import models

from bellwether.core.models import TenantModel


class KpiTarget(TenantModel):
    """An organisation's target for one KPI, replacing the framework's, and the baseline
    that "change from baseline" KPIs (time-to-decision, collaboration) compare against."""

    kpi_key = models.CharField(max_length=80)
    target_value = models.FloatField()
    baseline_date = models.DateField(null=True, blank=True)
    baseline_value = models.FloatField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kpi_key"], name="one_target_per_kpi_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_key}: {self.target_value}"


class KpiSnapshot(TenantModel):
    """A KPI's figure for a settled period, kept so the trend is not recomputed on every
    view. A cache, not a record: written when first read, dropped with its inputs'
    version (see ``insights/snapshots.py`` for why a kept figure stays correct)."""

    kpi_key = models.CharField(max_length=80)
    period_kind = models.CharField(max_length=16)
    period_start = models.DateField()
    # Who the figure counts ("" for the whole organisation, else unit and/or level) and
    # the baseline it was compared with ("" for none).
    scope_key = models.CharField(max_length=120)
    baseline_key = models.CharField(max_length=40)
    # The people and units the figure counted (``people.selectors.people_version``).
    inputs_version = models.CharField(max_length=120)
    figure = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "organisation",
                    "kpi_key",
                    "period_kind",
                    "period_start",
                    "scope_key",
                    "baseline_key",
                    "inputs_version",
                ],
                name="one_snapshot_per_kpi_period_scope_version",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kpi_key} {self.period_kind} {self.period_start}"
