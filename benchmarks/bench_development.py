"""Benchmark: generating learning plans for a cohort of 5,000 leaders, on PostgreSQL.

    .venv/bin/python benchmarks/bench_development.py [--leaders 5000]

Creates the database ``bellwether_bench_development`` on the server named by DATABASE_URL
(or postgres://postgres@127.0.0.1:5432), migrates it, loads 5,000 leaders (a tenth of them
sponsors, each with a released readiness result so modules are ordered by their lowest
dimensions), then measures

* the cohort generation job (``services.run_generation``: the cohort query, the facts of
  every leader, the planner, bulk inserts of plans, items and milestone reviews, progress
  updates) — target under 60 s (issue 13);
* a raw bulk insert of exactly the same rows (PostgreSQL ``COPY``, no planning, no
  reads, no ORM) — the baseline the job is compared with.

The database is dropped afterwards. Runs its measurements in a child process so Django
reads the benchmark's settings once.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bellwether_bench_development"
TARGET_SECONDS = 60.0


def child(leaders: int) -> dict[str, Any]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bellwether.settings"
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from bellwether.accounts.models import Membership, RoleGrant, User
    from bellwether.assessments.models import LeaderResult, ReadinessCycle
    from bellwether.assessments.services import ensure_readiness_instrument
    from bellwether.core.models import Organisation
    from bellwether.development import services
    from bellwether.development.models import (
        GenerationJob,
        LearningPlan,
        MilestoneReview,
        PlanItem,
    )
    from bellwether.people.models import Person
    from bellwether.surveys.models import Campaign

    call_command("migrate", verbosity=0)
    now = timezone.now()
    org = Organisation.objects.create(name="Bench", slug="bench")
    levels = ("executive", "senior", "operational", "operational")
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=org,
                employee_id=f"L{i}",
                name=f"Leader {i:05d}",
                leader_level=levels[i % 4],
            )
            for i in range(leaders)
        ],
        batch_size=2000,
    )
    users = User.objects.bulk_create(
        [User(email=f"s{i}@bench.test") for i in range(0, leaders, 10)], batch_size=2000
    )
    members = Membership.objects.bulk_create(
        [Membership(user=u, organisation=org, person=people[n * 10]) for n, u in enumerate(users)],
        batch_size=2000,
    )
    RoleGrant.objects.bulk_create(
        [RoleGrant(membership=m, role="sponsor") for m in members], batch_size=2000
    )
    opens = now - datetime.timedelta(days=60)
    campaign = Campaign.objects.create(
        organisation=org,
        version=ensure_readiness_instrument(organisation=org),
        name="Bench cycle",
        mode=Campaign.Mode.CONFIDENTIAL,
        opens_at=opens,
        closes_at=opens + datetime.timedelta(days=14),
        audience={"person_ids": [p.pk for p in people]},
    )
    cycle = ReadinessCycle.objects.create(
        organisation=org,
        campaign=campaign,
        name="Bench cycle",
        opens_at=now - datetime.timedelta(days=60),
        closes_at=now - datetime.timedelta(days=30),
        released_at=now - datetime.timedelta(days=20),
    )
    dims = ("knowledge", "attitude", "behaviours", "strategy")
    LeaderResult.objects.bulk_create(
        [
            LeaderResult(
                organisation=org,
                cycle=cycle,
                person=p,
                total=60,
                band_key="band.cautious",
                score={
                    "dimension_scores": {
                        d: {"record": float(5 + (p.pk * (k + 3)) % 20)} for k, d in enumerate(dims)
                    }
                },
            )
            for p in people
        ],
        batch_size=2000,
    )

    job = GenerationJob.objects.create(
        organisation=org,
        cohort={"cycle_id": None, "unit_id": None, "level": ""},
        start_date=now.date(),
    )
    started = time.perf_counter()
    services.run_generation(job_id=job.pk)
    generate_seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.created_count == leaders, job.created_count

    plan_fields = [f.column for f in LearningPlan._meta.concrete_fields]
    tables = [
        (LearningPlan, plan_fields),
        (PlanItem, [f.column for f in PlanItem._meta.concrete_fields]),
        (MilestoneReview, [f.column for f in MilestoneReview._meta.concrete_fields]),
    ]
    rows: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for model, columns in tables:
            cursor.execute(f"SELECT {', '.join(columns)} FROM {model._meta.db_table}")
            rows[model._meta.db_table] = cursor.fetchall()
        for model, _ in reversed(tables):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
    counts = {table: len(values) for table, values in rows.items()}

    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY, the fastest raw insert
        for model, columns in tables:
            table = model._meta.db_table
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(
                        tuple(json.dumps(v) if isinstance(v, list | dict) else v for v in row)
                    )
    raw_seconds = time.perf_counter() - started
    return {
        "leaders": leaders,
        "generate_seconds": generate_seconds,
        "raw_seconds": raw_seconds,
        "rows": counts,
    }


def postgres_admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/postgres", parts.query, parts.fragment))


def report(r: dict[str, Any]) -> bool:
    total_rows = sum(r["rows"].values())
    ratio = r["generate_seconds"] / r["raw_seconds"]
    ok = r["generate_seconds"] < TARGET_SECONDS
    print(f"PostgreSQL: {r['leaders']:,} leaders, {total_rows:,} rows written ({r['rows']})")
    print(
        f"  generation job    {r['generate_seconds']:7.2f} s  "
        f"({r['leaders'] / r['generate_seconds']:,.0f} plans/s; target < {TARGET_SECONDS:.0f} s)"
    )
    print(
        f"  raw bulk insert   {r['raw_seconds']:7.2f} s  (the job takes {ratio:.1f}x the raw insert)"
    )
    print(f"  {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--leaders", type=int, default=5000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(child(args.leaders)))
        return
    import psycopg

    admin_url = postgres_admin_url()
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL: skipped, cannot connect ({exc})")
        return
    tmp = Path(tempfile.mkdtemp(prefix="bw-bench-development-"))
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
            [sys.executable, __file__, "--child", "--leaders", str(args.leaders)],
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
