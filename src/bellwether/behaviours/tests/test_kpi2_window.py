"""KPI 2 read from its own four-week window equals the pure per-leader computation, for
leaders who started before the window, inside it, on its first day, or today."""

from __future__ import annotations

import datetime as dt
import random
from typing import cast

from bellwether.behaviours import consistency, selectors
from bellwether.behaviours.models import CheckIn
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.testing.factories import PersonFactory

DAILY = [k for k in consistency.KEYS if k.startswith("behaviour.daily.")]


def _leader_with(org: Organisation, unit: OrgUnit, n: int, days: list[dt.date]) -> Person:
    rng = random.Random(n)
    person = cast(
        Person,
        PersonFactory(
            organisation=org, employee_id=f"K{n}", org_unit=unit, leader_level=LeaderLevel.SENIOR
        ),
    )
    rows = []
    for day in days:
        row = CheckIn(
            organisation=org, person=person, day=day,
            submitted_at=dt.datetime(2026, 6, 30, tzinfo=dt.UTC),
        )  # fmt: skip
        row.set_ticks(consistency.mask_of(k for k in DAILY if rng.random() < 0.85))
        rows.append(row)
    CheckIn.objects.bulk_create(rows)
    return person


def test_kpi_2_from_its_window_equals_the_per_leader_computation(
    org: Organisation, unit: OrgUnit
) -> None:
    window = RULES.demonstrates_window_days
    as_ofs = [dt.date(2026, 6, 1), dt.date(2026, 6, 17), dt.date(2026, 6, 30)]
    last = as_ofs[-1]
    starts = [
        last - dt.timedelta(days=120),  # long before every window
        as_ofs[1] - dt.timedelta(days=window - 1),  # on the first day of one window
        as_ofs[1] - dt.timedelta(days=10),  # inside it
        as_ofs[0],  # on a day that is "today" for one of them
    ]
    leaders = []
    for n, start in enumerate(starts):
        span = (last - start).days + 1
        days = [start + dt.timedelta(days=d) for d in range(span) if (d * 7 + n) % 9]
        leaders.append(_leader_with(org, unit, n, days))
    for as_of in as_ofs:
        expected = {}
        for person in leaders:
            rows = [
                (day, done)
                for day, done in CheckIn.objects.filter(person=person).values_list("day", "done")
                if day <= as_of
            ]
            daily = consistency.person_consistency(rows, as_of=as_of, window_days=window)
            expected[person.pk] = bool(rows) and consistency.demonstrates(
                daily.by_frequency["daily"]
            )
        got = selectors.demonstrating_by_leader(
            organisation=org, as_of=as_of, person_ids=[p.pk for p in leaders]
        )
        assert got == expected, as_of
        share = selectors.daily_behaviour_share(
            organisation=org, as_of=as_of, person_ids=[p.pk for p in leaders]
        )
        assert share == (sum(expected.values()), len(leaders))
    # The check must be able to fail: the leaders are not all alike at every date.
    assert len({v for as_of in as_ofs for v in selectors.demonstrating_by_leader(
        organisation=org, as_of=as_of, person_ids=[p.pk for p in leaders]).values()}) == 2  # fmt: skip
