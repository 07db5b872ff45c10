"""Demo: the baselines the two "change from baseline" indicators compare against, as a
transformation office would enter them on the Targets page. Runs after every other
module's demo (``insights`` is the last app), so it can read their data."""

from __future__ import annotations

import datetime as dt

from bellwether.behaviours import selectors as behaviours
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import BEHAVIOUR_CROSS_FUNCTIONAL, kpi
from bellwether.insights import periods, services
from bellwether.insights.filters import today_for

# What the organisation's decision log said before the programme (typed in by the
# transformation office from its own records).
DECISION_DAYS_BEFORE = 30.0


def build_demo(*, organisation: Organisation, seed: int) -> str:
    today = today_for(organisation)
    # The first whole month of check-ins stands for "before the programme".
    first = periods.containing(periods.MONTH, today - dt.timedelta(days=330))
    ticks = behaviours.behaviour_days(
        organisation=organisation,
        behaviour_key=BEHAVIOUR_CROSS_FUNCTIONAL,
        start=first.start,
        end=first.end,
    )
    set_up = []
    for key, baseline in (
        ("kpi.cross_functional_collaboration", float(sum(ticks.values()))),
        ("kpi.time_to_decision", DECISION_DAYS_BEFORE),
    ):
        if not baseline:
            continue
        services.set_target(
            organisation=organisation,
            kpi_key=key,
            target_value=kpi(key).target_value,
            baseline_date=first.start,
            baseline_value=baseline,
            note="Demo: measured before the programme.",
            actor=None,
        )
        set_up.append(f"{kpi(key).name} {baseline:g}")
    return "insights: baselines " + ("; ".join(set_up) or "none (no data)")
