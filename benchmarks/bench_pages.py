"""Benchmark: every main page and API list, through the real stack, at SPEC.md's scale.

    .venv/bin/python benchmarks/bench_pages.py [--size large] [--ties 50000] [--months 12]

In a database of its own, migrated from empty: the large demo organisation as
``bellwether demo --size large`` builds it (100,000 employees, 5,000 leaders, every
module's demo data, its pulses sealed and released like real ones, its readiness cycles
released), with ``--months`` of monthly pulses instead of six and its influence network
topped up to ``--ties`` ties (loaded with COPY; the analytics recomputed for the new
network as the worker would). It then signs in as the demo admin (Django's test Client,
every middleware) and drives each page and API list, warm: ``RUNS`` requests each,
printing the median and worst time and the bytes answered, beside a baseline of the same
data read raw with SQL (the rows the page shows, one plain query).

Aims: every page under 300 ms median and 1 s worst, and at most ~300 KB. Exit status 1
when a page misses one. Everything created is dropped, unless ``--keep``: then the
database (``bw_bench_full``) stays, stamped with the parameters it was built with, and
the next ``--keep`` run with the same parameters skips the build (it only migrates)::

    .venv/bin/python benchmarks/bench_pages.py --keep            # builds once, ~1 h on 2 cores
    .venv/bin/python benchmarks/bench_pages.py --keep --only influence   # minutes
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

# The script's folder is on sys.path when it runs: the shared harness beside it.
from _harness import (
    dataset_stamp,
    progress,
    run_in_own_database,
    setup_django,
    stamp_dataset,
    timed,
)

BENCH_DB = "bellwether_bench_pages"
KEPT_DB = "bw_bench_full"
# Bump when _build changes what it builds: a kept database with another stamp is rebuilt.
BUILD_VERSION = 2
AIM_MEDIAN = 0.300
AIM_WORST = 1.0
AIM_BYTES = 300 * 1024
RUNS = 7


def _build(size: str, ties: int, months: int) -> Any:
    import random

    from bellwether.core import rawsql
    from bellwether.core.models import AuditEvent, Organisation
    from bellwether.demo import services as demo
    from bellwether.influence import services as influence
    from bellwether.influence.models import AnalysisRun, RunStatus, Tie
    from bellwether.influence.selectors import forget_version
    from bellwether.people.models import Person
    from bellwether.surveys import demo as pulses

    pulses.MONTHS = months  # a year of monthly pulses, built as the demo builds six
    # A build cut short after the demo organisation was made resumes from there (the
    # demo is built in one go and audited last; the steps after it are idempotent).
    org = Organisation.objects.filter(slug=demo.DEMO_SLUG, is_demo=True).first()
    if (
        org is None
        or not AuditEvent.objects.filter(
            organisation=org, action="demo.built", details__size=size
        ).exists()
    ):
        org = demo.build_demo_organisation(size=size, replace=True)
    progress("demo organisation built; topping up the ties")
    leader_ids = list(
        Person.objects.filter(organisation=org, active=True)
        .exclude(leader_level="")
        .values_list("pk", flat=True)
    )
    have = set(Tie.objects.filter(organisation=org).values_list("source_id", "target_id"))
    rng = random.Random(20)
    extra: list[tuple[int, int, int]] = []
    while len(have) < ties and len(leader_ids) > 1:
        pair = (rng.choice(leader_ids), rng.choice(leader_ids))
        if pair[0] != pair[1] and pair not in have:
            have.add(pair)
            extra.append((*pair, rng.choice((1, 2, 2, 3))))
    rawsql.copy_rows_with(
        Tie,
        {"organisation": org.pk, "note": "", "created_at": org.created_at,
         "updated_at": org.created_at},
        ("source", "target", "strength"),
        extra,
    )  # fmt: skip
    # The analytics of the new network, computed and stored as the worker does.
    progress("computing the influence analytics")
    forget_version(org.pk)
    run = AnalysisRun.objects.create(organisation=org, version="")
    influence.run_analysis(run_id=run.pk)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE, run.error
    return org


def _pages(org: Any) -> list[tuple[str, str, str, list[Any]]]:
    """(label, URL, raw SQL, its parameters): each page and the plain read of its rows."""
    from urllib.parse import quote

    from bellwether.assessments.models import LeaderResult, ReadinessCycle
    from bellwether.core import cursor
    from bellwether.people.models import Person
    from bellwether.surveys.models import Campaign

    o = org.pk
    people = Person.objects.filter(organisation=org).count()
    deep = max(1, people * 95 // (50 * 100))
    leader = (
        LeaderResult.objects.filter(organisation=org, person__leader_level="senior")
        .exclude(band_key="")
        .order_by("person_id")
        .values_list("person_id", flat=True)
        .first()
    )
    pulse = (
        Campaign.objects.filter(organisation=org, mode="anonymous", release__isnull=False)
        .order_by("-closes_at")
        .first()
    )
    assert leader is not None
    assert pulse is not None
    cycle = ReadinessCycle.objects.filter(organisation=org).exclude(released_at=None).first()
    assert cycle is not None
    people_sql = (
        "SELECT p.id, p.name, p.employee_id, p.title, p.leader_level, u.name FROM people_person p "
        "LEFT JOIN people_orgunit u ON u.id = p.org_unit_id WHERE p.organisation_id = %s "
        "ORDER BY p.name, p.id LIMIT 50 OFFSET %s"
    )
    # The deep page as the list's Next links reach it: a cursor after row 50 × (deep - 1).
    at = list(
        Person.objects.filter(organisation=org, active=True)
        .order_by("name", "id")
        .values_list("name", "id")[50 * (deep - 1) - 1]
    )
    after = cursor.encode(at, scope="people")
    keyset_sql = (
        "SELECT p.id, p.name, p.employee_id, p.title, p.leader_level, u.name FROM people_person p "
        "LEFT JOIN people_orgunit u ON u.id = p.org_unit_id WHERE p.organisation_id = %s "
        "AND (p.name, p.id) > (%s, %s) ORDER BY p.name, p.id LIMIT 50"
    )
    latest = (
        "SELECT DISTINCT ON (r.person_id) r.person_id, r.band_key, r.total "
        "FROM assessments_leaderresult r JOIN assessments_readinesscycle c ON c.id = r.cycle_id "
        "WHERE r.organisation_id = %s AND r.total IS NOT NULL "
        "ORDER BY r.person_id, c.opens_at DESC, c.id DESC"
    )
    return [
        ("home", "/", "SELECT count(*) FROM people_person WHERE organisation_id = %s", [o]),
        ("people list, page 1", "/people/", people_sql, [o, 0]),
        (f"people list, page {deep:,} (cursor)", f"/people/?after={quote(after)}",
         keyset_sql, [o, *at]),
        ("org chart", "/people/org-chart/",
         "SELECT id, name FROM people_orgunit WHERE organisation_id = %s AND depth <= 1", [o]),
        ("readiness home", "/readiness/",
         "SELECT * FROM assessments_readinesscycle WHERE organisation_id = %s", [o]),
        ("readiness organisation view", "/readiness/organisation/",
         f"SELECT * FROM ({latest}) t LIMIT 200", [o]),
        ("readiness cycle", f"/readiness/cycles/{cycle.pk}/",
         "SELECT count(*) FROM assessments_cycleleader WHERE cycle_id = %s", [cycle.pk]),
        ("leader report", f"/readiness/leaders/{leader}/report/",
         "SELECT score FROM assessments_leaderresult WHERE person_id = %s", [leader]),
        ("pulse list", "/surveys/",
         "SELECT id, name FROM surveys_campaign WHERE organisation_id = %s "
         "ORDER BY closes_at DESC LIMIT 50", [o]),
        ("pulse results (closed)", f"/surveys/{pulse.pk}/results/",
         "SELECT payload FROM surveys_release WHERE campaign_id = %s", [pulse.pk]),
        ("initiatives", "/initiatives/",
         "SELECT * FROM initiatives_initiative WHERE organisation_id = %s", [o]),
        ("decisions", "/initiatives/decisions/",
         "SELECT * FROM initiatives_decisionlogentry WHERE organisation_id = %s LIMIT 50", [o]),
        ("engagement plans", "/engagement/",
         f"SELECT * FROM ({latest}) t LIMIT 50", [o]),
        ("influence home (network)", "/influence/",
         "SELECT source_id, target_id, strength FROM influence_tie WHERE organisation_id = %s",
         [o]),
        ("influence grid", "/influence/grid/",
         "SELECT * FROM influence_influenceprofile WHERE organisation_id = %s", [o]),
        ("influence messengers", "/influence/messengers/",
         "SELECT results FROM influence_analysisrun WHERE organisation_id = %s "
         "ORDER BY id DESC LIMIT 1", [o]),
        ("influence ties", "/influence/ties/",
         "SELECT * FROM influence_tie WHERE organisation_id = %s ORDER BY id LIMIT 50", [o]),
        ("communications", "/communications/",
         "SELECT count(*) FROM communications_delivery WHERE organisation_id = %s", [o]),
        ("development plans", "/development/plans/",
         "SELECT * FROM development_learningplan WHERE organisation_id = %s LIMIT 50", [o]),
        ("behaviours", "/behaviours/",
         "SELECT person_id, count(*) FROM behaviours_checkin WHERE organisation_id = %s "
         "GROUP BY 1", [o]),
        ("coaching", "/coaching/",
         "SELECT * FROM coaching_assignmentrecord WHERE organisation_id = %s LIMIT 50", [o]),
        ("reviews", "/reviews/",
         "SELECT * FROM reviews_review WHERE organisation_id = %s LIMIT 50", [o]),
        ("succession", "/succession/",
         "SELECT * FROM succession_criticalposition WHERE organisation_id = %s LIMIT 50", [o]),
        ("peers", "/peers/",
         "SELECT * FROM peers_pairing WHERE organisation_id = %s LIMIT 50", [o]),
        ("insights", "/insights/",
         "SELECT count(*) FROM insights_kpisnapshot WHERE organisation_id = %s", [o]),
        ("API people list", "/api/v1/people", people_sql, [o, 0]),
        ("API readiness bands", "/api/v1/readiness/bands",
         f"SELECT * FROM ({latest}) t LIMIT 100", [o]),
        ("API readiness cycles", "/api/v1/readiness/cycles",
         "SELECT * FROM assessments_readinesscycle WHERE organisation_id = %s", [o]),
        ("API pulse campaigns", "/api/v1/surveys/campaigns",
         "SELECT * FROM surveys_campaign WHERE organisation_id = %s LIMIT 50", [o]),
        ("API initiatives", "/api/v1/initiatives",
         "SELECT * FROM initiatives_initiative WHERE organisation_id = %s LIMIT 50", [o]),
        ("API learning plans", "/api/v1/development/plans",
         "SELECT * FROM development_learningplan WHERE organisation_id = %s LIMIT 50", [o]),
    ]  # fmt: skip


def child(size: str, ties: int, months: int, only: str = "") -> dict[str, Any]:
    setup_django()
    from django.db import connection
    from django.test import Client

    from bellwether.accounts import services_tokens
    from bellwether.accounts.models import Membership, Organisation
    from bellwether.influence.models import Tie
    from bellwether.surveys.models import Answer, Campaign, Response

    started = time.perf_counter()
    stamp = f"v{BUILD_VERSION} size={size} ties={ties} months={months}"
    kept = dataset_stamp(stamp)
    if kept is not None:
        progress(f"reusing the dataset built before ({stamp})")
        org = Organisation.objects.get(pk=kept)
        built = 0.0
    else:
        progress(f"building the dataset ({stamp})")
        org = _build(size, ties, months)
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        stamp_dataset(stamp, org.pk)
        built = time.perf_counter() - started
        progress(f"built in {built:.0f} s")
    admin = Membership.objects.select_related("user").get(
        organisation=org, user__email=f"admin@{org.slug}.example"
    )
    _token, secret = services_tokens.create_api_token(membership=admin, name="bench")
    client = Client()
    client.force_login(admin.user)
    headers = {"Authorization": f"Bearer {secret}"}

    def raw(sql: str, params: list[Any]) -> Any:
        def run() -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()

        return run

    rows = []
    for label, url, sql, params in _pages(org):
        if only and only not in label:
            continue
        progress(f"measuring {label}")
        extra = headers if url.startswith("/api/") else {}
        first = client.get(url, headers=extra)  # warm
        times, size_ = [], len(first.content)
        for _ in range(RUNS):
            t0 = time.perf_counter()
            response = client.get(url, headers=extra)
            times.append(time.perf_counter() - t0)
            size_ = max(size_, len(response.content))
        base = statistics.median(timed(raw(sql, params)) for _ in range(3))
        rows.append(
            {
                "label": label,
                "url": url,
                "status": first.status_code,
                "median": statistics.median(times),
                "worst": max(times),
                "bytes": size_,
                "raw": base,
            }
        )
    return {
        "load": Path("/proc/loadavg").read_text().split()[:3]
        if Path("/proc/loadavg").exists()
        else [],
        "built_seconds": built,
        "size": size,
        "ties": Tie.objects.filter(organisation=org).count(),
        "pulses": Campaign.objects.filter(organisation=org, mode="anonymous").count(),
        "responses": Response.objects.filter(campaign__organisation=org).count(),
        "answers": Answer.objects.filter(response__campaign__organisation=org).count(),
        "pages": rows,
    }


def report(r: dict[str, Any]) -> bool:
    print(
        f"pages: the {r['size']} demo + {r['ties']:,} ties, {r['pulses']} released pulses "
        f"({r['responses']:,} responses), built in {r['built_seconds']:.0f} s; "
        f"{RUNS} warm requests each; load average at the end {' '.join(r['load'])}"
    )
    print(f"  {'page':34} {'median':>8} {'worst':>8} {'KB':>7} {'raw SQL':>8}  status")
    ok = True
    for p in r["pages"]:
        missed = []
        if p["median"] > AIM_MEDIAN:
            missed.append("median")
        if p["worst"] > AIM_WORST:
            missed.append("worst")
        if p["bytes"] > AIM_BYTES:
            missed.append("size")
        if p["status"] != 200:
            missed.append(f"HTTP {p['status']}")
        ok = ok and not missed
        print(
            f"  {p['label']:34} {p['median'] * 1000:6.0f}ms {p['worst'] * 1000:6.0f}ms "
            f"{p['bytes'] / 1024:6.0f}K {p['raw'] * 1000:6.1f}ms  "
            + ("ok" if not missed else "MISSED " + ", ".join(missed))
        )
    print(
        f"  aims: median < {AIM_MEDIAN * 1000:.0f} ms, worst < {AIM_WORST * 1000:.0f} ms, "
        f"<= {AIM_BYTES // 1024} KB: " + ("OK" if ok else "AIM MISSED")
    )
    return ok


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="large")
    parser.add_argument("--ties", type=int, default=50_000)
    parser.add_argument("--months", type=int, default=12)
    parser.add_argument("--database", default="", help="the scratch database's name")
    parser.add_argument(
        "--keep",
        action="store_true",
        help=f"keep the built database (default name {KEPT_DB}) and reuse it on the next "
        "run when it was built with the same parameters",
    )
    parser.add_argument("--only", default="", help="measure only pages whose label has this")
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    argv = ["--size", args.size, "--ties", str(args.ties), "--months", str(args.months)]
    argv += ["--only", args.only]
    if args.child:
        print(json.dumps(child(args.size, args.ties, args.months, args.only)))
        return 0
    database = args.database or (KEPT_DB if args.keep else BENCH_DB)
    r = run_in_own_database(__file__, database, argv, keep=args.keep)
    if r is None:
        return 0
    return 0 if report(r) else 1


if __name__ == "__main__":
    sys.exit(main())
