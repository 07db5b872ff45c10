"""The demo's baselines: the two "change from baseline" indicators show a figure."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest

from bellwether.behaviours import consistency
from bellwether.behaviours.models import CheckIn
from bellwether.framework.catalogue import BEHAVIOUR_CROSS_FUNCTIONAL
from bellwether.insights import demo, periods, selectors
from bellwether.insights.filters import today_for
from bellwether.insights.models import KpiTarget
from bellwether.insights.sources import Scope
from bellwether.people.models import Person
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_sets_the_baselines_from_the_first_month_of_check_ins(org, unit) -> None:
    person = cast(Person, PersonFactory(organisation=org, org_unit=unit, leader_level="senior"))
    today = today_for(org)
    first = periods.containing(periods.MONTH, today - dt.timedelta(days=330))
    for day in (first.start, first.start + dt.timedelta(days=7), today):
        row = CheckIn(
            organisation=org, person=person, day=day, submitted_at=dt.datetime.now(dt.UTC)
        )
        row.set_ticks(consistency.mask_of([BEHAVIOUR_CROSS_FUNCTIONAL]))
        row.save()
    summary = demo.build_demo(organisation=org, seed=1)
    assert "Cross-functional" in summary
    baselines = dict(
        KpiTarget.objects.filter(organisation=org).values_list("kpi_key", "baseline_value")
    )
    assert baselines == {
        "kpi.cross_functional_collaboration": 2.0,
        "kpi.time_to_decision": demo.DECISION_DAYS_BEFORE,
    }
    month = periods.containing(periods.MONTH, today)
    figures = {m.key: m for m in selectors.dashboard(org, period=month, scope=Scope(), history=1)}
    # One tick this month against two before: −50%.
    assert figures["kpi.cross_functional_collaboration"].figure.value == -50.0
