"""Readiness figures for the KPI dashboard and the cycle page: completion per rater
category and the fluency KPI "≥90% of leaders score 70+" (each leader's band of record).

Split from ``reports_org`` (which re-exports them) so that the organisation views stay one
module a reader can hold; both aggregate in SQL, one query each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from bellwether.assessments.models import Category, LeaderResult, ReadinessCycle
from bellwether.assessments.records import of_record_only
from bellwether.assessments.selectors import live_invitations
from bellwether.core.models import Organisation, org_id_of
from bellwether.framework.catalogue import CATALOGUE

QUALIFYING_SCORE = next(k.qualifying_score for k in CATALOGUE.primary_kpis if k.qualifying_score)
FLUENCY_KPI = next(k for k in CATALOGUE.primary_kpis if k.qualifying_score)


@dataclass(frozen=True)
class CompletionRow:
    category: str
    label: str
    invited: int
    completed: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.completed / self.invited, 1) if self.invited else None


def completion(cycle: ReadinessCycle) -> list[CompletionRow]:
    """Invitations and completed ratings per rater category, plus all (one query)."""
    rows: dict[str, dict[str, Any]] = {
        r["category"]: dict(r)
        for r in live_invitations([cycle.campaign_id])
        .values("category")
        .annotate(invited=Count("id"), completed=Count("answered"))
        .order_by()
    }
    out = [
        CompletionRow(
            c.value,
            c.label,
            rows.get(c.value, {}).get("invited", 0),
            rows.get(c.value, {}).get("completed", 0),
        )
        for c in Category
    ]
    out.append(
        CompletionRow(
            "all", "All ratings", sum(r.invited for r in out), sum(r.completed for r in out)
        )
    )
    return out


@dataclass(frozen=True)
class ShareFigure:
    """KPI "≥90% of leaders score 70+": each leader's band of record. The API serves
    it as it is (``api_reports.ShareOut``)."""

    kpi: str
    name: str
    target: str
    qualifying_score: int
    leaders: int
    at_or_above: int
    self_reported: int
    percent: float | None
    meets_target: bool | None


def share_at_or_above_70(organisation: Organisation | int) -> ShareFigure:
    """Share of leaders whose band-of-record total is 70+ (rounded half up: 69.5
    counts), one SQL query."""
    org_id = org_id_of(organisation)
    base = LeaderResult.objects.filter(organisation_id=org_id, total__isnull=False).exclude(
        band_key=""
    )
    threshold = QUALIFYING_SCORE - 0.5
    figures = of_record_only(base).aggregate(
        leaders=Count("id"),
        ok=Count("id", filter=Q(total__gte=threshold)),
        self_n=Count("id", filter=Q(self_reported=True)),
    )
    leaders = figures["leaders"] or 0
    percent = round(100 * figures["ok"] / leaders, 1) if leaders else None
    return ShareFigure(
        FLUENCY_KPI.key,
        FLUENCY_KPI.name,
        FLUENCY_KPI.target,
        QUALIFYING_SCORE,
        leaders,
        figures["ok"] or 0,
        figures["self_n"] or 0,
        percent,
        FLUENCY_KPI.meets_target(percent) if percent is not None else None,
    )
