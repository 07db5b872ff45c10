"""Benchmark: the KPI dashboard at SPEC.md's scale.

    .venv/bin/python benchmarks/bench_insights.py [--people 100000] [--leaders 5000]

In a database of its own, migrated from empty: ``--people`` employees of whom
``--leaders`` are leaders in 100 units, four quarterly readiness cycles with a result
for every leader, a year of monthly confidence and communication pulses (released, with
a breakdown per unit), a year of daily behaviour check-ins for every leader (5,000 × 365
≈ 1.8 million rows, loaded with COPY), 2,000 AI decisions and 300 initiatives over the
year. It measures

1. the dashboard's figures (``insights.selectors.dashboard``: ten KPIs over the six
   periods of the trend, i.e. 60 figures) for the whole organisation and for one unit,
   beside raw SQL that computes the same 60 figures (PostgreSQL ``DISTINCT ON`` for each
   leader's result of record, the pulse payloads, each leader's check-in counts over KPI 2's
   window, the executives' and everyone's ticks of one behaviour, the decision and
   initiative rows), median
   of alternating runs;
2. the whole page through the real stack (URL, access, selectors, template) as a signed-in
   admin, warm, median of runs. Aim: under 1 s.

Exit status 1 when the aim is missed. Everything created is dropped.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
from typing import Any

# The script's folder is on sys.path when it runs: the shared harness beside it.
from _harness import alternate, run_in_own_database, setup_django, timed

BENCH_DB = "bellwether_bench_insights"
AIM_PAGE_SECONDS = 1.0
RUNS = 5


def child(people: int, leaders: int) -> dict[str, Any]:
    setup_django()
    import datetime as dt

    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from bellwether.accounts.roles import Role
    from bellwether.assessments import services as assessments
    from bellwether.assessments.models import LeaderResult, ReadinessCycle
    from bellwether.behaviours import consistency
    from bellwether.core.models import Organisation
    from bellwether.framework import catalogue
    from bellwether.initiatives.models import DecisionLogEntry, Initiative
    from bellwether.insights import periods, selectors
    from bellwether.insights.sources import Scope
    from bellwether.people.models import OrgUnit, Person
    from bellwether.surveys import services as surveys
    from bellwether.surveys.models import Campaign, Release
    from bellwether.testing.factories import make_member

    rng = random.Random(20261203)
    now = timezone.now()
    org = Organisation.objects.create(name="Bench", slug="bench", time_zone="UTC")
    root = OrgUnit.objects.create(organisation=org, code="ROOT", name="Root")
    root.path = f"/{root.pk}/"
    root.save()
    units = []
    for i in range(100):
        unit = OrgUnit.objects.create(
            organisation=org, code=f"U{i}", name=f"Unit {i:03d}", parent=root, depth=1
        )
        unit.path = f"{root.path}{unit.pk}/"
        unit.save()
        units.append(unit)
    levels = ["executive"] * 1 + ["senior"] * 3 + ["operational"] * 16
    Person.objects.bulk_create(
        (
            Person(
                organisation=org,
                employee_id=f"E{i:06d}",
                name=f"Person {i}",
                org_unit=units[i % len(units)],
                leader_level=levels[i % len(levels)] if i < leaders else "",
            )
            for i in range(people)
        ),
        batch_size=5000,
    )
    leader_ids = list(
        Person.objects.filter(organisation=org)
        .exclude(leader_level="")
        .values_list("pk", flat=True)
    )
    # Four quarterly readiness cycles, a result for every leader in each.
    version = assessments.ensure_readiness_instrument(organisation=org)
    for q in range(4):
        closes = now - dt.timedelta(days=20 + 91 * q)
        campaign = Campaign.objects.create(
            organisation=org, version=version, name=f"Cycle {q}", mode="confidential",
            opens_at=closes - dt.timedelta(days=14), closes_at=closes,
        )  # fmt: skip
        cycle = ReadinessCycle.objects.create(
            organisation=org, name=f"Cycle {q}", campaign=campaign,
            opens_at=campaign.opens_at, closes_at=closes, released_at=closes,
        )  # fmt: skip
        rows = []
        for person_id in leader_ids:
            total = rng.randint(30, 100)
            rows.append(
                LeaderResult(
                    organisation=org, cycle=cycle, person_id=person_id, total=total,
                    band_key=catalogue.band_for_score(total).key,
                )
            )  # fmt: skip
        LeaderResult.objects.bulk_create(rows, batch_size=5000)
    # A year of monthly pulses, released with a cell per unit.
    pulse_versions = surveys.install_ready_pulses(organisation=org)
    kpi_versions = [v for v in pulse_versions if v.instrument.kpi_key]
    for month in range(12):
        closes = now - dt.timedelta(days=5 + 30 * month)
        for v in kpi_versions:
            key = "confidence" if "confidence" in v.instrument.key else "effectiveness"
            campaign = Campaign.objects.create(
                organisation=org, version=v, name=f"{v.instrument.name} {month}",
                opens_at=closes - dt.timedelta(days=10), closes_at=closes,
                segments=["org_unit"], period=f"{closes:%Y-%m}",
            )  # fmt: skip
            cells = [
                {"key": u.path, "label": u.name, "depth": 1, "shown": True, "reason": "",
                 "favourable": {key: round(rng.uniform(50, 95), 1)}}
                for u in units
            ]  # fmt: skip
            Release.objects.create(
                organisation=org, campaign=campaign, released_at=closes, minimum=5,
                respondents=people // 2,
                payload={
                    "total_shown": True,
                    "questions": [{"key": key, "shown": True, "n": people // 2,
                                   "favourable": round(rng.uniform(60, 90), 1)}],
                    "breakdowns": [{"segment": "org_unit", "cells": cells}],
                },
            )  # fmt: skip
    # A year of daily check-ins for every leader, loaded with COPY as bench_behaviours does.
    today = timezone.localdate()
    first_day = today - dt.timedelta(days=364)
    masks = [rng.randrange(consistency.ALL_MASK + 1) for _ in range(997)]
    with connection.cursor() as cursor:
        columns = (
            "organisation_id, created_at, updated_at, person_id, day, done, daily, weekly, "
            "monthly, late, via, submitted_at"
        )
        with cursor.cursor.copy(f"COPY behaviours_checkin ({columns}) FROM STDIN") as copy:
            for n, person_id in enumerate(leader_ids):
                for d in range(365):
                    mask = masks[(n * 31 + d) % len(masks)]
                    c = consistency.counts(mask)
                    copy.write_row(
                        (org.pk, now, now, person_id, first_day + dt.timedelta(days=d), mask,
                         c["daily"], c["weekly"], c["monthly"], False, "link", now)
                    )  # fmt: skip
    checkins = len(leader_ids) * 365
    DecisionLogEntry.objects.bulk_create(
        DecisionLogEntry(
            organisation=org, title=f"Decision {i}",
            requested_at=(d := now - dt.timedelta(days=rng.uniform(0, 365))) - dt.timedelta(
                days=rng.uniform(1, 40)),
            decided_at=d,
        )
        for i in range(2000)
    )  # fmt: skip
    sponsor = Person.objects.filter(organisation=org, leader_level="executive").first()
    Initiative.objects.bulk_create(
        Initiative(
            organisation=org, name=f"Initiative {i}", sponsor=sponsor,
            stage=rng.choice(["stage.idea", "stage.learning_only_pilot", "stage.scaling"]),
        )
        for i in range(300)
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    period = periods.containing(periods.MONTH, timezone.localdate())
    trend = periods.last(period, selectors.HISTORY)
    unit = units[7]

    used_tools = catalogue.BEHAVIOUR_USED_AI_TOOLS
    cross_functional = catalogue.BEHAVIOUR_CROSS_FUNCTIONAL

    def ours(scope: Any) -> Any:
        return lambda: selectors.dashboard(org, period=period, scope=scope)

    def raw(unit_path: str) -> Any:
        def run() -> list[Any]:
            out = []
            with connection.cursor() as cursor:
                for p in trend:
                    end = dt.datetime.combine(p.end + dt.timedelta(days=1), dt.time(), dt.UTC)
                    start = dt.datetime.combine(p.start, dt.time(), dt.UTC)
                    cursor.execute(
                        """
                        SELECT count(*), count(*) FILTER (WHERE total >= 69.5) FROM (
                          SELECT DISTINCT ON (r.person_id) r.total
                          FROM assessments_leaderresult r
                          JOIN assessments_readinesscycle c ON c.id = r.cycle_id
                          JOIN people_person p ON p.id = r.person_id
                          LEFT JOIN people_orgunit u ON u.id = p.org_unit_id
                          WHERE r.organisation_id = %s AND c.released_at IS NOT NULL
                            AND c.closes_at <= %s AND r.total IS NOT NULL
                            AND r.band_key <> '' AND p.active AND u.path LIKE %s
                          ORDER BY r.person_id, c.opens_at DESC, c.id DESC) t
                        """,
                        [org.pk, end, unit_path + "%"],
                    )
                    out.append(cursor.fetchone())
                    for v in kpi_versions:
                        cursor.execute(
                            """
                            SELECT rel.payload FROM surveys_campaign c
                            JOIN surveys_release rel ON rel.campaign_id = c.id
                            WHERE c.organisation_id = %s AND c.version_id = %s
                              AND c.closes_at <= %s
                            ORDER BY c.closes_at DESC LIMIT 1
                            """,
                            [org.pk, v.pk, end],
                        )
                        out.append(cursor.fetchone())
                    # KPI 2: each leader's ticks of the daily behaviours over its window.
                    last = min(p.end, today)
                    cursor.execute(
                        "SELECT c.person_id, sum(c.daily) FROM behaviours_checkin c "
                        "JOIN people_person p ON p.id = c.person_id "
                        "LEFT JOIN people_orgunit u ON u.id = p.org_unit_id "
                        "WHERE c.organisation_id = %s AND c.day > %s AND c.day <= %s "
                        "AND p.active AND p.leader_level <> '' AND u.path LIKE %s "
                        "GROUP BY c.person_id",
                        [org.pk, last - dt.timedelta(days=28), last, unit_path + "%"],
                    )
                    out.append(len(cursor.fetchall()))
                    # Executive tool adoption and cross-functional work: one behaviour's days.
                    for key, since, level in (
                        (used_tools, last - dt.timedelta(days=27), "executive"),
                        (cross_functional, p.start, ""),
                    ):
                        cursor.execute(
                            "SELECT c.person_id, count(*) FROM behaviours_checkin c "
                            "JOIN people_person p ON p.id = c.person_id "
                            "LEFT JOIN people_orgunit u ON u.id = p.org_unit_id "
                            "WHERE c.organisation_id = %s AND c.day >= %s AND c.day <= %s "
                            "AND (c.done & %s) > 0 AND p.active AND u.path LIKE %s "
                            "AND (%s = '' OR p.leader_level = %s) GROUP BY c.person_id",
                            [org.pk, since, last, consistency.BIT[key], unit_path + "%",
                             level, level],
                        )  # fmt: skip
                        out.append(len(cursor.fetchall()))
                    cursor.execute(
                        "SELECT requested_at, decided_at FROM initiatives_decisionlogentry "
                        "WHERE organisation_id = %s AND decided_at >= %s AND decided_at < %s",
                        [org.pk, start, end],
                    )
                    rows = cursor.fetchall()
                    out.append(statistics.median([(d - r).days for r, d in rows] or [0]))
                    cursor.execute(
                        "SELECT count(*), count(*) FILTER (WHERE stage <> 'stage.idea') "
                        "FROM initiatives_initiative WHERE organisation_id = %s "
                        "AND created_at <= %s AND stage <> 'stage.retired'",
                        [org.pk, end],
                    )
                    out.append(cursor.fetchone())
            return out

        return run

    whole, raw_whole = alternate(ours(Scope()), raw(""), RUNS)
    in_unit, raw_unit = alternate(ours(Scope(unit=unit)), raw(unit.path), RUNS)
    admin = make_member(org, Role.ADMIN, email="admin@bench.example")
    client = Client()
    client.force_login(admin.user)
    client.get("/insights/")  # warm
    page = statistics.median(timed(lambda: client.get("/insights/")) for _ in range(RUNS))
    # The first view once periods have settled computes and keeps their figures.
    from bellwether.insights.models import KpiSnapshot

    cold = []
    for _ in range(3):
        KpiSnapshot.objects.filter(organisation=org).delete()
        cold.append(timed(lambda: client.get("/insights/")))
    kept = KpiSnapshot.objects.filter(organisation=org).count()
    home = statistics.median(timed(lambda: client.get("/")) for _ in range(RUNS))
    assert client.get("/insights/").status_code == 200
    # Where the time goes: each KPI's six periods, whole organisation.
    from bellwether.insights.sources import SOURCES, Context

    per_source = {}
    for key, source in SOURCES.items():
        memo: dict[object, object] = {}
        per_source[key] = timed(
            lambda source=source, memo=memo: [
                source.compute(Context(org, p, Scope(), 10.0, memo)) for p in trend
            ]
        )
    return {
        "per_source": per_source,
        "people": people,
        "checkins": checkins,
        "leaders": len(leader_ids),
        "figures": len(trend) * 10,
        "whole": whole,
        "raw_whole": raw_whole,
        "unit": in_unit,
        "raw_unit": raw_unit,
        "page": page,
        "cold": statistics.median(cold),
        "kept": kept,
        "home": home,
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--leaders", type=int, default=5000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.people, args.leaders)))
        return 0
    r = run_in_own_database(
        __file__, BENCH_DB, ["--people", str(args.people), "--leaders", str(args.leaders)]
    )
    if r is None:
        return 0
    print(
        f"insights: {r['people']:,} people, {r['leaders']:,} leaders, 4 cycles, 24 pulses, "
        f"{r['checkins']:,} check-ins, 2,000 decisions; {r['figures']} figures per dashboard"
    )
    for label, ours, raw in (
        ("whole organisation", "whole", "raw_whole"),
        ("one unit", "unit", "raw_unit"),
    ):
        print(
            f"  figures, {label:18} {r[ours] * 1000:7.0f} ms   raw SQL of the same "
            f"{r[raw] * 1000:7.0f} ms   ({r[ours] / r[raw]:.1f}x)"
        )
    print(
        f"  dashboard page (warm)    {r['page'] * 1000:7.0f} ms   aim < {AIM_PAGE_SECONDS * 1000:.0f} ms"
    )
    print(
        f"  dashboard page, first view after periods settle (keeps {r['kept']} figures) "
        f"{r['cold'] * 1000:7.0f} ms"
    )
    print(f"  admin home page (warm)   {r['home'] * 1000:7.0f} ms")
    slowest = sorted(r["per_source"].items(), key=lambda kv: -kv[1])[:4]
    print(
        "  slowest KPIs (six periods each): "
        + ", ".join(
            f"{key.removeprefix('kpi.')} {seconds * 1000:.0f} ms" for key, seconds in slowest
        )
    )
    return 0 if r["page"] < AIM_PAGE_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
