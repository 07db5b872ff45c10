"""Demo data: two completed readiness cycles a quarter apart and one open cycle.

Every active leader is assessed: a self-assessment, their manager, 2–4 peers (leaders
at the same level in the same unit, else under the same manager) and 2–4 direct
reports where they have them. Leaders have a hidden readiness per dimension that
moves between the cycles (most improve, a few slip), raters see it with some noise,
and some leaders over- or under-rate themselves, so blind spots and band movements
are believable. Rows are written in bulk (the demo builds past cycles, which the
services rightly refuse to launch); scores come from ``scoring.score_leader``.
Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import DateTimeField, JSONField, Model, UUIDField
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.assessments import services
from bellwether.assessments.models import (
    DISCLOSED_CATEGORIES,
    CycleLeader,
    LeaderResult,
    Rater,
    RaterMode,
    ReadinessCycle,
)
from bellwether.assessments.scoring import RaterRatings, score_leader
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.people.models import Person
from bellwether.surveys.models import Answer, Campaign, Completion, Invitation, Question, Response
from bellwether.surveys.selectors import policy_for

DIMENSIONS = [d.key for d in catalogue.INSTRUMENT.dimensions]
ITEMS = [(item.key, item.dimension) for item in catalogue.instrument_items()]


@dataclass
class Plan:
    """One leader's raters (person id, category), fixed across the cycles."""

    leader: int
    raters: list[tuple[int, str]] = field(default_factory=list)


def _plans(rng: random.Random, leaders: Sequence[Person], people: Sequence[Person]) -> list[Plan]:
    reports: dict[int, list[int]] = defaultdict(list)
    for p in people:
        if p.manager_id:
            reports[p.manager_id].append(p.pk)
    by_unit_level: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    by_manager_level: dict[tuple[int | None, str], list[int]] = defaultdict(list)
    for p in leaders:
        by_unit_level[(p.org_unit_id, p.leader_level)].append(p.pk)
        by_manager_level[(p.manager_id, p.leader_level)].append(p.pk)
    plans = []
    for leader in leaders:
        plan = Plan(leader.pk)
        if leader.manager_id:
            plan.raters.append((leader.manager_id, "manager"))
        peers = [
            pk
            for pk in by_unit_level[(leader.org_unit_id, leader.leader_level)]
            + by_manager_level[(leader.manager_id, leader.leader_level)]
            if pk != leader.pk and pk != leader.manager_id
        ]
        peers = sorted(set(peers))
        if len(peers) < 2:
            # A leader alone at their level in the unit: peers from the same level elsewhere.
            peers = sorted(
                {p.pk for p in leaders if p.leader_level == leader.leader_level}
                - {leader.pk, leader.manager_id}
                - set(reports.get(leader.pk, []))
            )
        rng.shuffle(peers)
        plan.raters += [(pk, "peer") for pk in peers[: rng.randint(2, 4)]]
        direct = sorted(reports.get(leader.pk, []))
        rng.shuffle(direct)
        plan.raters += [(pk, "direct_report") for pk in direct[: rng.randint(2, 4)]]
        plans.append(plan)
    return plans


def _converter(field: Any, conn: Any) -> Any:
    """How one column's Python values become database values (None: as they are)."""
    base = field.target_field if field.is_relation else field
    if isinstance(base, UUIDField):
        return None if conn.features.has_native_uuid_field else (lambda v: v.hex)
    if isinstance(base, DateTimeField | JSONField):
        return lambda v: field.get_db_prep_save(v, conn)
    return None


def _insert(
    model: type[Model],
    constants: dict[str, Any],
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
) -> None:
    """Write rows in bulk: COPY on PostgreSQL (executemany there sends one statement per
    row), executemany elsewhere. Values go through each field's own database
    preparation, so the rows are what the ORM would have written."""
    meta = model._meta
    conn = connections[DEFAULT_DB_ALIAS]
    fields = [meta.get_field(name) for name in constants] + [meta.get_field(c) for c in columns]
    fixed = [
        field.get_db_prep_save(value, conn)  # type: ignore[union-attr]
        for field, value in zip(fields, constants.values(), strict=False)
    ]
    prepare = [_converter(f, conn) for f in fields[len(constants) :]]
    names = ", ".join(conn.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    table = conn.ops.quote_name(str(meta.db_table))
    prepared = (
        fixed + [v if p is None else p(v) for v, p in zip(row, prepare, strict=True)]
        for row in rows
    )
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(prepared))  # noqa: S608


def _answer(rng: random.Random, level: float) -> int:
    return max(1, min(5, round(level + rng.gauss(0, 0.55))))


@transaction.atomic
def build_demo(*, organisation: Organisation, seed: int) -> str:
    rng = random.Random(seed * 7919 + 4)
    people = list(Person.objects.filter(organisation=organisation, active=True))
    leaders = sorted((p for p in people if p.leader_level), key=lambda p: p.pk)
    if not leaders:
        return "assessments: no leaders, no readiness cycles"
    version = services.ensure_readiness_instrument(organisation=organisation)
    questions = {q.key: q.pk for q in Question.objects.filter(version=version)}
    minimum = policy_for(organisation).min_360_group
    demo_leader = (
        Membership.objects.filter(
            organisation=organisation, user__email__startswith="leader@", person__isnull=False
        )
        .values_list("person_id", flat=True)
        .first()
    )
    plans = _plans(rng, leaders, people)

    # A hidden readiness per leader and dimension (1–5), its movement per quarter, and
    # how far their self-image is off (blind spots, hidden strengths).
    general = {p.pk: rng.gauss(2.95, 0.7) for p in leaders}
    base = {
        p.pk: {d: min(4.7, max(1.3, general[p.pk] + rng.gauss(0, 0.35))) for d in DIMENSIONS}
        for p in leaders
    }
    drift = {p.pk: rng.choice((0.45, 0.35, 0.3, 0.2, 0.1, -0.2)) for p in leaders}
    self_bias = {p.pk: rng.choice((0.0, 0.3, 0.6, 0.9, -0.5)) for p in leaders}
    if demo_leader in base:
        base[demo_leader] = {"knowledge": 3.4, "attitude": 3.9, "behaviours": 2.6, "strategy": 3.2}
        drift[demo_leader], self_bias[demo_leader] = 0.45, 0.7

    zone = ZoneInfo(organisation.time_zone)
    today = timezone.localdate(timezone=zone)
    at_nine = lambda day: dt.datetime.combine(day, dt.time(9), tzinfo=zone)  # noqa: E731
    cycles_spec = [
        ("Readiness baseline", today - dt.timedelta(days=200), 21, 0.0, 0.97, 0.86),
        ("Readiness — next quarter", today - dt.timedelta(days=109), 21, 1.0, 0.95, 0.82),
        ("Readiness — this quarter", today - dt.timedelta(days=6), 21, 2.0, 0.45, 0.35),
    ]
    totals = {"responses": 0, "results": 0}
    now = timezone.now()
    for name, first_day, days, quarter, self_rate, rater_rate in cycles_spec:
        opens, closes = at_nine(first_day), at_nine(first_day + dt.timedelta(days=days))
        is_open = closes > now
        campaign = Campaign.objects.create(
            organisation=organisation,
            version=version,
            name=name,
            mode=Campaign.Mode.CONFIDENTIAL,
            opens_at=opens,
            closes_at=closes,
            time_zone=organisation.time_zone,
            audience={"person_ids": [p.pk for p in leaders]},
        )
        cycle = ReadinessCycle.objects.create(
            organisation=organisation,
            name=name,
            campaign=campaign,
            rater_mode=RaterMode.ASSIGNED,
            opens_at=opens,
            closes_at=closes,
        )
        stamp = {"organisation": organisation.pk, "created_at": now, "updated_at": now}
        _insert(CycleLeader, {**stamp, "cycle": cycle.pk}, ("person",), ((p.pk,) for p in leaders))
        invited_at = opens + dt.timedelta(minutes=5)
        _insert(
            Invitation,
            {**stamp, "campaign": campaign.pk, "draft": {}, "invited_at": invited_at},
            ("person", "subject", "category", "category_disclosed", "nonce"),
            (
                (
                    person_id,
                    plan.leader,
                    category,
                    category in DISCLOSED_CATEGORIES,
                    f"{rng.getrandbits(96):024x}",
                )
                for plan in plans
                for person_id, category in [(plan.leader, "self"), *plan.raters]
            ),
        )
        by_key = {
            (person_id, subject_id): pk
            for pk, person_id, subject_id in Invitation.objects.filter(
                campaign=campaign
            ).values_list("pk", "person_id", "subject_id")
        }
        _insert(
            Rater,
            {**stamp, "cycle": cycle.pk, "status": Rater.Status.APPROVED, "decided_at": opens},
            ("leader", "person", "category", "invitation"),
            (
                (plan.leader, person_id, category, by_key[(person_id, plan.leader)])
                for plan in plans
                for person_id, category in plan.raters
            ),
        )
        response_rows: list[tuple[uuid.UUID, str, int]] = []
        answer_rows: list[tuple[uuid.UUID, uuid.UUID, int, int]] = []
        completion_rows: list[tuple[int, uuid.UUID]] = []
        ratings: dict[int, list[RaterRatings]] = defaultdict(list)
        for plan in plans:
            level = {d: base[plan.leader][d] + drift[plan.leader] * quarter for d in DIMENSIONS}
            for person_id, category in [(plan.leader, "self"), *plan.raters]:
                if person_id == plan.leader and person_id == demo_leader and is_open:
                    continue  # the demo leader's self-assessment is still to do
                chance = self_rate if category == "self" else rater_rate
                if plan.leader == demo_leader and not is_open:
                    chance = 1.0  # the demo leader's story needs a full 360 in each closed cycle
                if rng.random() >= chance:
                    continue
                lean = self_bias[plan.leader] if category == "self" else 0.0
                answers = {key: _answer(rng, level[dim] + lean) for key, dim in ITEMS}
                response_id = uuid.UUID(int=rng.getrandbits(128), version=4)
                response_rows.append((response_id, category, plan.leader))
                answer_rows += [
                    (uuid.UUID(int=rng.getrandbits(128), version=4), response_id, questions[k], v)
                    for k, v in answers.items()
                ]
                completion_rows.append((by_key[(person_id, plan.leader)], response_id))
                ratings[plan.leader].append(RaterRatings(category=category, answers=answers))
        _insert(
            Response,
            {
                "organisation": organisation.pk,
                "campaign": campaign.pk,
                "org_unit_path": "",
                "leader_level": "",
                "tenure_band": "",
            },
            ("id", "category", "subject"),
            response_rows,
        )
        _insert(
            Answer,
            {"organisation": organisation.pk, "text": ""},
            ("id", "response", "question", "value"),
            answer_rows,
        )
        _insert(
            Completion,
            {**stamp, "campaign": campaign.pk},
            ("invitation", "response"),
            completion_rows,
        )
        results = []
        scored_at = min(closes, now)
        for leader_id, given in ratings.items():
            score = score_leader(ratings=given, minimum_others=minimum)
            if score.total is None:
                continue
            results.append(
                (
                    leader_id,
                    score.total,
                    score.band_key or "",
                    score.self_reported,
                    score.self_total,
                    score.others_total,
                    score.others_count,
                    score.to_json(),
                )
            )
        _insert(
            LeaderResult,
            {**stamp, "cycle": cycle.pk, "computed_at": scored_at},
            (
                "person",
                "total",
                "band_key",
                "self_reported",
                "self_total",
                "others_total",
                "others_count",
                "score",
            ),
            results,
        )
        totals["responses"] += len(response_rows)
        totals["results"] += len(results)
    return (
        f"assessments: 3 readiness cycles for {len(leaders)} leaders "
        f"(2 closed, 1 open), {totals['responses']} ratings, {totals['results']} scored results"
    )
