"""An independent recomputation of each computed KPI straight from the tables (raw SQL,
no selector, no ORM filter of ours), compared with the dashboard over several periods
of seeded random data."""

from __future__ import annotations

import datetime as dt
import random
import statistics
from typing import cast

import pytest
from django.db import connection
from django.utils import timezone

from bellwether.assessments.tests.factories import make_cycle, record_result
from bellwether.initiatives.models import DecisionLogEntry, Initiative
from bellwether.insights import periods, selectors, services
from bellwether.insights.sources import Scope
from bellwether.people.models import Person
from bellwether.surveys.models import Question
from bellwether.surveys.tests import helpers as pulse
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

RNG_SEED = 20261203


def _months(count: int) -> list[periods.Period]:
    return periods.last(periods.containing(periods.MONTH, timezone.localdate()), count)


def _end(period: periods.Period) -> dt.datetime:
    return dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), dt.UTC)


def _figure(org, key: str, period: periods.Period, scope: Scope | None = None) -> float | None:
    chosen = scope or Scope()
    rows = {m.key: m for m in selectors.dashboard(org, period=period, scope=chosen, history=1)}
    return rows[key].figure.value


def test_kpi_one_matches_a_raw_recomputation(org, unit) -> None:
    rng = random.Random(RNG_SEED)
    now = timezone.now()
    cycles = [
        make_cycle(
            organisation=org,
            opens_at=now - dt.timedelta(days=days + 14),
            closes_at=now - dt.timedelta(days=days),
        )
        for days in (75, 40, 5)
    ]
    leaders = [
        cast(Person, PersonFactory(organisation=org, org_unit=unit, leader_level="senior"))
        for _ in range(30)
    ]
    for person in leaders:
        for cycle in cycles:
            if rng.random() < 0.7:
                record_result(
                    organisation=org,
                    person=person,
                    total=rng.choice([55, 69.5, 70, 88]),
                    cycle=cycle,
                )
    Person.objects.filter(pk__in=[p.pk for p in leaders[:3]]).update(active=False)
    sql = """
        SELECT r.person_id, r.total, c.opens_at, c.id
        FROM assessments_leaderresult r
        JOIN assessments_readinesscycle c ON c.id = r.cycle_id
        JOIN people_person p ON p.id = r.person_id
        WHERE r.organisation_id = %s AND c.released_at IS NOT NULL AND c.closes_at <= %s
          AND r.total IS NOT NULL AND r.band_key <> '' AND p.active
    """
    for period in _months(4):
        with connection.cursor() as cursor:
            cursor.execute(sql, [org.pk, _end(period)])
            rows = cursor.fetchall()
        latest: dict[int, tuple[object, int, float]] = {}
        for person_id, total, opens_at, cycle_id in rows:
            key = (opens_at, cycle_id, total)
            if person_id not in latest or key[:2] > latest[person_id][:2]:
                latest[person_id] = key
        if not latest:
            expected = None
        else:
            ok = sum(1 for _, _, total in latest.values() if total >= 69.5)
            expected = round(100.0 * ok / len(latest), 1)
        assert _figure(org, "kpi.executive_fluency", period) == expected, period.key


def test_pulse_kpi_matches_the_raw_answers(org) -> None:
    rng = random.Random(RNG_SEED)
    _root, sales, legal = pulse.two_units(org)
    people = pulse.people_in(org, sales, 9) + pulse.people_in(org, legal, 8)
    campaign = pulse.launch(org, people=people)
    for person in people:
        if rng.random() < 0.9:
            pulse.answer(campaign, person, confidence=rng.randint(1, 5))
    pulse.close(campaign)
    question = Question.objects.get(version=campaign.version, key="confidence")
    sql = """
        SELECT a.value FROM surveys_answer a
        JOIN surveys_response r ON r.id = a.response_id
        WHERE r.campaign_id = %s AND a.question_id = %s AND a.value IS NOT NULL
          AND r.org_unit_path LIKE %s
    """
    for unit in (None, sales, legal):
        with connection.cursor() as cursor:
            cursor.execute(sql, [campaign.pk, question.pk, (unit.path if unit else "") + "%"])
            values = [v for (v,) in cursor.fetchall()]
        expected = round(100.0 * sum(v >= question.favourable_min for v in values) / len(values), 1)
        shown = _figure(org, "kpi.employee_confidence", _months(1)[0], Scope(unit=unit))
        assert shown == expected, unit


def test_secondary_indicators_match_a_raw_recomputation(org, members) -> None:
    rng = random.Random(RNG_SEED)
    now = timezone.now()
    for i in range(25):
        decided = now - dt.timedelta(days=rng.randint(0, 80))
        DecisionLogEntry.objects.create(
            organisation=org,
            title=f"Decision {i}",
            requested_at=decided - dt.timedelta(days=rng.uniform(0.5, 30)),
            decided_at=decided if rng.random() < 0.8 else None,
        )
    services.set_target(
        organisation=org,
        kpi_key="kpi.time_to_decision",
        target_value=-50,
        baseline_value=20,
        actor=members["admin"].user,
    )
    executive = cast(Person, PersonFactory(organisation=org, leader_level="executive"))
    for i in range(8):
        Initiative.objects.create(
            organisation=org,
            name=f"I{i}",
            sponsor=executive,
            stage=rng.choice(
                ["stage.idea", "stage.learning_only_pilot", "stage.scaling", "stage.retired"]
            ),
        )
    for period in _months(3):
        start = dt.datetime.combine(period.start, dt.time(), dt.UTC)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT requested_at, decided_at FROM initiatives_decisionlogentry "
                "WHERE organisation_id = %s AND decided_at >= %s AND decided_at < %s",
                [org.pk, start, _end(period)],
            )
            days = [(d - r).total_seconds() / 86400 for r, d in cursor.fetchall()]
            cursor.execute(
                "SELECT stage FROM initiatives_initiative "
                "WHERE organisation_id = %s AND created_at <= %s AND stage <> 'stage.retired'",
                [org.pk, _end(period)],
            )
            stages = [s for (s,) in cursor.fetchall()]
        expected_ttd = round(100.0 * (statistics.median(days) - 20) / 20, 1) if days else None
        assert _figure(org, "kpi.time_to_decision", period) == expected_ttd, period.key
        expected_pilots = (
            round(100.0 * sum(s != "stage.idea" for s in stages) / len(stages), 1)
            if stages
            else None
        )
        assert _figure(org, "kpi.innovation_support", period) == expected_pilots, period.key
