"""Benchmark: readiness scoring, organisation views and PDF reports at SPEC.md's scale.

    .venv/bin/python benchmarks/bench_readiness.py [--leaders 5000] [--raters 8] [--pdfs 100]

In a database of its own (``bellwether_bench_readiness`` on the server named by
BENCH_DATABASE_URL or DATABASE_URL, else postgres://postgres@127.0.0.1:5432), migrated
from empty: two readiness cycles of ``--leaders`` leaders, each rated by themself and
``--raters`` others (1 manager, peers, direct reports), every rating 20 answers. It measures

1. scoring: re-scoring every leader of a cycle (read the answers, ``score_leader``, store
   the results) beside the raw SQL that reads the same answers (aim <= 2x), and beside
   the raw SQL aggregate of those answers per leader, category and item (shown);
2. the organisation views (band distribution, dimension x org-unit heatmap with
   suppression, transition matrix, completion, share 70+) beside raw SQL aggregates of
   the same data (aim <= 2x), median of alternating runs;
3. rendering ``--pdfs`` individual PDF reports (reports/second; shown).

Exit status 1 when an aim is missed. Everything created is dropped.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "bellwether_bench_readiness"


def _time(fn: Any) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _alternate(a: Any, b: Any, runs: int) -> tuple[float, float]:
    a(), b()  # warm both
    times_a, times_b = [], []
    for _ in range(runs):
        times_a.append(_time(a))
        times_b.append(_time(b))
    return statistics.median(times_a), statistics.median(times_b)


def child(leaders: int, raters: int, pdfs: int) -> dict[str, Any]:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "bellwether.settings"
    django.setup()
    import datetime as dt

    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bellwether.assessments import pdf, reports, services
    from bellwether.assessments.models import CycleLeader, ReadinessCycle
    from bellwether.assessments.scoring import score_leader
    from bellwether.core.models import Organisation
    from bellwether.people.models import OrgUnit, Person
    from bellwether.surveys.models import Campaign, Question
    from bellwether.surveys.selectors import policy_for

    call_command("migrate", verbosity=0, interactive=False)
    org = Organisation.objects.create(name="Bench", slug="bench")
    root = OrgUnit.objects.create(organisation=org, code="ROOT", name="Root")
    root.path = f"/{root.pk}/"
    root.save()
    units = []
    for i in range(40):
        unit = OrgUnit.objects.create(
            organisation=org, code=f"U{i}", name=f"Unit {i:02d}", parent=root, depth=1
        )
        unit.path = f"{root.path}{unit.pk}/"
        unit.save()
        units.append(unit)
    # Units of very different sizes, so the heatmap suppresses some (and by difference).
    sizes = [max(1, int(leaders * w)) for w in [0.2, 0.1] + [0.7 / 38] * 36 + [0.0004, 0.0006]]
    placement = [u for u, n in zip(units, sizes, strict=True) for _ in range(n)]
    Person.objects.bulk_create(
        (
            Person(
                organisation=org,
                employee_id=f"L{i:06d}",
                name=f"Leader {i}",
                org_unit=placement[i % len(placement)],
                leader_level="senior",
            )
            for i in range(leaders)
        ),
        batch_size=5000,
    )
    people = list(
        Person.objects.filter(organisation=org).order_by("pk").values_list("pk", flat=True)
    )
    version = services.ensure_readiness_instrument(organisation=org)
    questions = list(Question.objects.filter(version=version).order_by("position"))
    now = timezone.now()
    cycles = []
    for n, days in enumerate((120, 20)):
        opens = now - dt.timedelta(days=days)
        campaign = Campaign.objects.create(
            organisation=org,
            version=version,
            name=f"Cycle {n + 1}",
            mode=Campaign.Mode.CONFIDENTIAL,
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=14),
        )
        cycle = ReadinessCycle.objects.create(
            organisation=org,
            name=f"Cycle {n + 1}",
            campaign=campaign,
            opens_at=opens,
            closes_at=opens + dt.timedelta(days=14),
        )
        CycleLeader.objects.bulk_create(
            (CycleLeader(organisation=org, cycle=cycle, person_id=p) for p in people),
            batch_size=5000,
        )
        cycles.append(cycle)
    slots = (
        ["self", "manager"]
        + ["peer"] * ((raters - 1 + 1) // 2)
        + ["direct_report"] * ((raters - 1) // 2)
    )
    slots = slots[: raters + 1]
    with connection.cursor() as cursor:
        for shift, cycle in enumerate(cycles):
            # One invitation per (leader, slot): the self invitation and one per rater.
            cursor.execute(
                "INSERT INTO surveys_invitation (organisation_id, created_at, updated_at, "
                "campaign_id, person_id, nonce, draft, invited_at, category, "
                "category_disclosed, subject_id) "
                "SELECT %s, now(), now(), %s, "
                "CASE WHEN s.n = 1 THEN p.id ELSE (%s::int[])[1 + ((p.i + s.n) %% %s)] END, "
                "md5(random()::text), '{}', now(), s.cat, s.cat IN ('self', 'manager'), p.id "
                "FROM unnest(%s::int[]) WITH ORDINALITY AS p(id, i), "
                "unnest(%s::text[]) WITH ORDINALITY AS s(cat, n)",
                [org.pk, cycle.campaign_id, people, len(people), people, slots],
            )
            cursor.execute(
                "INSERT INTO surveys_completion (organisation_id, created_at, updated_at, "
                "invitation_id, campaign_id) SELECT organisation_id, now(), now(), id, "
                "campaign_id FROM surveys_invitation WHERE campaign_id = %s",
                [cycle.campaign_id],
            )
            cursor.execute(
                "INSERT INTO surveys_response (id, organisation_id, campaign_id, org_unit_path, "
                "leader_level, tenure_band, category, subject_id) "
                "SELECT gen_random_uuid(), organisation_id, campaign_id, '', '', '', category, "
                "subject_id FROM surveys_invitation WHERE campaign_id = %s",
                [cycle.campaign_id],
            )
            # Each leader has a level (1..5 by id), raters scatter around it; the later
            # cycle is half a point better on average.
            cursor.execute(
                "INSERT INTO surveys_answer (id, organisation_id, response_id, question_id, "
                "value, text) SELECT gen_random_uuid(), r.organisation_id, r.id, q, "
                "LEAST(5, GREATEST(1, 1 + (r.subject_id * 7) %% 4 + floor(random() * 2.6 + "
                "%s)::int - 1)), '' FROM surveys_response r, unnest(%s::int[]) q "
                "WHERE r.campaign_id = %s",
                [0.5 * shift, [q.pk for q in questions], cycle.campaign_id],
            )
        cursor.execute("VACUUM ANALYZE")

    policy = policy_for(org)

    def rescore(cycle: ReadinessCycle) -> None:
        services.rescore_cycle(cycle=cycle, actor=None)

    later = cycles[-1]

    def raw_answers() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.response_id, r.subject_id, r.category, q.key, a.value "
                "FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
                "JOIN surveys_question q ON q.id = a.question_id "
                "WHERE r.campaign_id = %s AND a.value IS NOT NULL",
                [later.campaign_id],
            )
            cursor.fetchall()

    def raw_aggregate() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.subject_id, r.category, q.key, avg(a.value), count(*) "
                "FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
                "JOIN surveys_question q ON q.id = a.question_id "
                "WHERE r.campaign_id = %s AND a.value IS NOT NULL GROUP BY 1, 2, 3",
                [later.campaign_id],
            )
            cursor.fetchall()

    first_scoring = _time(lambda: rescore(cycles[0]))
    # Where the time goes (the earlier cycle): reading the ratings, scoring, storing.
    ids = list(CycleLeader.objects.filter(cycle=cycles[0]).values_list("person_id", flat=True))
    read_started = time.perf_counter()
    inputs = services.ratings_for(cycles[0], ids)
    read_part = time.perf_counter() - read_started
    score_started = time.perf_counter()
    for pid in ids:
        score_leader(ratings=inputs.get(pid, []), minimum_others=policy.min_360_group).to_json()
    score_part = time.perf_counter() - score_started
    scoring, raw_read = _alternate(lambda: rescore(later), raw_answers, 3)
    aggregate = statistics.median(_time(raw_aggregate) for _ in range(3))
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE assessments_leaderresult")

    dims = [d.key for d in reports.INSTRUMENT.dimensions]

    def views() -> None:
        reports.organisation_view(org)

    def raw_views() -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT band_key, count(*), count(*) FILTER (WHERE self_reported) "
                "FROM assessments_leaderresult WHERE cycle_id = %s AND total IS NOT NULL "
                "GROUP BY 1",
                [later.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT count(*) FROM assessments_cycleleader WHERE cycle_id = %s", [later.pk]
            )
            cursor.fetchall()
            sums = ", ".join(
                f"sum((lr.score->'dimension_scores'->'{k}'->>'record')::float)" for k in dims
            )
            cursor.execute(
                f"SELECT p.org_unit_id, count(*), {sums} FROM assessments_leaderresult lr "
                "JOIN people_person p ON p.id = lr.person_id "
                "WHERE lr.cycle_id = %s AND lr.total IS NOT NULL GROUP BY 1",
                [later.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT id, name, path, parent_id FROM people_orgunit WHERE organisation_id = %s",
                [org.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT a.band_key, b.band_key, count(*) FROM assessments_leaderresult b "
                "LEFT JOIN assessments_leaderresult a ON a.person_id = b.person_id "
                "AND a.cycle_id = %s WHERE b.cycle_id = %s GROUP BY 1, 2",
                [cycles[0].pk, later.pk],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT i.category, count(*), count(c.id) FROM surveys_invitation i "
                "LEFT JOIN surveys_completion c ON c.invitation_id = i.id "
                "WHERE i.campaign_id = %s AND i.revoked_at IS NULL GROUP BY 1",
                [later.campaign_id],
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT count(*), count(*) FILTER (WHERE total >= 69.5) FROM ("
                "SELECT DISTINCT ON (lr.person_id) lr.total FROM assessments_leaderresult lr "
                "JOIN assessments_readinesscycle c ON c.id = lr.cycle_id "
                "WHERE lr.organisation_id = %s AND lr.total IS NOT NULL "
                "ORDER BY lr.person_id, c.opens_at DESC, c.id DESC) latest",
                [org.pk],
            )
            cursor.fetchall()

    views_seconds, raw_views_seconds = _alternate(views, raw_views, 5)
    view = reports.organisation_view(org)
    assert view.heatmap is not None
    hidden = sum(1 for r in view.heatmap.rows if not r.shown)

    sample = list(
        Person.objects.filter(organisation=org).select_related("org_unit").order_by("pk")[:pdfs]
    )
    pdf.render_report_pdf(reports.individual_report(sample[0]))  # load fonts once

    def render_all() -> None:
        for person in sample:
            content = pdf.render_report_pdf(reports.individual_report(person))
            assert content.startswith(b"%PDF")

    pdf_seconds = _time(render_all)
    return {
        "leaders": leaders,
        "raters": raters,
        "answers": leaders * (raters + 1) * len(questions),
        "first_scoring_seconds": first_scoring,
        "read_part_seconds": read_part,
        "score_part_seconds": score_part,
        "scoring_seconds": scoring,
        "raw_read_seconds": raw_read,
        "raw_aggregate_seconds": aggregate,
        "views_seconds": views_seconds,
        "raw_views_seconds": raw_views_seconds,
        "heatmap_units": len(view.heatmap.rows),
        "heatmap_hidden": hidden,
        "share": view.share.percent,
        "pdfs": len(sample),
        "pdf_seconds": pdf_seconds,
    }


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--leaders", type=int, default=5000)
    parser.add_argument("--raters", type=int, default=8)
    parser.add_argument("--pdfs", type=int, default=100)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.leaders, args.raters, args.pdfs)))
        return 0
    import psycopg

    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    admin_url = with_database(url, "postgres")
    try:
        admin = psycopg.connect(admin_url, autocommit=True)
    except psycopg.OperationalError as exc:
        print(f"PostgreSQL: skipped, cannot connect ({exc})")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bw-bench-readiness-"))
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
            [sys.executable, __file__, "--child", "--leaders", str(args.leaders),
             "--raters", str(args.raters), "--pdfs", str(args.pdfs)],
            env=env, check=True, capture_output=True, text=True, cwd=ROOT,
        )  # fmt: skip
        r = json.loads(out.stdout.strip().splitlines()[-1])
    except subprocess.CalledProcessError as exc:
        print(exc.stdout, exc.stderr, file=sys.stderr)
        raise
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {BENCH_DB} WITH (FORCE)")
        admin.close()
        shutil.rmtree(tmp, ignore_errors=True)
    scoring_ratio = r["scoring_seconds"] / r["raw_read_seconds"]
    views_ratio = r["views_seconds"] / r["raw_views_seconds"]
    rate = r["pdfs"] / r["pdf_seconds"] if r["pdf_seconds"] else 0.0
    print(
        f"readiness: {r['leaders']:,} leaders x (self + {r['raters']} raters), "
        f"{r['answers']:,} answers per cycle, 2 cycles"
    )
    print(
        f"  scoring (all leaders)  {r['scoring_seconds']:7.2f} s vs raw SQL read of the same "
        f"answers {r['raw_read_seconds']:.2f} s = {scoring_ratio:.2f}x (aim <= 2x); "
        f"raw GROUP BY per leader/category/item {r['raw_aggregate_seconds']:.2f} s; "
        f"first cycle {r['first_scoring_seconds']:.2f} s"
    )
    print(
        f"    of which             reading the ratings (services.ratings_for) "
        f"{r['read_part_seconds']:.2f} s, score_leader x {r['leaders']:,} "
        f"{r['score_part_seconds']:.2f} s, the rest storing the results"
    )
    print(
        f"  organisation views     {r['views_seconds'] * 1000:7.0f} ms vs raw SQL aggregates "
        f"{r['raw_views_seconds'] * 1000:.0f} ms = {views_ratio:.2f}x (aim <= 2x); heatmap "
        f"{r['heatmap_units']} units, {r['heatmap_hidden']} suppressed; share 70+ {r['share']}%"
    )
    print(
        f"  individual PDF reports {r['pdfs']} in {r['pdf_seconds']:.1f} s = {rate:.1f} reports/s"
    )
    ok = scoring_ratio <= 2 and views_ratio <= 2
    print("  OK" if ok else "  AIM MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
