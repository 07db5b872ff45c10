"""KPIs fed by the newer modules: behaviour check-ins (KPI 2, executive tool adoption,
cross-functional collaboration) and workshop resource commitments (KPI 4)."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.utils import timezone

from bellwether.behaviours.services import checkins
from bellwether.development.services import workshops
from bellwether.framework.catalogue import (
    BEHAVIOUR_CROSS_FUNCTIONAL,
    BEHAVIOUR_USED_AI_TOOLS,
    CATALOGUE,
)
from bellwether.insights import periods, selectors, services
from bellwether.insights.sources import Scope
from bellwether.people.models import Person
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

DAILY = [b.key for b in CATALOGUE.behaviours if b.frequency == "daily"]


def _leader(org, unit, level: str = "senior") -> Person:
    return cast(Person, PersonFactory(organisation=org, org_unit=unit, leader_level=level))


def _figures(org, period: periods.Period, scope: Scope | None = None):
    rows = selectors.dashboard(org, period=period, scope=scope or Scope(), history=1)
    return {m.key: m for m in rows}


def _check_in_every_day(person: Person, days: int, keys: list[str]) -> None:
    today = timezone.localdate()
    for back in range(days):
        day = today - dt.timedelta(days=back)
        checkins.record_check_in(person=person, day=day, behaviours=keys, actor=None, today=day)


def test_kpi_two_counts_leaders_demonstrating_daily_behaviours(org, unit) -> None:
    steady, absent = _leader(org, unit), _leader(org, unit)
    _check_in_every_day(steady, 28, DAILY)
    week = periods.containing(periods.WEEK, timezone.localdate())
    kpi = _figures(org, week)["kpi.leadership_behaviour"]
    # Every active leader counts; the one who never checks in does not demonstrate.
    assert (kpi.figure.numerator, kpi.figure.denominator) == (1, 2)
    assert kpi.figure.value == 50.0
    detail = selectors.detail(org, "kpi.leadership_behaviour", period=week, scope=Scope())
    assert {row[0]: row[3] for row in detail.rows} == {steady.name: "yes", absent.name: "no"}


def test_executive_tool_adoption_needs_regular_use(org, unit) -> None:
    regular, rare = _leader(org, unit, "executive"), _leader(org, unit, "executive")
    _check_in_every_day(regular, 28, [BEHAVIOUR_USED_AI_TOOLS])
    _check_in_every_day(rare, 3, [BEHAVIOUR_USED_AI_TOOLS])
    _leader(org, unit, "senior")  # not an executive: not counted
    week = periods.containing(periods.WEEK, timezone.localdate())
    figure = _figures(org, week)["kpi.executive_tool_adoption"].figure
    assert (figure.numerator, figure.denominator, figure.value) == (1, 2, 50.0)
    senior_only = _figures(org, week, Scope(level="senior"))["kpi.executive_tool_adoption"]
    assert senior_only.figure.value is None


def test_cross_functional_collaboration_against_the_baseline(org, unit, members) -> None:
    person = _leader(org, unit)
    _check_in_every_day(person, 1, [BEHAVIOUR_CROSS_FUNCTIONAL])
    month = periods.containing(periods.MONTH, timezone.localdate())
    before = _figures(org, month)["kpi.cross_functional_collaboration"].figure
    assert before.value is None
    assert before.numerator == 1
    services.set_target(
        organisation=org,
        kpi_key="kpi.cross_functional_collaboration",
        target_value=200,
        baseline_value=0.5,
        actor=members["admin"].user,
    )
    after = _figures(org, month)["kpi.cross_functional_collaboration"].figure
    assert after.value == 100.0


def test_kpi_four_is_resources_allocated_on_schedule(org, unit) -> None:
    owner = _leader(org, unit, "executive")
    now = timezone.now()
    workshop = workshops.schedule_workshop(
        organisation=org,
        actor=None,
        session_key=CATALOGUE.visioning_sessions[0].key,
        starts_at=now - dt.timedelta(days=40),
        ends_at=now - dt.timedelta(days=40) + dt.timedelta(hours=4),
    )
    today = timezone.localdate()
    on_time = workshops.add_resource(
        workshop=workshop, actor=None, description="GPU budget", amount="1000",
        owner_id=owner.pk, due=today - dt.timedelta(days=10),
    )  # fmt: skip
    workshops.mark_allocated(
        commitment=on_time, actor=None, allocated_on=today - dt.timedelta(days=12)
    )
    late = workshops.add_resource(
        workshop=workshop, actor=None, description="Two data engineers", amount=None,
        owner_id=owner.pk, due=today - dt.timedelta(days=5),
    )  # fmt: skip
    workshops.mark_allocated(commitment=late, actor=None, allocated_on=today)
    workshops.add_resource(
        workshop=workshop, actor=None, description="Next year", amount=None,
        owner_id=owner.pk, due=today + dt.timedelta(days=400),
    )  # fmt: skip
    quarter = periods.containing(periods.QUARTER, today)
    kpi = _figures(org, quarter)["kpi.resource_commitment"]
    assert (kpi.figure.numerator, kpi.figure.denominator, kpi.figure.value) == (1, 2, 50.0)
    detail = selectors.detail(org, "kpi.resource_commitment", period=quarter, scope=Scope())
    assert [(r[0], r[4]) for r in detail.rows] == [
        ("GPU budget", "yes"),
        ("Two data engineers", "no"),
    ]
    assert _figures(org, quarter, Scope(unit=unit))["kpi.resource_commitment"].figure.value is None
