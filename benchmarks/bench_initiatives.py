"""Benchmark: the AI-initiative portfolio at scale, on PostgreSQL.

    .venv/bin/python benchmarks/bench_initiatives.py [--initiatives 500] [--metrics 20] [--days 730]

Creates the database ``bellwether_bench_initiatives`` on the server named by DATABASE_URL
(or postgres://postgres@127.0.0.1:5432), migrates it, loads 500 initiatives with 20
metrics each and a measurement per metric per day for two years (7.3 million rows,
loaded with COPY), then measures

* the portfolio (``selectors.portfolio``: readiness, gates, latest counter-metric values
  against guardrails, chain weakness, capacity, alignment, majority wall) against the
  same raw SQL aggregates (measurement-integrity counts, latest value of each guarded
  counter-metric, gate, chain, capacity, alignment and adoption rows) fetched without
  any rule applied — target <= 2x;
* pushing one initiative's two years of measurements (``services.record_measurements``)
  against a raw COPY of the same rows — target >= 20% of the raw rate — and re-pushing
  the same batch (idempotent: nothing changes) — target faster than the first push.

The database is dropped afterwards. Runs its measurements in a child process so Django
reads the benchmark's settings once.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bellwether_bench_initiatives"
LAYERS = (
    ["layer.model_data_health"] * 5
    + ["layer.operational"] * 7
    + ["layer.business_risk_outcome"] * 5
    + ["layer.counter_metric"] * 3
)


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    """The fastest of ``runs`` calls: the figure least disturbed by other load on the host."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def child(initiatives: int, metrics: int, days: int) -> dict[str, Any]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bellwether.settings"
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bellwether.core.models import Organisation
    from bellwether.framework.catalogue import CATALOGUE
    from bellwether.initiatives import alignment, selectors, services
    from bellwether.initiatives.models import (
        AdoptionSample,
        AlignmentPosition,
        BottleneckTeam,
        ChainLink,
        GateReview,
        Initiative,
        Metric,
        Signatory,
        TeamDemand,
    )
    from bellwether.people.models import Person

    call_command("migrate", verbosity=0)
    rng = random.Random(7)
    now = timezone.now()
    org = Organisation.objects.create(name="Bench", slug="bench")
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=org, employee_id=f"X{i}", name=f"Exec {i}", leader_level="executive"
            )
            for i in range(20)
        ]
    )
    teams = BottleneckTeam.objects.bulk_create(
        [
            BottleneckTeam(organisation=org, name=t.name, catalogue_key=t.key, cap=50)
            for t in CATALOGUE.bottleneck_teams
        ]
    )
    stages = [s.key for s in CATALOGUE.initiative_stages]
    archetypes = [a.key for a in CATALOGUE.archetypes]
    items = Initiative.objects.bulk_create(
        [
            Initiative(
                organisation=org,
                name=f"Initiative {i:04d}",
                archetype=rng.choice(archetypes),
                stage=rng.choice(stages),
                sponsor=rng.choice(people),
            )
            for i in range(initiatives)
        ]
    )
    GateReview.objects.bulk_create(
        [
            GateReview(
                organisation=org,
                initiative=i,
                key=key,
                status=rng.choice(["open", "evidence_submitted", "endorsed", "endorsed"]),
            )
            for i in items
            for key in alignment.GATE_KEYS
        ]
    )
    ChainLink.objects.bulk_create(
        [
            ChainLink(organisation=org, initiative=i, position=n, kind=kind, text=kind)
            for i in items
            for n, kind in enumerate(alignment.CHAIN_KINDS[: rng.choice([2, 3, 4, 4])], start=1)
        ]
    )
    all_metrics = Metric.objects.bulk_create(
        [
            Metric(
                organisation=org,
                initiative=i,
                name=f"Metric {m}",
                layer=LAYERS[m % len(LAYERS)],
                direction="decrease",
                baseline_value=10.0 if m % 2 else None,
                baseline_period="Last year",
                comparison=rng.choice([c.key for c in CATALOGUE.comparison_methods]),
                guardrail=12.0 if LAYERS[m % len(LAYERS)] == "layer.counter_metric" else None,
            )
            for i in items
            for m in range(metrics)
        ]
    )
    Signatory.objects.bulk_create(
        [
            Signatory(organisation=org, initiative=i, person=p)
            for i in items
            for p in rng.sample(people, 5)
        ]
    )
    AlignmentPosition.objects.bulk_create(
        [
            AlignmentPosition(
                organisation=org,
                initiative=s.initiative,
                executive=s.person,
                element=element,
                agrees=rng.random() > 0.1,
            )
            for s in Signatory.objects.select_related("initiative", "person")
            for element in alignment.ALIGNMENT_ELEMENTS
        ]
    )
    TeamDemand.objects.bulk_create(
        [
            TeamDemand(organisation=org, initiative=i, team=t, in_flight=rng.random() > 0.5)
            for i in items
            for t in teams
        ]
    )
    AdoptionSample.objects.bulk_create(
        [
            AdoptionSample(
                organisation=org,
                initiative=i,
                cohort=cohort,
                week=w,
                suggestions=100,
                accepted=80 if cohort == "early_adopters" else rng.randint(40, 80),
            )
            for i in items
            for w in range(1, 21)
            for cohort in ("early_adopters", "majority")
        ]
    )

    start_day = now - datetime.timedelta(days=days)
    load_start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        columns = "organisation_id, created_at, updated_at, metric_id, measured_at, value, source"
        with cursor.cursor.copy(f"COPY initiatives_measurement ({columns}) FROM STDIN") as copy:
            for metric in all_metrics:
                for d in range(days):
                    copy.write_row(
                        (
                            org.pk,
                            now,
                            now,
                            metric.pk,
                            start_day + datetime.timedelta(days=d),
                            10 + (d % 50) / 10,
                            "api",
                        )
                    )
    load_seconds = time.perf_counter() - load_start
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE initiatives_measurement")
        cursor.execute("ANALYZE")
        cursor.execute("SELECT count(*) FROM initiatives_measurement")
        measurement_rows = cursor.fetchone()[0]

    # --- portfolio vs raw aggregates -------------------------------------------------------
    queryset = Initiative.objects.filter(organisation=org)
    rows = selectors.portfolio(queryset)
    assert len(rows) == initiatives
    portfolio_seconds = best_of(7, lambda: selectors.portfolio(queryset))
    if os.environ.get("BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.runcall(selectors.portfolio, queryset)
        with open(os.environ["BENCH_PROFILE"], "w") as out:
            pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(25)

    raw_sql = [
        "SELECT i.id, i.name, i.stage, p.name FROM initiatives_initiative i "
        "JOIN people_person p ON p.id = i.sponsor_id WHERE i.organisation_id = %(org)s ORDER BY i.name",
        "SELECT initiative_id, key, status FROM initiatives_gatereview g JOIN initiatives_initiative i "
        "ON i.id = g.initiative_id WHERE i.organisation_id = %(org)s",
        "SELECT m.initiative_id, "
        "count(*) FILTER (WHERE layer = 'layer.operational' AND baseline_value IS NOT NULL "
        "AND comparison <> 'comparison.none'), "
        "count(*) FILTER (WHERE layer = 'layer.business_risk_outcome' AND baseline_value IS NOT NULL "
        "AND comparison <> 'comparison.none'), "
        "count(*) FILTER (WHERE layer = 'layer.counter_metric') "
        "FROM initiatives_metric m JOIN initiatives_initiative i ON i.id = m.initiative_id "
        "WHERE i.organisation_id = %(org)s GROUP BY m.initiative_id",
        "SELECT m.initiative_id, m.name, m.direction, m.guardrail, "
        "(SELECT value FROM initiatives_measurement x WHERE x.metric_id = m.id "
        "ORDER BY measured_at DESC LIMIT 1) FROM initiatives_metric m JOIN initiatives_initiative i "
        "ON i.id = m.initiative_id WHERE i.organisation_id = %(org)s "
        "AND m.layer = 'layer.counter_metric' AND m.guardrail IS NOT NULL",
        "SELECT c.initiative_id, c.kind FROM initiatives_chainlink c JOIN initiatives_initiative i "
        "ON i.id = c.initiative_id WHERE i.organisation_id = %(org)s ORDER BY c.initiative_id, c.position",
        "SELECT d.initiative_id, t.name FROM initiatives_teamdemand d JOIN initiatives_bottleneckteam t "
        "ON t.id = d.team_id WHERE d.in_flight AND t.organisation_id = %(org)s",
        "SELECT initiative_id, person_id FROM initiatives_signatory WHERE organisation_id = %(org)s",
        "SELECT initiative_id, executive_id, count(*) FROM initiatives_alignmentposition "
        "WHERE organisation_id = %(org)s AND agrees GROUP BY 1, 2",
        "SELECT initiative_id, executive_id, element FROM initiatives_alignmentposition "
        "WHERE organisation_id = %(org)s AND NOT agrees",
        "SELECT initiative_id, week, cohort, 100.0 * accepted / suggestions "
        "FROM initiatives_adoptionsample WHERE organisation_id = %(org)s AND week > 4 "
        "AND suggestions > 0",
    ]

    def raw() -> None:
        with connection.cursor() as cursor:
            for sql in raw_sql:
                cursor.execute(sql, {"org": org.pk})
                cursor.fetchall()

    raw_seconds = best_of(7, raw)
    breaches = sum(1 for r in rows for a in r.alerts if a.kind == "guardrail")

    # --- measurement push vs raw COPY --------------------------------------------------------
    def fresh_initiative(name: str) -> tuple[Initiative, list[Metric]]:
        initiative = Initiative.objects.create(
            organisation=org, name=name, archetype=archetypes[0], sponsor=people[0]
        )
        made = Metric.objects.bulk_create(
            [
                Metric(
                    organisation=org,
                    initiative=initiative,
                    name=f"Metric {m}",
                    layer=LAYERS[m % len(LAYERS)],
                    direction="increase",
                )
                for m in range(metrics)
            ]
        )
        return initiative, made

    pushed, push_metrics = fresh_initiative("Pushed")
    _copied, copy_metrics = fresh_initiative("Copied")
    points = [
        services.MeasurementPoint(m.pk, start_day + datetime.timedelta(days=d), float(d))
        for m in push_metrics
        for d in range(days)
    ]
    start = time.perf_counter()
    result = services.record_measurements(
        initiative=pushed, actor=None, points=points, source="api"
    )
    push_seconds = time.perf_counter() - start
    assert result.created == len(points), result
    start = time.perf_counter()
    again = services.record_measurements(initiative=pushed, actor=None, points=points, source="api")
    repush_seconds = time.perf_counter() - start
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(points)), again
    start = time.perf_counter()
    with (
        transaction.atomic(),
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY initiatives_measurement ({columns}) FROM STDIN") as copy,
    ):
        for m in copy_metrics:
            for d in range(days):
                copy.write_row(
                    (
                        org.pk,
                        now,
                        now,
                        m.pk,
                        start_day + datetime.timedelta(days=d),
                        float(d),
                        "api",
                    )
                )
    copy_seconds = time.perf_counter() - start

    return {
        "initiatives": initiatives,
        "metrics": initiatives * metrics,
        "measurements": measurement_rows,
        "load_seconds": load_seconds,
        "portfolio_seconds": portfolio_seconds,
        "raw_seconds": raw_seconds,
        "guardrail_alerts": breaches,
        "push_rows": len(points),
        "push_seconds": push_seconds,
        "repush_seconds": repush_seconds,
        "copy_seconds": copy_seconds,
    }


def postgres_admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def report(r: dict[str, Any]) -> bool:
    ratio = r["portfolio_seconds"] / r["raw_seconds"]
    push_rate = r["push_rows"] / r["push_seconds"]
    copy_rate = r["push_rows"] / r["copy_seconds"]
    share = push_rate / copy_rate
    ok = ratio <= 2 and share >= 0.2 and r["repush_seconds"] < r["push_seconds"]
    print(
        f"PostgreSQL: {r['initiatives']:,} initiatives, {r['metrics']:,} metrics, "
        f"{r['measurements']:,} measurements (COPY load {r['load_seconds']:.1f} s)"
    )
    print(
        f"  portfolio          {r['portfolio_seconds']:7.3f} s  "
        f"({r['guardrail_alerts']:,} guardrail alerts)"
    )
    print(f"  raw SQL aggregates {r['raw_seconds']:7.3f} s  ratio {ratio:.2f}x (target <= 2x)")
    print(
        f"  push {r['push_rows']:,} measurements {r['push_seconds']:6.2f} s  {push_rate:10,.0f} rows/s "
        f"= {share:.0%} of raw COPY ({copy_rate:,.0f} rows/s; target >= 20%)"
    )
    print(
        f"  re-push unchanged  {r['repush_seconds']:6.2f} s  "
        f"({r['push_seconds'] / r['repush_seconds']:.1f}x faster; changes nothing)"
    )
    print(f"  {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--initiatives", type=int, default=500)
    parser.add_argument("--metrics", type=int, default=20)
    parser.add_argument("--days", type=int, default=730)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(child(args.initiatives, args.metrics, args.days)))
        return
    import psycopg

    admin_url = postgres_admin_url()
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL: skipped, cannot connect ({exc})")
        return
    tmp = Path(tempfile.mkdtemp(prefix="bw-bench-initiatives-"))
    env = dict(os.environ, BELLWETHER_DEBUG="0", DATABASE_POOL="0", LOG_LEVEL="WARNING")
    env["BELLWETHER_VAR_DIR"] = str(tmp)
    parts = urlsplit(admin_url)
    env["DATABASE_URL"] = urlunsplit(
        (parts.scheme, parts.netloc, f"/{BENCH_DB}", parts.query, parts.fragment)
    )
    try:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--child",
                "--initiatives",
                str(args.initiatives),
                "--metrics",
                str(args.metrics),
                "--days",
                str(args.days),
            ],
            env=env,
            check=False,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        if out.returncode != 0:
            print(out.stdout, out.stderr, file=sys.stderr)
            sys.exit(out.returncode)
        ok = report(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
