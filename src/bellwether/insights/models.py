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
