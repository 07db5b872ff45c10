"""Demo data: a year of behaviour check-ins for the demo leaders (a quarter of a year in a
large demo), each leader with their own habit strength (some lapse and recover, a few
fill days in late); monthly observations by direct reports and peers; recognitions.
Bulk inserts only, deterministic for the seed."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from bellwether.behaviours import consistency
from bellwether.behaviours.models import CheckIn, Observation, Recognition
from bellwether.behaviours.services import today_for
from bellwether.core.models import Organisation
from bellwether.people import selectors as people_selectors
from bellwether.people.models import Person

BATCH = 5_000
FULL_YEAR_UP_TO = 500  # leaders; a larger demo gets a quarter, to stay quick to build
DAILY = [k for k in consistency.KEYS if k.startswith("behaviour.daily.")]
WEEKLY = [k for k in consistency.KEYS if k.startswith("behaviour.weekly.")]
MONTHLY = [k for k in consistency.KEYS if k.startswith("behaviour.monthly.")]


def _check_ins(
    organisation: Organisation, person: Person, days: list[dt.date], rng: random.Random
) -> list[CheckIn]:
    strength = rng.uniform(0.25, 0.97)
    lapse = rng.randrange(len(days)) if rng.random() < 0.3 else -1  # a two-week lapse
    rows = []
    week_done: dict[int, int] = defaultdict(int)
    month_done: dict[int, int] = defaultdict(int)
    for i, day in enumerate(days):
        p = strength * (0.15 if 0 <= i - lapse < 14 else 1.0) * (0.4 if day.weekday() >= 5 else 1.0)
        if rng.random() > p:
            continue
        week, month = (
            consistency.period_index(day, "weekly"),
            consistency.period_index(day, "monthly"),
        )
        keys = [k for k in DAILY if rng.random() < p]
        keys += [
            k for k in WEEKLY if not week_done[week] & consistency.BIT[k] and rng.random() < p / 3
        ]
        keys += [
            k
            for k in MONTHLY
            if not month_done[month] & consistency.BIT[k] and rng.random() < p / 12
        ]
        mask = consistency.mask_of(keys)
        week_done[week] |= mask
        month_done[month] |= mask
        late = rng.random() < 0.08
        at = dt.datetime.combine(day + dt.timedelta(days=2 if late else 0), dt.time(17, 30), dt.UTC)
        row = CheckIn(
            organisation=organisation,
            person=person,
            day=day,
            late=late,
            via=rng.choice([CheckIn.Via.LINK, CheckIn.Via.LINK, CheckIn.Via.APP]),
            submitted_at=at,
        )
        row.set_ticks(mask)
        rows.append(row)
    return rows


def _observations(
    organisation: Organisation, leaders: list[Person], today: dt.date, rng: random.Random
) -> list[Observation]:
    people = Person.objects.filter(organisation=organisation, active=True)
    by_manager: dict[int, list[int]] = defaultdict(list)
    for pk, manager_id in people.values_list("pk", "manager_id"):
        if manager_id is not None:
            by_manager[manager_id].append(pk)
    manager_of = {p.pk: p.manager_id for p in leaders}
    months = [today.replace(day=1), (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)]
    now = timezone.now()
    rows = []
    for leader in leaders:
        observers = [(pk, Observation.Relation.DIRECT_REPORT) for pk in by_manager[leader.pk]]
        peers = by_manager.get(manager_of[leader.pk] or 0, [])
        observers += [(pk, Observation.Relation.PEER) for pk in peers if pk != leader.pk]
        for month in months:
            for pk, relation in observers[:12]:
                if rng.random() < 0.7:
                    seen = consistency.mask_of(k for k in consistency.KEYS if rng.random() < 0.45)
                    rows.append(
                        Observation(
                            organisation=organisation,
                            subject=leader,
                            observer_id=pk,
                            relation=relation,
                            month=month,
                            seen=seen,
                            submitted_at=now,
                        )
                    )
    return rows


def build_demo(*, organisation: Organisation, seed: int) -> str:
    started = time.perf_counter()
    rng = random.Random(seed * 7919 + 3)
    today = today_for(organisation)
    with transaction.atomic():
        leaders = list(people_selectors.leaders_in(organisation).order_by("id"))
        if not leaders:
            return "behaviours: no leaders"
        span = 365 if len(leaders) <= FULL_YEAR_UP_TO else 91
        days = [today - dt.timedelta(days=span - 1 - i) for i in range(span)]
        check_ins = 0
        batch: list[CheckIn] = []
        for person in leaders:
            batch += _check_ins(organisation, person, days, rng)
            if len(batch) >= BATCH:
                CheckIn.objects.bulk_create(batch, batch_size=BATCH)
                check_ins += len(batch)
                batch = []
        CheckIn.objects.bulk_create(batch, batch_size=BATCH)
        check_ins += len(batch)
        observations = _observations(organisation, leaders[:200], today, rng)
        Observation.objects.bulk_create(observations, batch_size=BATCH)
        recognitions = []
        for _ in range(min(len(leaders) * 2, 2_000)):
            giver, recognised = rng.sample(leaders, 2)
            recognitions.append(
                Recognition(
                    organisation=organisation,
                    recognised=recognised,
                    given_by=giver,
                    behaviour_key=rng.choice(consistency.KEYS),
                    message=rng.choice(["", "Thank you!", "Great example for the team."]),
                )
            )
        Recognition.objects.bulk_create(recognitions, batch_size=BATCH)
        # Spread over the span (auto_now_add set them all to now on insert).
        for row in recognitions:
            row.created_at = timezone.now() - dt.timedelta(days=rng.randrange(span))
        Recognition.objects.bulk_update(recognitions, ["created_at"], batch_size=BATCH)
    return (
        f"behaviours: {check_ins} check-ins over {span} days, {len(observations)} observations, "
        f"{len(recognitions)} recognitions in {time.perf_counter() - started:.1f}s"
    )
