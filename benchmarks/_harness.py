"""What every benchmark shares: a PostgreSQL database of its own, migrated from empty,
a child process that builds and measures in it, and timing helpers.

A benchmark script calls ``run_in_own_database(__file__, "bellwether_bench_x", args)``
from ``main``; the same script run with ``--child`` does the work and prints one JSON
line, which ``run_in_own_database`` returns. The database is dropped afterwards.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def timed(fn: Callable[[], Any]) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def alternate(a: Callable[[], Any], b: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Medians of ``runs`` alternating runs of ``a`` and ``b``, after one warm-up each."""
    a(), b()
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(timed(a))
        times_b.append(timed(b))
    return statistics.median(times_a), statistics.median(times_b)


def setup_django() -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bellwether.settings"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def run_in_own_database(
    script: str, database: str, args: Sequence[str], *, keep: bool = False
) -> dict[str, Any] | None:
    """Run ``script --child args`` against a fresh database ``database``; its last
    output line parsed as JSON, or None when no PostgreSQL server answers.

    ``keep``: the database is neither dropped before nor after, so a script that stamps
    what it built (``dataset_stamp``/``stamp_dataset``) can reuse it on the next run.
    The child's progress (stderr) is shown as it runs."""
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    admin_url = with_database(url, "postgres")
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL: skipped, cannot connect ({exc})")
        return None
    tmp = Path(tempfile.mkdtemp(prefix=f"bw-{database}-"))
    env = dict(
        os.environ,
        BELLWETHER_DEBUG="0",
        DATABASE_POOL="0",
        LOG_LEVEL="WARNING",
        BELLWETHER_VAR_DIR=str(tmp),
        DATABASE_URL=with_database(admin_url, database),
        PYTHONPATH=str(ROOT / "src"),
    )
    try:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database]
        ).fetchone()
        if not keep:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        if not keep or not exists:
            admin.execute(f"CREATE DATABASE {database}")
        out = subprocess.run(
            [sys.executable, script, "--child", *args],
            env=env, check=True, stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))
    except subprocess.CalledProcessError as exc:
        print(exc.stdout, file=sys.stderr)
        raise
    finally:
        if not keep:
            admin.execute(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)


STAMP_TABLE = "bench_dataset_stamp"


def dataset_stamp(stamp: str) -> int | None:
    """The organisation a kept database was built for under ``stamp``, or None (not
    built, built with other parameters, or the build did not finish)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {STAMP_TABLE} (stamp text PRIMARY KEY, organisation_id int)"
        )
        cursor.execute(f"SELECT organisation_id FROM {STAMP_TABLE} WHERE stamp = %s", [stamp])
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def stamp_dataset(stamp: str, organisation_id: int) -> None:
    """Record that the database now holds the dataset ``stamp`` (after the build finished)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {STAMP_TABLE}")
        cursor.execute(f"INSERT INTO {STAMP_TABLE} VALUES (%s, %s)", [stamp, organisation_id])


def progress(message: str) -> None:
    """A line on stderr: what a long child is doing (the parent shows it as it runs)."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)
