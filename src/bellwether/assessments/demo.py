"""Demo data: two completed readiness cycles a quarter apart and one open cycle.

Every active leader is assessed: a self-assessment, their manager, 2–4 peers (leaders
at the same level in the same unit, else under the same manager) and 2–4 direct
reports where they have them. Leaders have a hidden readiness per dimension that
moves between the cycles (most improve, a few slip), raters see it with some noise,
and some leaders over- or under-rate themselves, so blind spots and band movements
are believable. Rows are written in bulk (the demo builds past cycles, which the
services rightly refuse to launch), each rating as the survey engine stores a submission
(a sealed ballot beside a completion); the two closed cycles are then released by
``release.release_cycle``, exactly as a real close does, and the open one stays sealed.
Most raters answer in both closed cycles (a few do not), so most second-cycle reports
show every group and a few show what the cross-cycle rule withholds. Deterministic for a
given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.assessments import release, services
from bellwether.assessments.models import (
    DISCLOSED_CATEGORIES,
    CycleLeader,
    LeaderResult,
    Rater,
    RaterMode,
    ReadinessCycle,
)
from bellwether.core.models import Organisation
from bellwether.core.rawsql import copy_rows_with
from bellwether.framework import catalogue
from bellwether.people.models import Person
from bellwether.surveys import sealing
from bellwether.surveys.models import Ballot, Campaign, Completion, Invitation
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
    policy = policy_for(organisation)
    emails = {p.pk: p.email for p in people}
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
        base[demo_leader] = {
            catalogue.DIMENSION_KNOWLEDGE: 3.4,
            catalogue.DIMENSION_ATTITUDE: 3.9,
            catalogue.DIMENSION_BEHAVIOURS: 2.6,
            catalogue.DIMENSION_STRATEGY: 3.2,
        }
        drift[demo_leader], self_bias[demo_leader] = 0.45, 0.7
    # Whether each rating is given in the closed cycles: mostly the same people each time.
    responsive = {
        (plan.leader, person_id): rng.random()
        for plan in plans
        for person_id, _ in [(plan.leader, "self"), *plan.raters]
    }

    zone = ZoneInfo(organisation.time_zone)
    today = timezone.localdate(timezone=zone)
    at_nine = lambda day: dt.datetime.combine(day, dt.time(9), tzinfo=zone)  # noqa: E731
    cycles_spec = [
        ("Readiness baseline", today - dt.timedelta(days=200), 21, 0.0, 0.97, 0.86),
        ("Readiness — next quarter", today - dt.timedelta(days=109), 21, 1.0, 0.97, 0.86),
        ("Readiness — this quarter", today - dt.timedelta(days=6), 21, 2.0, 0.45, 0.35),
    ]
    totals = {"ratings": 0}
    now = timezone.now()
    closed: list[ReadinessCycle] = []
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
            min_group=policy.min_group,
            min_360_group=policy.min_360_group,
            min_comments=policy.min_comments,
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
        copy_rows_with(
            CycleLeader, {**stamp, "cycle": cycle.pk}, ("person",), ((p.pk,) for p in leaders)
        )
        invited_at = opens + dt.timedelta(minutes=5)
        copy_rows_with(
            Invitation,
            {**stamp, "campaign": campaign.pk, "sealed_draft": "", "invited_at": invited_at},
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
        # Raters chosen before the cycle opened: its fixed rater set, no late change.
        copy_rows_with(
            Rater,
            {**stamp, "cycle": cycle.pk, "status": Rater.Status.APPROVED, "decided_at": opens},
            ("leader", "person", "category", "invitation", "invited_email"),
            (
                (
                    plan.leader,
                    person_id,
                    category,
                    by_key[(person_id, plan.leader)],
                    emails[person_id],
                )
                for plan in plans
                for person_id, category in plan.raters
            ),
        )
        purpose = sealing.ballot_purpose(campaign.pk)
        ballots: list[tuple[uuid.UUID, str]] = []
        completions: list[tuple[int, str, str, str]] = []
        for plan in plans:
            level = {d: base[plan.leader][d] + drift[plan.leader] * quarter for d in DIMENSIONS}
            for person_id, category in [(plan.leader, "self"), *plan.raters]:
                if person_id == plan.leader and person_id == demo_leader and is_open:
                    continue  # the demo leader's self-assessment is still to do
                chance = self_rate if category == "self" else rater_rate
                draw = rng.random() if is_open else responsive[(plan.leader, person_id)]
                if plan.leader == demo_leader and not is_open:
                    draw = 0.0  # the demo leader's story needs a full 360 in each closed cycle
                elif not is_open and rng.random() < 0.01:
                    draw = rng.random()  # now and then someone answers one cycle only
                if draw >= chance:
                    continue
                lean = self_bias[plan.leader] if category == "self" else 0.0
                answers = {key: _answer(rng, level[dim] + lean) for key, dim in ITEMS}
                sealed = sealing.seal(
                    {
                        "answers": answers,
                        "segments": {"org_unit_path": "", "leader_level": "", "tenure_band": ""},
                        "category": category,
                        "subject": plan.leader,
                    },
                    purpose=purpose,
                )
                ballots.append((uuid.UUID(int=rng.getrandbits(128), version=4), sealed))
                completions.append((by_key[(person_id, plan.leader)], "", "", ""))
        copy_rows_with(
            Ballot,
            {"organisation": organisation.pk, "campaign": campaign.pk},
            ("id", "sealed"),
            ballots,
        )
        when = min(closes, now)
        copy_rows_with(
            Completion,
            {
                "organisation": organisation.pk,
                "campaign": campaign.pk,
                "created_at": when,
                "updated_at": when,
            },
            ("invitation", "org_unit_path", "leader_level", "tenure_band"),
            # By invitation, not in answering order.
            sorted(completions),
        )
        totals["ratings"] += len(ballots)
        if not is_open:
            closed.append(cycle)
    for cycle in closed:  # in the order they closed, as the command does
        release.release_cycle(cycle=cycle)
    results = LeaderResult.objects.filter(cycle__in=closed).exclude(band_key="").count()
    return (
        f"assessments: 3 readiness cycles for {len(leaders)} leaders "
        f"(2 closed and released, 1 open), {totals['ratings']} ratings, "
        f"{results} scored results"
    )
