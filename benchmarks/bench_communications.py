"""Benchmark: the whole organisation's communication rhythm, on PostgreSQL.

    .venv/bin/python benchmarks/bench_communications.py [--leaders 5000] [--reliability 0.85]

Creates the database ``bellwether_bench_communications`` on the server named by
DATABASE_URL (or postgres://postgres@127.0.0.1:5432), migrates it, loads ``--leaders``
leaders (2% executive, 18% senior, 80% operational) and a year of their deliveries (each
expected slot delivered with probability ``--reliability``, loaded with COPY: about a
million rows), then measures

* the organisation's status for the year (``selectors.organisation_rhythm``: every
  leader with slots delivered, expected and overdue — the admin view, its export and the
  weekly summary) — aim under 2 s;
* beside it, a plain SQL count of the same deliveries per leader (no slots, no rules).

The database is dropped afterwards. Runs its measurements in a child process so Django
reads the benchmark's settings once.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
BENCH_DB = "bellwether_bench_communications"
AIM_SECONDS = 2.0
YEAR = 2026


def best_of(runs: int, fn: Callable[[], Any]) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def child(leaders: int, reliability: float) -> dict[str, Any]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bellwether.settings"
    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from bellwether.communications import cadence, selectors
    from bellwether.core.models import Organisation
    from bellwether.people.models import OrgUnit, Person

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(5)
    org = Organisation.objects.create(name="Bench", slug="bench", time_zone="Europe/Paris")
    units = [
        OrgUnit.objects.create(organisation=org, code=f"U{i}", name=f"Unit {i}", path=f"/{i}/")
        for i in range(40)
    ]
    levels = ["executive"] * 2 + ["senior"] * 18 + ["operational"] * 80
    people = Person.objects.bulk_create(
        Person(
            organisation=org,
            employee_id=f"E{i:05d}",
            name=f"Leader {i}",
            org_unit=units[i % len(units)],
            leader_level=levels[i % len(levels)],
        )
        for i in range(leaders)
    )
    start, end = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    today = end + dt.timedelta(days=1)
    per_level = {
        level: cadence.expected_slots(
            [(c.key, c.frequency) for c in selectors.cadences_for(level)], start, end
        )
        for level in set(levels)
    }
    loaded = time.perf_counter()
    rows = 0
    with connection.cursor() as cursor:
        copy_sql = (
            "COPY communications_delivery (organisation_id, person_id, cadence_key, slot_start,"
            " delivered_at, delivered_on, channel, audiences, messages, title, notes, link,"
            " logged_by_label, fulfils, created_at, updated_at) FROM STDIN"
        )
        now = dt.datetime.now(tz=dt.UTC)
        with cursor.cursor.copy(copy_sql) as copy:
            for person in people:
                for key, slot in per_level[person.leader_level]:
                    if rng.random() > reliability:
                        continue
                    day = slot.due
                    moment = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
                    copy.write_row(
                        (
                            org.pk,
                            person.pk,
                            key,
                            slot.start,
                            moment,
                            day,
                            "channel.email",
                            '["audience.employees"]',
                            "[]",
                            "",
                            "",
                            "",
                            "bench",
                            True,
                            now,
                            now,
                        )
                    )
                    rows += 1
        cursor.execute("ANALYZE communications_delivery")
    load_seconds = time.perf_counter() - loaded

    def ours() -> list[Any]:
        return selectors.organisation_rhythm(org, start=start, end=end, today=today)

    def raw() -> list[Any]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT person_id, count(*) FROM communications_delivery WHERE organisation_id = %s"
                " AND delivered_on BETWEEN %s AND %s AND cadence_key <> '' GROUP BY person_id",
                [org.pk, start, end],
            )
            return cursor.fetchall()

    def load_leaders() -> list[Any]:
        return list(selectors.leaders_incl_inactive(org))

    def counts() -> Any:
        pairs = list(selectors.leaders_incl_inactive(org).values_list("pk", "leader_level"))
        return selectors.rhythms(org, pairs, start, end, today=today, restrict=False)

    result = ours()
    delivered = sum(r.delivered for r in result)
    counted = sum(n for _, n in raw())
    return {
        "leaders": leaders,
        "deliveries": rows,
        "load_seconds": load_seconds,
        "ours_seconds": best_of(3, ours),
        "raw_seconds": best_of(3, raw),
        "people_seconds": best_of(3, load_leaders),
        "counts_seconds": best_of(3, counts),
        "delivered": delivered,
        "raw_count": counted,
        "expected": sum(r.expected for r in result),
        "overdue": sum(r.overdue for r in result),
    }


def postgres_admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def report(r: dict[str, Any]) -> bool:
    ok = r["ours_seconds"] < AIM_SECONDS and r["delivered"] == r["raw_count"]
    print(
        f"PostgreSQL: {r['leaders']:,} leaders, {r['deliveries']:,} deliveries in a year "
        f"(COPY load {r['load_seconds']:.1f} s)"
    )
    print(
        f"  organisation rhythm {r['ours_seconds']:7.3f} s  ({r['delivered']:,} delivered of "
        f"{r['expected']:,} expected, {r['overdue']:,} overdue; aim < {AIM_SECONDS:.0f} s)"
    )
    print(
        f"    of which: loading the leaders {r['people_seconds']:.3f} s, "
        f"rhythm counts {r['counts_seconds']:.3f} s"
    )
    print(
        f"  plain SQL count     {r['raw_seconds']:7.3f} s  ({r['raw_count']:,} deliveries; "
        f"ratio {r['ours_seconds'] / r['raw_seconds']:.2f}x)"
    )
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"  {'PASS' if ok else 'FAIL'} (load average {load} on {os.cpu_count()} cores)")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leaders", type=int, default=5000)
    parser.add_argument("--reliability", type=float, default=0.85)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(child(args.leaders, args.reliability)))
        return
    import psycopg

    admin_url = postgres_admin_url()
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL: skipped, cannot connect ({exc})")
        return
    tmp = Path(tempfile.mkdtemp(prefix="bw-bench-communications-"))
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
                "--leaders",
                str(args.leaders),
                "--reliability",
                str(args.reliability),
            ],
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        result = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)
    if not report(result):
        sys.exit(1)


if __name__ == "__main__":
    main()
