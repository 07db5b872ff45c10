"""The KPI dashboard: pages and API operations for the access matrix.

Admins and executive sponsors see the dashboard, its drill-down and its exports;
only admins change targets. Leaders, coaches and reviewers are refused (403).
"""

from __future__ import annotations

from typing import Any

from bellwether.insights.models import KpiTarget
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only

BASE = "/api/v1/insights"
READERS = ("admin", "sponsor")


def _kpi(world: World) -> dict[str, Any]:
    return {"key": "kpi.executive_fluency"}


def _restore_targets(world: World) -> None:
    KpiTarget.objects.filter(organisation=world["org"]).delete()


PAGES: list[Page] = [
    Page("insights:dashboard", only(READERS)),
    Page("insights:kpi", only(READERS), kwargs=_kpi),
    Page("insights:targets", only(("admin",))),
    # Everyone's own task inbox and its count in the navigation.
    Page("insights:inbox", everyone(200)),
    Page("insights:inbox_count", everyone(200)),
]

OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/kpis", api_only(READERS)),
    Operation("get", f"{BASE}/kpis/{{key}}/detail", api_only(READERS), params=_kpi),
    Operation("get", f"{BASE}/targets", api_only(READERS)),
    Operation(
        "put",
        f"{BASE}/targets/{{key}}",
        api_only(("admin",)),
        params=_kpi,
        body=lambda w: {"target_value": 85},
        restore=_restore_targets,
    ),
]
