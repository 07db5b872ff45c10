"""Benchmark: the influence pages at the spec's scale, through the whole stack.

    .venv/bin/python benchmarks/bench_influence_pages.py [--leaders 5000] [--ties 50000] [--runs 15]

In a database of its own (``bellwether_bench_influence_pages`` on the server named by
BENCH_DATABASE_URL or DATABASE_URL, else postgres://postgres@127.0.0.1:5432), migrated
from empty: ``--leaders`` leaders in 50 units (each reporting to a leader), a profile
each, ``--ties`` ties (80% inside a unit) and a readiness band for four in five. The
analytics are computed once, as the worker does (timed, with the rows it stores); then
every influence page and the network picture's JSON slices are requested through
Django's test Client (full middleware, a signed-in admin), warm: median and max of
``--runs`` requests and the bytes sent, beside a baseline that reads the same rows raw
with SQL. Aims (issue 20): every page under 300 ms median and 1 s max, at most 300 KB.
Exit status 1 when an aim is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _harness import run_in_own_database, setup_django, timed

BENCH_DB = "bellwether_bench_influence_pages"
MEDIAN_AIM_MS = 300
MAX_AIM_MS = 1000
BYTES_AIM = 300 * 1024
UNITS = 50


def build(leaders: int, ties: int) -> dict[str, Any]:
    import numpy as np
    from django.utils import timezone

    from bellwether.accounts.roles import Role
    from bellwether.assessments.models import LeaderResult
    from bellwether.assessments.tests.factories import make_cycle
    from bellwether.core.models import Organisation
    from bellwether.framework import catalogue
    from bellwether.influence.models import InfluenceProfile, Tie
    from bellwether.people.models import OrgUnit, Person
    from bellwether.testing.factories import make_member

    rng = np.random.default_rng(7)
    org = Organisation.objects.create(name="Bench influence", slug="bench-influence")
    root = OrgUnit.objects.create(organisation=org, code="ROOT", name="Company")
    root.path = f"/{root.pk}/"
    root.save(update_fields=["path"])
    units = []
    for i in range(UNITS):
        unit = OrgUnit.objects.create(
            organisation=org, code=f"U{i:02d}", name=f"Unit {i:02d}", parent=root, depth=1
        )
        unit.path = f"{root.path}{unit.pk}/"
        unit.save(update_fields=["path"])
        units.append(unit)
    people = Person.objects.bulk_create(
        [
            Person(
                organisation=org,
                employee_id=f"L{i:05d}",
                name=f"Leader {i:05d}",
                title="Director" if i % 10 == 0 else "Manager",
                org_unit=units[i % UNITS],
                leader_level="senior" if i % 10 == 0 else "operational",
            )
            for i in range(leaders)
        ],
        batch_size=2000,
    )
    for i, person in enumerate(people):
        if i >= UNITS:
            person.manager_id = people[i - UNITS].pk  # same unit, one level up
    Person.objects.bulk_update(people, ["manager"], batch_size=2000)
    ratings = ("high", "medium", "low", "")
    InfluenceProfile.objects.bulk_create(
        [
            InfluenceProfile(
                organisation=org,
                person=person,
                formal_authority=ratings[int(rng.integers(4))],
                informal_influence=ratings[int(rng.integers(4))],
                peer_respect=ratings[int(rng.integers(4))],
                employee_following=ratings[int(rng.integers(4))],
                external_credibility=ratings[int(rng.integers(4))],
            )
            for person in people
        ],
        batch_size=2000,
    )
    by_unit: dict[int, list[int]] = {}
    for i in range(leaders):
        by_unit.setdefault(i % UNITS, []).append(i)
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < ties:
        a = int(rng.integers(leaders))
        if rng.random() < 0.8:
            mates = by_unit[a % UNITS]
            b = mates[int(rng.integers(len(mates)))]
        else:
            b = int(rng.integers(leaders))
        if a != b:
            pairs.add((a, b))
    Tie.objects.bulk_create(
        [
            Tie(
                organisation=org,
                source_id=people[a].pk,
                target_id=people[b].pk,
                strength=int(rng.integers(1, 4)),
            )
            for a, b in sorted(pairs)
        ],
        batch_size=5000,
    )
    cycle = make_cycle(organisation=org, released=True)
    now = timezone.now()
    results = []
    for person in people:
        if rng.random() < 0.8:
            total = int(rng.integers(20, 100))
            band = catalogue.band_for_score(total)
            results.append(
                LeaderResult(
                    organisation=org,
                    cycle=cycle,
                    person=person,
                    total=float(total),
                    band_key=band.key,
                    others_total=float(total),
                    others_count=3,
                    score={"total": float(total), "band_key": band.key},
                    groups={},
                    computed_at=now,
                )
            )
    LeaderResult.objects.bulk_create(results, batch_size=2000)
    admin = make_member(org, Role.ADMIN, email="admin@bench.example")
    return {"org": org, "admin": admin, "units": units}


def child(leaders: int, ties: int, runs: int) -> dict[str, Any]:
    setup_django()
    from django.db import connection
    from django.test import Client

    from bellwether.influence import selectors, services
    from bellwether.influence.models import AnalysisRun, LeaderFigures

    started = time.perf_counter()
    world = build(leaders, ties)
    org = world["org"]
    built = time.perf_counter() - started

    run = AnalysisRun.objects.create(organisation=org, version="")
    worker = timed(lambda: services.run_analysis(run_id=run.pk))
    run.refresh_from_db()
    assert run.status == "done", run.error
    figures = LeaderFigures.objects.filter(run=run).count()
    stamp = statistics.median(timed(lambda: selectors.network_version(org)) for _ in range(runs))
    unit = world["units"][7]

    def raw(sql: str, *params: Any) -> Any:
        def go() -> None:
            with connection.cursor() as cursor:
                for statement in sql.split(";"):
                    if statement.strip():
                        cursor.execute(statement, params[: statement.count("%s")])
                        cursor.fetchall()

        return go

    run_id = run.pk
    slice_sql = (
        "SELECT p.id, p.name, p.manager_id, u.name FROM people_person p "
        "LEFT JOIN people_orgunit u ON u.id = p.org_unit_id WHERE p.organisation_id = %s "
        "AND p.active AND p.leader_level <> '' AND p.org_unit_id = %s ORDER BY p.name LIMIT 400;"
        "SELECT t.id, t.source_id, t.target_id, t.strength FROM influence_tie t "
        "JOIN people_person s ON s.id = t.source_id JOIN people_person g ON g.id = t.target_id "
        "WHERE t.organisation_id = %s AND s.org_unit_id = %s AND g.org_unit_id = %s LIMIT 4000"
    )
    pages: list[tuple[str, str, Any]] = [
        # The floor: a page with a form and nothing to read, through the same stack.
        ("(floor: the tie import form)", "/influence/ties/import/", raw("SELECT 1")),
        (
            "network page",
            "/influence/",
            raw(
                "SELECT number, size, central FROM influence_community WHERE run_id = %s "
                "ORDER BY number LIMIT 20",
                run_id,
            ),
        ),
        (
            "network JSON: overview",
            "/influence/network.json",
            raw(
                "SELECT number, size, bands, links FROM influence_community WHERE run_id = %s "
                "ORDER BY size DESC LIMIT 150",
                run_id,
            ),
        ),
        (
            "network JSON: one unit",
            f"/influence/network.json?unit={unit.pk}",
            raw(slice_sql, org.pk, unit.pk, org.pk, unit.pk, unit.pk),
        ),
        (
            "network JSON: community 1",
            "/influence/network.json?community=1",
            raw(
                "SELECT f.person_id, p.name FROM influence_leaderfigures f JOIN people_person p "
                "ON p.id = f.person_id WHERE f.run_id = %s AND f.community = 0 LIMIT 400",
                run_id,
            ),
        ),
        (
            "network JSON: search",
            "/influence/network.json?q=Leader%2000123",
            raw(
                "SELECT id FROM people_person WHERE organisation_id = %s AND name ILIKE %s",
                org.pk,
                "%Leader 00123%",
            ),
        ),
        (
            "grid",
            "/influence/grid/",
            raw(
                "SELECT quadrant, count(*) FROM influence_leaderfigures WHERE run_id = %s "
                "GROUP BY quadrant;"
                "SELECT band_key, influence_index, count(*) FROM influence_leaderfigures "
                "WHERE run_id = %s GROUP BY 1, 2",
                run_id,
                run_id,
            ),
        ),
        (
            "grid quadrant, page 20",
            "/influence/grid/develop/?page=20",
            raw(
                "SELECT f.person_id, p.name FROM influence_leaderfigures f JOIN people_person p "
                "ON p.id = f.person_id WHERE f.run_id = %s AND f.quadrant = 'develop' "
                "ORDER BY f.influence_index DESC, f.person_id LIMIT 50 OFFSET 950",
                run_id,
            ),
        ),
        (
            "messengers",
            "/influence/messengers/",
            raw(
                "SELECT f.person_id, p.name, f.messengers FROM influence_leaderfigures f "
                "JOIN people_person p ON p.id = f.person_id WHERE f.run_id = %s AND "
                "f.band_key IN ('band.cautious', 'band.skeptical', 'band.resistant') "
                "ORDER BY p.name LIMIT 50",
                run_id,
            ),
        ),
        (
            "messengers, page 40",
            "/influence/messengers/?page=40",
            raw(
                "SELECT f.person_id, p.name, f.messengers FROM influence_leaderfigures f "
                "JOIN people_person p ON p.id = f.person_id WHERE f.run_id = %s AND "
                "f.band_key IN ('band.cautious', 'band.skeptical', 'band.resistant') "
                "ORDER BY p.name LIMIT 50 OFFSET 1950",
                run_id,
            ),
        ),
        (
            "community 1",
            "/influence/communities/1/",
            raw(
                "SELECT f.person_id, p.name, f.pagerank FROM influence_leaderfigures f JOIN "
                "people_person p ON p.id = f.person_id WHERE f.run_id = %s AND f.community = 0 "
                "ORDER BY f.pagerank DESC LIMIT 50",
                run_id,
            ),
        ),
        (
            "planner",
            "/influence/planner/",
            raw(
                "SELECT id, status FROM influence_plannerrun WHERE organisation_id = %s "
                "ORDER BY id DESC LIMIT 10",
                org.pk,
            ),
        ),
    ]
    client = Client()
    client.force_login(world["admin"].user)
    rows = []
    for label, path, baseline in pages:
        first = client.get(path)
        assert first.status_code == 200, (path, first.status_code)
        baseline()
        times, raw_times = [], []
        for _ in range(runs):
            times.append(timed(lambda path=path: client.get(path)))
            raw_times.append(timed(baseline))
        rows.append(
            {
                "page": label,
                "path": path,
                "median_ms": 1000 * statistics.median(times),
                "max_ms": 1000 * max(times),
                "bytes": len(first.content),
                "raw_ms": 1000 * statistics.median(raw_times),
            }
        )
    return {
        "leaders": leaders,
        "ties": ties,
        "built_s": built,
        "worker_s": worker,
        "figures": figures,
        "communities": run.results.get("communities"),
        "stamp_ms": 1000 * stamp,
        "pages": rows,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leaders", type=int, default=5000)
    parser.add_argument("--ties", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.leaders, args.ties, args.runs)))
        return 0
    result = run_in_own_database(
        __file__,
        BENCH_DB,
        ["--leaders", str(args.leaders), "--ties", str(args.ties), "--runs", str(args.runs)],
    )
    if result is None:
        return 0
    print(
        f"Influence pages: {result['leaders']:,} leaders, {result['ties']:,} ties "
        f"(built in {result['built_s']:.0f} s)"
    )
    print(
        f"  analytics in the worker: {result['worker_s']:.1f} s, {result['figures']:,} rows, "
        f"{result['communities']} communities; version stamp {result['stamp_ms']:.1f} ms"
    )
    print(f"  {'page':<28} {'median':>9} {'max':>9} {'bytes':>9} {'raw SQL':>9}")
    ok = True
    for row in result["pages"]:
        met = (
            row["median_ms"] < MEDIAN_AIM_MS
            and row["max_ms"] < MAX_AIM_MS
            and row["bytes"] <= BYTES_AIM
        )
        ok = ok and met
        print(
            f"  {row['page']:<28} {row['median_ms']:7.0f}ms {row['max_ms']:7.0f}ms "
            f"{row['bytes'] / 1024:7.0f}KB {row['raw_ms']:7.1f}ms {'' if met else ' MISSED'}"
        )
    print(
        f"  aims: median < {MEDIAN_AIM_MS} ms, max < {MAX_AIM_MS} ms, "
        f"at most {BYTES_AIM // 1024} KB: {'met' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
