"""Benchmark: an employee pulse for 100,000 invitees on PostgreSQL.

    .venv/bin/python benchmarks/bench_pulse.py [--people 100000] [--submissions 2000]

In a database of its own (``bellwether_bench_pulse`` on the server named by
DATABASE_URL or postgres://postgres@127.0.0.1:5432), migrated from empty, it measures

* launching a campaign to every invitee (one invitation each),
* submission throughput over HTTP (the API's submit-by-token, exactly-once path)
  against a minimal view (the health check) on the same server: gunicorn when it is
  installed, otherwise a threaded wsgiref server (labelled as such in the output),
* the suppressed results breakdown of the closed campaign (about 60% answered)
  against the raw GROUP BY of the same answers.

Targets: launch < 30 s; submissions >= 25% of the minimal view's request rate;
results breakdown within 5x of the raw GROUP BY. Everything created is dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bellwether_bench_pulse"
SERVER = """
import os, sys
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from bellwether.wsgi import application
class Server(ThreadingMixIn, WSGIServer):
    daemon_threads = True
class Quiet(WSGIRequestHandler):
    def log_message(self, *args): pass
make_server("127.0.0.1", int(sys.argv[1]), application, Server, Quiet).serve_forever()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_server(port: int, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    try:
        import gunicorn  # noqa: F401

        command = [
            sys.executable, "-m", "gunicorn", "bellwether.wsgi:application",
            "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning",
        ]  # fmt: skip
        kind = "gunicorn (2 workers x 4 threads)"
    except ImportError:
        command = [sys.executable, "-c", SERVER, str(port)]
        kind = "wsgiref threaded (gunicorn is not installed)"
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return process, kind


def timed_requests(requests: list[tuple[str, bytes | None]], workers: int = 8) -> float:
    def call(item: tuple[str, bytes | None]) -> int:
        url, body = item
        # Only ever http://127.0.0.1 URLs built above.
        request = urllib.request.Request(  # noqa: S310
            url, data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    started = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        statuses = list(pool.map(call, requests))
    seconds = time.perf_counter() - started
    bad = [s for s in statuses if s >= 300]
    assert not bad, f"{len(bad)} failed requests, e.g. {bad[:5]}"
    return seconds


def child(people: int, submissions: int) -> dict[str, float | int | str]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bellwether.settings"
    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bellwether.core.models import Organisation
    from bellwether.people.models import OrgUnit, Person
    from bellwether.surveys import selectors, services
    from bellwether.surveys.models import Answer, Campaign, Completion, Invitation, Response

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(7)
    org = Organisation.objects.create(name="Bench", slug="bench")
    root = OrgUnit.objects.create(organisation=org, code="ROOT", name="Root")
    root.path = f"/{root.pk}/"
    root.save()
    units = []
    for i in range(40):
        unit = OrgUnit.objects.create(
            organisation=org, code=f"U{i}", name=f"Unit {i}", parent=root, depth=1
        )
        unit.path = f"{root.path}{unit.pk}/"
        unit.save()
        units.append(unit)
    levels = ["executive"] + ["senior"] * 20 + ["operational"] * 200 + [""] * 2000
    Person.objects.bulk_create(
        (
            Person(
                organisation=org,
                employee_id=f"E{i:06d}",
                name=f"Person {i}",
                email=f"p{i}@example.com",
                org_unit=units[i % len(units)],
                leader_level=rng.choice(levels),
                start_date=dt.date(2010, 1, 1) + dt.timedelta(days=rng.randrange(5000)),
            )
            for i in range(people)
        ),
        batch_size=5000,
    )
    version = services.install_ready_pulses(organisation=org)[0]
    now = timezone.now()
    started = time.perf_counter()
    campaign = services.launch_campaign(
        organisation=org,
        actor=None,
        version=version,
        name="Bench pulse",
        opens_at=now - dt.timedelta(hours=1),
        closes_at=now + dt.timedelta(days=7),
        segments=["org_unit", "leader_level", "tenure_band"],
        send_email=False,
    )
    launch_seconds = time.perf_counter() - started
    assert Invitation.objects.filter(campaign=campaign).count() == people

    port = free_port()
    env = dict(os.environ)
    server, kind = start_server(port, env)
    try:
        base = f"http://127.0.0.1:{port}"
        minimal = timed_requests([(f"{base}/healthz", None)] * submissions)
        invitations = list(
            Invitation.objects.filter(campaign=campaign).order_by("pk")[:submissions]
        )
        body = json.dumps({"answers": {"confidence": 4, "clarity": 5}}).encode()
        submit = timed_requests(
            [
                (f"{base}/api/v1/surveys/respond/{services.invitation_token(inv)}", body)
                for inv in invitations
            ]
        )
    finally:
        server.terminate()
        server.wait()
    assert Response.objects.filter(campaign=campaign).count() == submissions

    # Fill the rest to ~60% answered, the way the service would store them.
    questions = list(version.questions.order_by("position"))
    scored = [q for q in questions if q.scale != "text"]
    persons = {p.pk: p for p in Person.objects.filter(organisation=org).select_related("org_unit")}
    pending = Invitation.objects.filter(campaign=campaign, completion=None).values_list(
        "pk", "person_id"
    )
    responses, answers, completions = [], [], []
    for pk, person_id in pending.iterator(chunk_size=5000):
        if rng.random() > 0.6:
            continue
        response = Response(
            organisation=org,
            campaign=campaign,
            **services.segment_values(campaign, persons[person_id], now.date()),
        )
        responses.append(response)
        answers += [
            Answer(organisation=org, response=response, question=q, value=rng.randint(1, 5))
            for q in scored
        ]
        completions.append(Completion(organisation=org, invitation_id=pk, campaign=campaign))
    Response.objects.bulk_create(responses, batch_size=5000)
    Answer.objects.bulk_create(answers, batch_size=10000)
    Completion.objects.bulk_create(completions, batch_size=5000)
    Campaign.objects.filter(pk=campaign.pk).update(closes_at=now - dt.timedelta(seconds=1))
    campaign.refresh_from_db()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    started = time.perf_counter()
    results = selectors.campaign_results(campaign)
    results_seconds = time.perf_counter() - started
    assert results.total_shown
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for column in ("org_unit_path", "leader_level", "tenure_band"):
            cursor.execute(
                f"SELECT r.{column}, a.question_id, a.value, count(*) "
                "FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
                f"WHERE r.campaign_id = %s GROUP BY r.{column}, a.question_id, a.value",
                [campaign.pk],
            )
            cursor.fetchall()
    raw_seconds = time.perf_counter() - started
    return {
        "people": people,
        "submissions": submissions,
        "responses": Response.objects.filter(campaign=campaign).count(),
        "server": kind,
        "launch_seconds": launch_seconds,
        "minimal_seconds": minimal,
        "submit_seconds": submit,
        "results_seconds": results_seconds,
        "raw_group_by_seconds": raw_seconds,
    }


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--submissions", type=int, default=2000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.people, args.submissions)))
        return 0
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    admin_url = with_database(url, "postgres")
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL: skipped, cannot connect ({exc})")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bw-bench-pulse-"))
    env = dict(
        os.environ,
        BELLWETHER_DEBUG="0",
        DATABASE_POOL="0",
        LOG_LEVEL="WARNING",
        BELLWETHER_VAR_DIR=str(tmp),
        DATABASE_URL=with_database(admin_url, BENCH_DB),
        PYTHONPATH=str(ROOT / "src"),
    )
    try:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {BENCH_DB}")
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--people", str(args.people),
             "--submissions", str(args.submissions)],
            env=env, check=True, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        result = json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.CalledProcessError as exc:
        print(exc.stdout, exc.stderr, file=sys.stderr)
        raise
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)
    n = result["submissions"]
    minimal_rate = n / result["minimal_seconds"]
    submit_rate = n / result["submit_seconds"]
    ratio = result["results_seconds"] / result["raw_group_by_seconds"]
    print(f"pulse: {result['people']:,} invitees, {result['responses']:,} responses")
    print(f"  launch (invitations)     {result['launch_seconds']:7.2f} s (target < 30 s)")
    print(f"  server                   {result['server']}")
    print(f"  minimal view             {minimal_rate:8,.0f} req/s")
    print(
        f"  submit by token          {submit_rate:8,.0f} req/s "
        f"= {submit_rate / minimal_rate:.0%} of minimal (target >= 25%)"
    )
    print(
        f"  results (suppressed)     {result['results_seconds']:7.2f} s vs raw GROUP BY "
        f"{result['raw_group_by_seconds']:.2f} s = {ratio:.1f}x (target <= 5x)"
    )
    ok = result["launch_seconds"] < 30 and submit_rate >= 0.25 * minimal_rate and ratio <= 5
    print("  OK" if ok else "  TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
