"""Benchmark: importing 100,000 people from an HRIS CSV.

    .venv/bin/python benchmarks/bench_import.py [--rows 100000] [--backend sqlite|postgres|both]

For each database it creates an empty database of its own (a temporary SQLite
file; the PostgreSQL database ``bellwether_bench`` on the server named by
DATABASE_URL or postgres://postgres@127.0.0.1:5432), migrates it, and measures

* a raw insert of the same rows (executemany on SQLite, COPY on PostgreSQL),
* the import (read, check, write, link managers) of the generated file,
* re-importing the unchanged file,

then prints people/second, the ratio to the raw insert, the re-import speed-up
and the peak RSS. Each database runs in its own process (Django reads its
settings once), and everything it creates is removed afterwards.

Targets: import >= 20% of the raw insert rate, peak RSS < 1 GiB, unchanged
re-import >= 2x faster than the first import.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bellwether_bench"
LEVELS = ["executive"] * 1 + ["senior"] * 5 + ["operational"] * 60 + [""] * 300
LOCATIONS = ["London", "Leeds", "Paris", "Berlin", "Madrid", "Lisbon", "Dublin", "Warsaw"]
TITLES = ["Engineer", "Analyst", "Manager", "Director", "Specialist", "Consultant", "Designer"]


def generate(rows: int, units: int, seed: int = 7) -> tuple[bytes, bytes]:
    """A units file (a tree of ``units`` departments) and a people file with an 8-wide
    management tree, in the spellings an HRIS export uses."""
    rng = random.Random(seed)
    unit_lines = ["Department Code,Department Name,Parent Department Code"]
    for i in range(units):
        parent = "" if i == 0 else f"D{(i - 1) // 6:04d}"
        unit_lines.append(f"D{i:04d},Department {i},{parent}")
    people = [
        "Employee ID,Full Name,Work Email,Job Title,Department Code,Manager ID,Level,Location,Hire Date,Active"
    ]
    start = date(2000, 1, 1)
    for i in range(rows):
        manager = "" if i == 0 else f"E{(i - 1) // 8:06d}"
        level = "executive" if i == 0 else rng.choice(LEVELS)
        hired = start + timedelta(days=rng.randrange(9000))
        people.append(
            f"E{i:06d},Person {i} Surname{rng.randrange(5000)},person{i}@example.com,"
            f"{rng.choice(TITLES)},D{rng.randrange(units):04d},{manager},{level},"
            f"{rng.choice(LOCATIONS)},{hired.isoformat()},{'true' if rng.random() > 0.02 else 'false'}"
        )
    return ("\n".join(unit_lines) + "\n").encode(), ("\n".join(people) + "\n").encode()


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def child(backend: str, rows: int, database_url: str) -> dict[str, float | int | str]:
    """Runs in a fresh process with DATABASE_URL pointing at an empty database."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bellwether.settings"
    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from bellwether.accounts.models import User
    from bellwether.core.models import Organisation
    from bellwether.people import importing, services
    from bellwether.people.models import Person

    call_command("migrate", verbosity=0, interactive=False)
    org = Organisation.objects.create(name="Bench", slug="bench")
    actor = User.objects.create_user("bench@example.com")
    units_file, people_file = generate(rows, units=max(10, rows // 100))
    result = services.import_org_units(
        organisation=org, actor=actor, content=units_file, filename="units.csv"
    )
    assert result.ok, result.errors[:5]

    # The raw baseline: the same rows, already parsed, straight into the table.
    table = importing.read_table(people_file, "people.csv")
    columns, _ = importing.resolve_columns(table.header, "people")
    plan = importing.plan_people(
        columns=columns, rows=table.rows, existing={}, unit_ids=services._unit_ids(org)
    )
    from django.utils import timezone

    now = timezone.now()
    fields = [
        "organisation_id",
        "created_at",
        "updated_at",
        "employee_id",
        "name",
        "email",
        "title",
        "org_unit_id",
        "leader_level",
        "location",
        "start_date",
        "active",
    ]
    raw_rows = [
        (
            org.pk,
            now,
            now,
            eid,
            v.name,
            v.email,
            v.title,
            v.org_unit_id,
            v.leader_level,
            v.location,
            v.start_date,
            v.active,
        )
        for eid, v in plan.create
    ]
    del plan, table
    column_list = ", ".join(fields)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        if backend == "postgresql":
            with cursor.cursor.copy(f"COPY people_person ({column_list}) FROM STDIN") as copy:
                for row in raw_rows:
                    copy.write_row(row)
        else:
            raw = connection.connection.cursor()
            marks = ", ".join("?" * len(fields))
            raw.executemany(
                f"INSERT INTO people_person ({column_list}) VALUES ({marks})",
                [
                    (
                        *row[:1],
                        str(now),
                        str(now),
                        *row[3:10],
                        row[10] and row[10].isoformat(),
                        row[11],
                    )
                    for row in raw_rows
                ],
            )
    raw_seconds = time.perf_counter() - started
    del raw_rows
    Person.objects.filter(organisation=org).delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE people_person" if backend == "postgresql" else "VACUUM")

    started = time.perf_counter()
    first = services.import_people(
        organisation=org, actor=actor, content=people_file, filename="people.csv"
    )
    import_seconds = time.perf_counter() - started
    assert first.ok, first.errors[:5]
    assert first.created == rows, first.counts()
    with connection.cursor() as cursor:
        if backend == "postgresql":
            cursor.execute("ANALYZE people_person")
    started = time.perf_counter()
    second = services.import_people(
        organisation=org, actor=actor, content=people_file, filename="people.csv"
    )
    reimport_seconds = time.perf_counter() - started
    assert second.ok, second.errors[:5]
    assert second.unchanged == rows, second.counts()
    linked = Person.objects.filter(organisation=org, manager__isnull=False).count()
    assert linked == rows - 1, linked
    return {
        "backend": backend,
        "rows": rows,
        "file_mib": round(len(people_file) / 2**20, 1),
        "raw_seconds": raw_seconds,
        "import_seconds": import_seconds,
        "reimport_seconds": reimport_seconds,
        "peak_rss_mib": peak_rss_mib(),
    }


def postgres_admin_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    return url


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def run_backend(backend: str, rows: int) -> dict[str, float | int | str] | None:
    env = dict(os.environ, BELLWETHER_DEBUG="0", DATABASE_POOL="0", LOG_LEVEL="WARNING")
    tmp = Path(tempfile.mkdtemp(prefix="bw-bench-"))
    env["BELLWETHER_VAR_DIR"] = str(tmp)
    admin = None
    try:
        if backend == "postgresql":
            import psycopg

            admin_url = with_database(postgres_admin_url(), "postgres")
            try:
                admin = psycopg.connect(admin_url, autocommit=True)
            except psycopg.OperationalError as exc:
                print(f"PostgreSQL: skipped, cannot connect ({exc})")
                return None
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB}")
            admin.execute(f"CREATE DATABASE {BENCH_DB}")
            env["DATABASE_URL"] = with_database(admin_url, BENCH_DB)
        else:
            env["DATABASE_URL"] = f"sqlite:///{tmp / 'bench.sqlite3'}"
        out = subprocess.run(
            [sys.executable, __file__, "--child", backend, "--rows", str(rows)],
            env=env,
            check=True,
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        return json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.CalledProcessError as exc:
        print(exc.stdout, exc.stderr, file=sys.stderr)
        raise
    finally:
        if admin is not None:
            admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
            admin.close()
        shutil.rmtree(tmp, ignore_errors=True)


def report(result: dict[str, float | int | str]) -> bool:
    rows = int(result["rows"])
    raw_rate = rows / float(result["raw_seconds"])
    import_rate = rows / float(result["import_seconds"])
    ratio = import_rate / raw_rate
    speedup = float(result["import_seconds"]) / float(result["reimport_seconds"])
    rss = float(result["peak_rss_mib"])
    baseline = "COPY" if result["backend"] == "postgresql" else "executemany"
    ok = ratio >= 0.2 and rss < 1024 and speedup >= 2
    print(f"\n{result['backend']}: {rows:,} people ({result['file_mib']} MiB CSV)")
    print(f"  raw {baseline:<12} {float(result['raw_seconds']):7.2f} s  {raw_rate:10,.0f} rows/s")
    print(
        f"  import           {float(result['import_seconds']):7.2f} s  {import_rate:10,.0f} people/s  "
        f"= {ratio:.0%} of raw (target >= 20%)"
    )
    print(
        f"  unchanged again  {float(result['reimport_seconds']):7.2f} s  "
        f"{speedup:.1f}x faster (target >= 2x)"
    )
    print(f"  peak RSS         {rss:7.0f} MiB (target < 1024)")
    print(f"  {'PASS' if ok else 'FAIL'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.child:
        print(json.dumps(child(args.child, args.rows, os.environ["DATABASE_URL"])))
        return
    backends = {"sqlite": ["sqlite"], "postgres": ["postgresql"], "both": ["sqlite", "postgresql"]}
    results = [r for b in backends[args.backend] if (r := run_backend(b, args.rows)) is not None]
    passed = [report(r) for r in results]
    sys.exit(0 if all(passed) else 1)


if __name__ == "__main__":
    main()
