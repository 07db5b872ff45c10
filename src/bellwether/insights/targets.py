"""Which target each KPI is measured against, and where it comes from.

Precedence, highest first:

1. **set by admin** on the targets page (``KpiTarget``);
2. **agreed at a workshop**: the latest success metric agreed at a visioning workshop
   that has been held (``development.selectors.agreed_metric_targets``);
3. **framework default**: the catalogue's target.

A baseline ("change from baseline" KPIs) is set with an admin's target, so it applies
only to the first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bellwether.core.models import Organisation
from bellwether.development import selectors as development
from bellwether.framework.catalogue import CATALOGUE
from bellwether.insights.models import KpiTarget

ADMIN = "admin"
WORKSHOP = "workshop"
FRAMEWORK = "framework"


@dataclass(frozen=True)
class Target:
    value: float
    text: str
    baseline: float | None
    own: bool  # set by the organisation's admin (else agreed or the framework's)
    source: str = FRAMEWORK  # ADMIN, WORKSHOP or FRAMEWORK
    source_text: str = "framework default"
    workshop_id: int | None = None


def targets_for(organisation: Organisation) -> dict[str, Target]:
    """Every KPI's target by key: two queries (the admin's rows, the agreed metrics)."""
    own = {t.kpi_key: t for t in KpiTarget.objects.filter(organisation=organisation)}
    agreed = development.agreed_metric_targets(organisation)
    out: dict[str, Target] = {}
    for metric in (*CATALOGUE.primary_kpis, *CATALOGUE.secondary_kpis):
        row = own.get(metric.key)
        deal = agreed.get(metric.key)
        if row is not None:
            text = f"{row.target_value:g} {metric.unit} (the framework's: {metric.target})"
            out[metric.key] = Target(
                row.target_value,
                text,
                row.baseline_value,
                own=True,
                source=ADMIN,
                source_text="set by admin",
            )
        elif deal is not None:
            out[metric.key] = Target(
                deal.value,
                f"{deal.value:g} {metric.unit} (agreed: {deal.text})",
                None,
                own=False,
                source=WORKSHOP,
                source_text=f"agreed at {deal.workshop_name} on {_day(deal.agreed_on)}",
                workshop_id=deal.workshop_id,
            )
        else:
            out[metric.key] = Target(metric.target_value, metric.target, None, own=False)
    return out


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"
