"""The dashboard's periodic job: compute each organisation's KPIs overnight, so that the
settled periods' figures are kept (``insights/snapshots.py``) before anyone opens the
dashboard in the morning."""

from __future__ import annotations

import datetime as dt

from bellwether.core.models import Organisation
from bellwether.core.scheduler import DAY, Job
from bellwether.insights import periods, selectors
from bellwether.insights.filters import today_for
from bellwether.insights.sources import Scope


def snapshot_kpis() -> str:
    count = 0
    for organisation in Organisation.objects.order_by("pk"):
        period = periods.containing(periods.MONTH, today_for(organisation))
        selectors.dashboard(organisation, period=period, scope=Scope())
        count += 1
    return f"KPIs of {count} organisation(s) computed"


JOBS = [
    Job(
        name="insights.kpi_snapshots",
        title="Compute and keep each organisation's settled KPI figures",
        run=snapshot_kpis,
        every=DAY,
        at=dt.timedelta(hours=2),
    ),
]
