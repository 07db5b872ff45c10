"""Benchmark: provisioning 10,000 Users through SCIM by a burst of concurrent requests.

    .venv/bin/python benchmarks/bench_scim.py [--users 10000] [--clients 16] [--port 8111]
                                              [--workers 2] [--threads 4] [--retries 0.02]
                                              [--compare 40]

In a PostgreSQL database of its own (``bellwether_bench_scim``), migrated from empty,
one gunicorn (``--workers`` x ``--threads``) serves the app; ``--clients`` threads, each
with its own keep-alive connection, POST ``/scim/v2/Users`` for ``--users`` Users with a
manager (the first 100 are sent first, by one client; every later User reports to one
of them) and an identity provider's retries (``--retries`` of the Users are sent a
second time by another client, which must answer 409). It prints Users/second and
p50/p95 latency with the status counts and the machine's load average, then checks in
the database: exactly ``--users`` people and live links, no two with the same employee
id, externalId, userName or email, and every manager link the one that was sent.

Baselines, measured in the same run (in-process, no HTTP):

* the same number of people through the bulk import service (``upsert_people_records``,
  one call of ``--users`` records, into another organisation): the ceiling;
* ``--compare`` single people added to the organisation of ``--users`` people, one
  call each, through the batch upsert SCIM used before (which reads the whole
  organisation per call) and through ``upsert_person`` (which SCIM uses now).

Aims: zero errors (only 201 and the retries' 409), zero lost, zero duplicated, every
manager right. Exit status 1 when an aim is missed. Everything created is dropped.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _harness import ROOT, run_in_own_database, setup_django

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
MANAGERS = 100


def _body(number: int, manager_id: str | None) -> dict[str, object]:
    body: dict[str, object] = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "userName": f"user{number:06d}@bench.example.com",
        "externalId": f"ext-{number:06d}",
        "displayName": f"Bench User {number}",
        "emails": [{"value": f"user{number:06d}@bench.example.com", "primary": True}],
        "title": "Engineer",
        "active": True,
    }
    extension: dict[str, object] = {"employeeNumber": f"E{number:06d}"}
    if manager_id:
        extension["manager"] = {"value": manager_id}
    body[ENTERPRISE] = extension
    return body


def start_gunicorn(port: int, workers: int, threads: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bellwether.wsgi:application",
         "-w", str(workers), "--threads", str(threads), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning"],
        env=dict(os.environ), cwd=ROOT,
    )  # fmt: skip
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    raise RuntimeError("gunicorn did not start")


class Sender:
    def __init__(self, port: int, secret: str) -> None:
        self.port = port
        self.headers = {
            "Authorization": f"Bearer {secret}",
            "Content-Type": "application/scim+json",
        }
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, body: dict[str, object]) -> tuple[int, float, dict[str, object]]:
        started = time.perf_counter()
        self.connection.request("POST", "/scim/v2/Users", json.dumps(body), self.headers)
        response = self.connection.getresponse()
        data = response.read()
        elapsed = time.perf_counter() - started
        return response.status, elapsed, json.loads(data) if data else {}


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _record(number: int, manager: int | None) -> dict[str, object]:
    """The people import's record of what ``_body`` provisions."""
    record: dict[str, object] = {
        "employee_id": f"E{number:06d}",
        "name": f"Bench User {number}",
        "email": f"user{number:06d}@bench.example.com",
        "title": "Engineer",
        "active": "true",
    }
    if manager is not None:
        record["manager"] = f"E{manager:06d}"
    return record


def burst(args: argparse.Namespace, secret: str) -> dict[str, object]:
    """The managers, then everyone else at once; the answers' statuses and latencies."""
    server = start_gunicorn(args.port, args.workers, args.threads)
    try:
        first = Sender(args.port, secret)
        manager_ids = []
        started = time.perf_counter()
        for number in range(MANAGERS):
            status, _elapsed, data = first.post(_body(number, None))
            assert status == 201, (status, data)
            manager_ids.append(str(data["id"]))
        managers_seconds = time.perf_counter() - started
        rng = random.Random(18)
        numbers = list(range(MANAGERS, args.users))
        retried = set(rng.sample(numbers, int(len(numbers) * args.retries)))
        shares: list[list[int]] = [[] for _ in range(args.clients)]
        for index, number in enumerate(numbers):
            shares[index % args.clients].append(number)
        for index, number in enumerate(sorted(retried)):
            shares[(index + 1) % args.clients].append(number)  # another client
        latencies: list[float] = []
        statuses: Counter[int] = Counter()
        lock = threading.Lock()
        barrier = threading.Barrier(args.clients)

        def run(share: list[int]) -> None:
            sender = Sender(args.port, secret)
            barrier.wait()
            for number in share:
                manager = manager_ids[number % MANAGERS]
                status, elapsed, _data = sender.post(_body(number, manager))
                with lock:
                    statuses[status] += 1
                    latencies.append(elapsed)

        load_before = _load()
        threads = [threading.Thread(target=run, args=(share,)) for share in shares]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        load_after = _load()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return {
        "retries": len(retried),
        "managers_seconds": round(managers_seconds, 2),
        "seconds": round(wall, 2),
        "per_second": round((args.users - MANAGERS) / wall, 1),
        "overall_per_second": round(args.users / (wall + managers_seconds), 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(_percentile(latencies, 0.95) * 1000, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "load_before": load_before,
        "load_after": load_after,
    }


def check(org: Any, users: int) -> dict[str, object]:
    """What the database holds after the burst: counts, duplicates, manager links."""
    from django.db.models import Count

    from bellwether.integrations.scim.models import ScimUser
    from bellwether.people.models import Person

    people = Person.objects.filter(organisation=org)
    links = ScimUser.objects.filter(organisation=org, deleted_at__isnull=True)

    def duplicated(rows: Any, field: str) -> int:
        return rows.values(field).annotate(n=Count("id")).filter(n__gt=1).count()

    managers = dict(people.values_list("employee_id", "manager__employee_id"))
    expected = {
        f"E{n:06d}": (f"E{n % MANAGERS:06d}" if n >= MANAGERS else None) for n in range(users)
    }
    return {
        "people": people.count(),
        "links": links.count(),
        "duplicate_employee_ids": duplicated(people, "employee_id"),
        "duplicate_emails": duplicated(people, "email"),
        "duplicate_external_ids": duplicated(links, "external_id"),
        "duplicate_user_names": duplicated(links, "user_name_key"),
        "people_per_link": duplicated(links, "person"),
        # ext-000123 is the User of the person E000123, and of nobody else.
        "links_to_other_people": sum(
            1
            for external_id, employee_id in links.values_list("external_id", "person__employee_id")
            if external_id.removeprefix("ext-") != employee_id.removeprefix("E")
        ),
        "wrong_managers": sum(
            1 for eid, manager in expected.items() if managers.get(eid, "lost") != manager
        ),
    }


def baselines(args: argparse.Namespace, org: Any) -> dict[str, object]:
    """The bulk import of as many people, and single people through both services."""
    from bellwether.people import services as people_services
    from bellwether.testing.factories import OrganisationFactory

    other = OrganisationFactory(name="Bench bulk", slug="bench-bulk")
    records = [_record(n, n % MANAGERS if n >= MANAGERS else None) for n in range(args.users)]
    started = time.perf_counter()
    result = people_services.upsert_people_records(organisation=other, actor=None, records=records)
    bulk_seconds = time.perf_counter() - started
    assert result.ok, result
    assert result.created == args.users, result
    timings: dict[str, list[float]] = {"batch": [], "single": []}
    for index in range(args.compare * 2):
        number = 10_000_000 + index
        record = _record(number, index % MANAGERS)
        way = "batch" if index % 2 == 0 else "single"  # alternating: same load for both
        started = time.perf_counter()
        if way == "batch":
            done = people_services.upsert_people_records(
                organisation=org, actor=None, records=[record]
            )
            assert done.ok, done
        else:
            people_services.upsert_person(organisation=org, actor=None, record=record)
        timings[way].append(time.perf_counter() - started)
    return {
        "bulk_seconds": round(bulk_seconds, 2),
        "bulk_per_second": round(args.users / bulk_seconds, 1),
        **{
            f"{way}_{name}_ms": round(value * 1000, 1)
            for way, values in timings.items()
            for name, value in (
                ("p50", statistics.median(values)),
                ("p95", _percentile(values, 0.95)),
            )
        },
        **{
            f"{way}_per_second": round(len(values) / sum(values), 1)
            for way, values in timings.items()
        },
    }


def child(args: argparse.Namespace) -> dict[str, object]:
    setup_django()
    from bellwether.accounts.roles import Role
    from bellwether.integrations.scim import services
    from bellwether.testing.factories import OrganisationFactory, make_member

    org = OrganisationFactory(name="Bench", slug="bench")
    admin = make_member(org, Role.ADMIN, email="admin@bench.example.com")
    _token, secret = services.create_scim_token(membership=admin, name="bench")
    measured = burst(args, secret)
    checked = check(org, args.users)
    compared = baselines(args, org) if args.compare else {}
    return {
        "users": args.users,
        "clients": args.clients,
        "workers": args.workers,
        "threads": args.threads,
        "compare": args.compare,
        **measured,
        **checked,
        **compared,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--retries", type=float, default=0.02)
    parser.add_argument("--compare", type=int, default=40)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return 0
    forwarded = [
        f"--{name}={getattr(args, name)}"
        for name in ("users", "clients", "port", "workers", "threads", "retries", "compare")
    ]
    result = run_in_own_database(__file__, "bellwether_bench_scim", forwarded)
    if result is None:
        return 0
    r = result
    statuses = r["statuses"]
    print(
        f"SCIM provisioning: {r['users']} Users, {r['clients']} concurrent clients, "
        f"gunicorn {r['workers']} workers x {r['threads']} threads, PostgreSQL, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"  managers (1 client)    {MANAGERS} in {r['managers_seconds']} s")
    print(
        f"  burst                  {r['users'] - MANAGERS} in {r['seconds']} s: "
        f"{r['per_second']} Users/s ({r['overall_per_second']} Users/s with the managers)"
    )
    print(f"  latency                p50 {r['p50_ms']} ms, p95 {r['p95_ms']} ms")
    print(f"  load average (1/5/15)  {r['load_before']} before, {r['load_after']} after")
    print(f"  answers                {statuses} ({r['retries']} retried Users)")
    print(f"  people / live links    {r['people']} / {r['links']}")
    print(
        "  duplicates             employee id {duplicate_employee_ids}, email "
        "{duplicate_emails}, externalId {duplicate_external_ids}, userName "
        "{duplicate_user_names}, links per person {people_per_link}, links on another's "
        "person {links_to_other_people}".format(**r)
    )
    print(f"  wrong manager links    {r['wrong_managers']}")
    if r["compare"]:
        print(
            f"  baseline: bulk import  {r['users']} people in one call: {r['bulk_seconds']} s, "
            f"{r['bulk_per_second']} people/s"
        )
        print(
            f"  baseline: one person at a time into the {r['users']}, in-process, "
            f"{r['compare']} each, alternating:"
        )
        print(
            f"    batch upsert (SCIM before)   p50 {r['batch_p50_ms']} ms, "
            f"p95 {r['batch_p95_ms']} ms, {r['batch_per_second']} people/s"
        )
        print(
            f"    upsert_person (SCIM now)     p50 {r['single_p50_ms']} ms, "
            f"p95 {r['single_p95_ms']} ms, {r['single_per_second']} people/s"
        )
    expected = r["users"]
    ok = (
        set(statuses) <= {"201", "409"}
        and statuses.get("409", 0) == r["retries"]
        and r["people"] == r["links"] == expected
        and not any(
            r[key]
            for key in (
                "duplicate_employee_ids",
                "duplicate_emails",
                "duplicate_external_ids",
                "duplicate_user_names",
                "people_per_link",
                "links_to_other_people",
                "wrong_managers",
            )
        )
    )
    print(
        "  aim (no error, none lost, none duplicated, managers right): "
        + ("met" if ok else "MISSED")
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
