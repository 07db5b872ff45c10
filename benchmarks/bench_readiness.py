"""Benchmark: the readiness release, organisation views and PDF reports at SPEC.md's scale.

    .venv/bin/python benchmarks/bench_readiness.py [--leaders 5000] [--raters 8] [--pdfs 100]

In a database of its own (``bellwether_bench_readiness`` on the server named by
BENCH_DATABASE_URL or DATABASE_URL, else postgres://postgres@127.0.0.1:5432), migrated
from empty: two closed readiness cycles of ``--leaders`` leaders, each rated by themself
and ``--raters`` others (1 manager, peers, direct reports), every rating 20 answers,
stored as the product stores a submission (a sealed ballot beside a completion, as
``assessments.demo`` writes them). It measures

1. the release (``release.release_cycle``, once per cycle when it closes: open the
   ballots and store them as responses, decide each leader's rater groups, score, store
   the results, delete the responses), each phase timed apart, beside baselines measured
   in the same run: opening the same ballots alone (``sealing.open_sealed`` in a loop),
   the raw SQL read of the same answers (taken inside the release, just before they are
   deleted) and the raw SQL aggregate of the same ratings per leader, category and item
   (from a plain copy of them). Aim: deciding, scoring and storing <= 2x the raw read of
   the answers they start from (the old re-scoring aim). A release runs once and deletes
   what it read, so each cycle's is one run, not a median;
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
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
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

    from bellwether.assessments import pdf, release, reports, services
    from bellwether.assessments.models import CycleLeader, ReadinessCycle
    from bellwether.core import pdf as core_pdf
    from bellwether.core.models import Organisation
    from bellwether.people.models import OrgUnit, Person
    from bellwether.surveys import sealing
    from bellwether.surveys.models import Campaign, Question
    from bellwether.surveys.selectors import policy_for
    from bellwether.surveys.services import releases

    call_command("migrate", verbosity=0, interactive=False)
    rng = random.Random(20260)
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
    keys = list(
        Question.objects.filter(version=version).order_by("position").values_list("key", flat=True)
    )
    policy = policy_for(org)
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
            audience={"person_ids": people},
            min_group=policy.min_group,
            min_360_group=policy.min_360_group,
            min_comments=policy.min_comments,
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
    ballots_total = 0
    with connection.cursor() as cursor:
        # A plain copy of every rating, for the raw aggregate baseline only.
        cursor.execute(
            "CREATE TABLE bench_rating (campaign_id int, subject_id int, category text, "
            "item text, value smallint)"
        )
        for shift, cycle in enumerate(cycles):
            # One invitation per (leader, slot): the self invitation and one per rater,
            # the same raters in both cycles (so the cross-cycle rule finds them).
            cursor.execute(
                "INSERT INTO surveys_invitation (organisation_id, created_at, updated_at, "
                "campaign_id, person_id, nonce, sealed_draft, invited_at, category, "
                "category_disclosed, subject_id) "
                "SELECT %s, now(), now(), %s, "
                "CASE WHEN s.n = 1 THEN p.id ELSE (%s::int[])[1 + ((p.i + s.n) %% %s)] END, "
                "md5(random()::text), '', now(), s.cat, s.cat IN ('self', 'manager'), p.id "
                "FROM unnest(%s::int[]) WITH ORDINALITY AS p(id, i), "
                "unnest(%s::text[]) WITH ORDINALITY AS s(cat, n)",
                [org.pk, cycle.campaign_id, people, len(people), people, slots],
            )
            # Every invitee answered: a completion (segments as a 360 submission stores
            # them, blank) and, apart from it, a sealed ballot in random order.
            cursor.execute(
                "INSERT INTO surveys_completion (organisation_id, created_at, updated_at, "
                "invitation_id, campaign_id, org_unit_path, leader_level, tenure_band) "
                "SELECT organisation_id, now(), now(), id, campaign_id, '', '', '' "
                "FROM surveys_invitation WHERE campaign_id = %s",
                [cycle.campaign_id],
            )
            cursor.execute(
                "SELECT subject_id, category FROM surveys_invitation WHERE campaign_id = %s",
                [cycle.campaign_id],
            )
            invitations = cursor.fetchall()
            rng.shuffle(invitations)
            purpose = sealing.ballot_purpose(cycle.campaign_id)
            ballot_rows, plain_rows = [], []
            for subject, category in invitations:
                # Each leader has a level (1..4 by id), raters scatter around it; the
                # later cycle is half a point better on average.
                level = 1 + (subject * 7) % 4
                answers = {
                    k: min(5, max(1, level + int(rng.random() * 2.6 + 0.5 * shift) - 1))
                    for k in keys
                }
                sealed = sealing.seal(
                    {
                        "answers": answers,
                        "segments": {"org_unit_path": "", "leader_level": "", "tenure_band": ""},
                        "category": category,
                        "subject": subject,
                    },
                    purpose=purpose,
                )
                ballot_rows.append(
                    (
                        uuid.UUID(int=rng.getrandbits(128), version=4),
                        org.pk,
                        cycle.campaign_id,
                        sealed,
                    )
                )
                plain_rows += [
                    (cycle.campaign_id, subject, category, k, v) for k, v in answers.items()
                ]
            with cursor.copy(
                "COPY surveys_ballot (id, organisation_id, campaign_id, sealed) FROM STDIN"
            ) as copy:
                for row in ballot_rows:
                    copy.write_row(row)
            with cursor.copy(
                "COPY bench_rating (campaign_id, subject_id, category, item, value) FROM STDIN"
            ) as copy:
                for row in plain_rows:
                    copy.write_row(row)
            ballots_total += len(ballot_rows)
        cursor.execute("VACUUM ANALYZE")

    later = cycles[-1]
    dims = [d.key for d in reports.INSTRUMENT.dimensions]

    def open_ballots(cycle: ReadinessCycle) -> None:
        purpose = sealing.ballot_purpose(cycle.campaign_id)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sealed FROM surveys_ballot WHERE campaign_id = %s", [cycle.campaign_id]
            )
            for (sealed,) in cursor.fetchall():
                sealing.open_sealed(sealed, purpose=purpose)

    def raw_answers(cycle: ReadinessCycle) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT a.response_id, r.subject_id, r.category, q.key, a.value "
                "FROM surveys_answer a JOIN surveys_response r ON r.id = a.response_id "
                "JOIN surveys_question q ON q.id = a.question_id "
                "WHERE r.campaign_id = %s AND a.value IS NOT NULL",
                [cycle.campaign_id],
            )
            cursor.fetchall()

    def raw_aggregate(cycle: ReadinessCycle) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT subject_id, category, item, avg(value), count(*) FROM bench_rating "
                "WHERE campaign_id = %s GROUP BY 1, 2, 3",
                [cycle.campaign_id],
            )
            cursor.fetchall()

    # Each phase of the release timed where it runs (the module functions it calls), and
    # the raw read of the answers it opened taken inside it, just before their deletion.
    phases: dict[str, float] = {}
    current: list[ReadinessCycle] = []

    def timed(name: str, fn: Any, before: Any = None) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if before is not None:
                before()
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                phases[name] = time.perf_counter() - started

        return wrapper

    def read_before_delete() -> None:
        runs = [_time(lambda: raw_answers(current[0])) for _ in range(3)]
        phases["raw_read"] = statistics.median(runs)
        phases["baseline_inside"] = sum(runs)  # not the release's time: taken off below

    releases.release_campaign = timed("open", releases.release_campaign)  # type: ignore[assignment]
    release.compute_release = timed("decide", release.compute_release)  # type: ignore[assignment]
    release._store_results = timed("store", release._store_results)  # type: ignore[assignment]
    release._delete_responses = timed(  # type: ignore[assignment]
        "delete", release._delete_responses, before=read_before_delete
    )

    figures: dict[str, Any] = {}
    for label, cycle in (("first", cycles[0]), ("later", later)):
        current[:] = [cycle]
        open_seconds = statistics.median(_time(lambda c=cycle: open_ballots(c)) for _ in range(3))
        aggregate = statistics.median(_time(lambda c=cycle: raw_aggregate(c)) for _ in range(3))
        phases.clear()
        seconds = _time(lambda c=cycle: release.release_cycle(cycle=c))
        seconds -= phases.pop("baseline_inside")
        figures[label] = {
            "release_seconds": seconds,
            "open_ballots_seconds": open_seconds,
            "raw_aggregate_seconds": aggregate,
            **{f"{k}_seconds": v for k, v in phases.items()},
        }
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_rating")
        cursor.execute("VACUUM ANALYZE assessments_leaderresult")

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
            # The dimension scores as the views read them: the result's own column.
            sums = ", ".join(f"sum((lr.dimensions->>'{k}')::float)" for k in dims)
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
    scored = {
        label: ReadinessCycle.objects.get(pk=c.pk).results.exclude(band_key="").count()
        for label, c in (("first", cycles[0]), ("later", later))
    }

    sample = list(
        Person.objects.filter(organisation=org).select_related("org_unit").order_by("pk")[:pdfs]
    )

    def render_report_pdf(report: Any) -> bytes:
        return core_pdf.render_pdf(pdf.TEMPLATE, pdf.report_context(report))

    render_report_pdf(reports.individual_report(sample[0]))  # load fonts once

    def render_all() -> None:
        for person in sample:
            content = render_report_pdf(reports.individual_report(person))
            assert content.startswith(b"%PDF")

    pdf_seconds = _time(render_all)
    return {
        "leaders": leaders,
        "raters": raters,
        "ballots": ballots_total // len(cycles),
        "answers": leaders * (raters + 1) * len(keys),
        "first": figures["first"],
        "later": figures["later"],
        "scored": scored,
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
    views_ratio = r["views_seconds"] / r["raw_views_seconds"]
    rate = r["pdfs"] / r["pdf_seconds"] if r["pdf_seconds"] else 0.0
    print(
        f"readiness: {r['leaders']:,} leaders x (self + {r['raters']} raters), "
        f"{r['ballots']:,} sealed ballots and {r['answers']:,} answers per cycle, 2 cycles"
    )
    ratios = []
    for label, name in (("first", "first cycle"), ("later", "later cycle")):
        f = r[label]
        work = f["decide_seconds"] + f["store_seconds"]
        ratio = work / f["raw_read_seconds"]
        ratios.append(ratio)
        print(
            f"  release, {name} {f['release_seconds']:6.2f} s "
            f"({r['scored'][label]:,} leaders scored) vs raw GROUP BY of the same ratings "
            f"per leader/category/item {f['raw_aggregate_seconds']:.2f} s"
        )
        print(
            f"    opening the ballots and storing them (release_campaign) "
            f"{f['open_seconds']:.2f} s vs opening them alone {f['open_ballots_seconds']:.2f} s"
        )
        print(
            f"    deciding and scoring {f['decide_seconds']:.2f} s + storing the results "
            f"{f['store_seconds']:.2f} s = {work:.2f} s vs raw SQL read of the same answers "
            f"{f['raw_read_seconds']:.2f} s = {ratio:.2f}x (aim <= 2x); deleting the "
            f"responses {f['delete_seconds']:.2f} s"
        )
    print(
        f"  organisation views     {r['views_seconds'] * 1000:7.0f} ms vs raw SQL aggregates "
        f"{r['raw_views_seconds'] * 1000:.0f} ms = {views_ratio:.2f}x (aim <= 2x); heatmap "
        f"{r['heatmap_units']} units, {r['heatmap_hidden']} suppressed; share 70+ {r['share']}%"
    )
    print(
        f"  individual PDF reports {r['pdfs']} in {r['pdf_seconds']:.1f} s = {rate:.1f} reports/s"
    )
    ok = all(ratio <= 2 for ratio in ratios) and views_ratio <= 2
    print("  OK" if ok else "  AIM MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
