"""Benchmark: provisioning 10,000 Users through SCIM by a burst of concurrent requests.

    .venv/bin/python benchmarks/bench_scim.py [--users 10000] [--clients 12] [--port 8111]
                                              [--retries 0.02]

In a PostgreSQL database of its own (``bellwether_bench_scim``), migrated from empty,
one gunicorn (2 workers x 4 threads) serves the app; ``--clients`` threads, each with
its own keep-alive connection, POST ``/scim/v2/Users`` for ``--users`` Users with a
manager (every User after the first 100 reports to one of them) and an
identity provider's retries (``--retries`` of the Users are sent a second time by
another client, which must answer 409). It prints Users/second, p50/p95 latency and
the status counts, then checks in the database that every User is one person and one
live link: none lost, none duplicated.

Aims: zero errors (only 201 and the retries' 409), zero lost, zero duplicated.
Exit status 1 when an aim is missed. Everything created is dropped.
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


def start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bellwether.wsgi:application",
         "-w", "2", "--threads", "4", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
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


def child(args: argparse.Namespace) -> dict[str, object]:
    setup_django()
    from bellwether.accounts.roles import Role
    from bellwether.integrations.scim import services
    from bellwether.integrations.scim.models import ScimUser
    from bellwether.people.models import Person
    from bellwether.testing.factories import OrganisationFactory, make_member

    org = OrganisationFactory(name="Bench", slug="bench")
    admin = make_member(org, Role.ADMIN, email="admin@bench.example.com")
    _token, secret = services.create_scim_token(membership=admin, name="bench")
    server = start_gunicorn(args.port)
    try:
        # The managers first (one client), then everyone at once.
        first = Sender(args.port, secret)
        manager_ids = []
        for number in range(MANAGERS):
            status, _elapsed, data = first.post(_body(number, None))
            assert status == 201, (status, data)
            manager_ids.append(str(data["id"]))
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

        threads = [threading.Thread(target=run, args=(share,)) for share in shares]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
    finally:
        server.terminate()
        server.wait(timeout=30)
    employee_ids = list(
        Person.objects.filter(organisation=org).values_list("employee_id", flat=True)
    )
    links = ScimUser.objects.filter(organisation=org, deleted_at__isnull=True).count()
    with_manager = Person.objects.filter(organisation=org, manager__isnull=False).count()
    latencies.sort()
    return {
        "users": args.users,
        "clients": args.clients,
        "retries": len(retried),
        "seconds": round(wall, 2),
        "per_second": round((args.users - MANAGERS) / wall, 1),
        "p50_ms": round(statistics.median(latencies) * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "people": len(employee_ids),
        "distinct_people": len(set(employee_ids)),
        "links": links,
        "with_manager": with_manager,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--retries", type=float, default=0.02)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args)))
        return 0
    forwarded = [
        f"--users={args.users}",
        f"--clients={args.clients}",
        f"--port={args.port}",
        f"--retries={args.retries}",
    ]
    result = run_in_own_database(__file__, "bellwether_bench_scim", forwarded)
    if result is None:
        return 0
    statuses = result["statuses"]
    print(
        f"SCIM provisioning: {result['users']} Users, {result['clients']} concurrent clients, gunicorn 2 workers x 4 threads, PostgreSQL"
    )
    print(f"  burst                  {result['seconds']} s, {result['per_second']} Users/s")
    print(f"  latency                p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms")
    print(f"  answers                {statuses} ({result['retries']} retried Users)")
    print(
        f"  people / distinct / live links / with a manager: {result['people']} / {result['distinct_people']} / {result['links']} / {result['with_manager']}"
    )
    expected = result["users"]
    ok = (
        set(statuses) <= {"201", "409"}
        and statuses.get("409", 0) == result["retries"]
        and result["people"] == result["distinct_people"] == result["links"] == expected
        and result["with_manager"] == expected - MANAGERS
    )
    print("  aim (no error, none lost, none duplicated): " + ("met" if ok else "MISSED"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
