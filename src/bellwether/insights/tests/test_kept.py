"""The computed KPI set is kept in the shared cache under a stamp of its inputs
(``insights/kept.py``): a second view reads it back in a fixed number of queries, and a
change to any input shows on the next view."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bellwether.behaviours.services import checkins
from bellwether.framework.catalogue import CATALOGUE
from bellwether.insights import kept, periods, selectors, services
from bellwether.insights.sources import Scope
from bellwether.people.models import Person
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

KPI_2 = "kpi.leadership_behaviour"
DAILY = [b.key for b in CATALOGUE.behaviours if b.frequency == "daily"]


def _month() -> periods.Period:
    return periods.containing(periods.MONTH, timezone.localdate())


def _kpi(org, key: str):
    rows = selectors.dashboard(org, period=_month(), scope=Scope())
    return {m.key: m for m in rows}[key]


def _leader(org, unit) -> Person:
    return cast(Person, PersonFactory(organisation=org, org_unit=unit, leader_level="senior"))


def _every_day(person: Person, days: int) -> None:
    today = timezone.localdate()
    for back in range(days):
        day = today - dt.timedelta(days=back)
        checkins.record_check_in(person=person, day=day, behaviours=DAILY, actor=None, today=day)


def test_every_input_is_a_tenant_table_with_a_change_time() -> None:
    for name, model in kept.INPUTS.items():
        fields = {f.name for f in model._meta.get_fields()}
        assert {"organisation", "updated_at"} <= fields, name


def test_a_second_view_is_read_back_in_a_fixed_number_of_queries(org, unit) -> None:
    _every_day(_leader(org, unit), 40)
    first = selectors.dashboard(org, period=_month(), scope=Scope())
    with CaptureQueriesContext(connection) as queries:
        again = selectors.dashboard(org, period=_month(), scope=Scope())
    # The targets (two), the inputs' stamp (one), the cache entry (one).
    assert len(queries) == 4
    assert again == first


def test_a_change_to_an_input_shows_on_the_next_view(org, unit) -> None:
    leader = _leader(org, unit)
    _every_day(leader, 40)
    assert _kpi(org, KPI_2).figure.value == 100.0
    _leader(org, unit)  # a second leader, who checks in on no day
    assert _kpi(org, KPI_2).figure.value == 50.0
    stamp = kept.inputs_version(org)
    today = timezone.localdate()
    checkins.record_check_in(
        person=leader, day=today, behaviours=DAILY[:1], actor=None, today=today
    )
    assert kept.inputs_version(org) != stamp


def test_a_new_target_is_a_new_key(org) -> None:
    before = _kpi(org, "kpi.executive_fluency")
    services.set_target(
        organisation=org,
        kpi_key="kpi.executive_fluency",
        target_value=42.0,
        baseline_value=None,
        note="",
        actor=None,
    )
    after = _kpi(org, "kpi.executive_fluency")
    assert after.target_value == 42.0 != before.target_value


def test_the_home_page_keeps_its_kpis_too(org) -> None:
    first = selectors.primary_measures(org, period=_month(), history=2)
    with CaptureQueriesContext(connection) as queries:
        again = selectors.primary_measures(org, period=_month(), history=2)
    assert len(queries) == 4
    assert [m.key for m in again] == [m.key for m in first]
    assert [m.key for m in first] == [k.key for k in CATALOGUE.primary_kpis]
