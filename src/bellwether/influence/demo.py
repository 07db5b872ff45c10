"""Demo data: influence profiles for every leader, a plausible network of influence ties,
and a computed analysis and conversion plan.

Ratings follow the level (executives carry formal authority, team leads less) with
noise from ``random.Random(seed)``. Ties run mostly within a department (peers, and
team leads to each other); two brokers (heads with friends across the company)
connect departments; and the two most senior not-yet-engaged leaders are made
influential skeptics: highly respected, with strong ties to their peers. Bands come
from the readiness demo, built just before this one.
"""

from __future__ import annotations

import random
import time
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.influence import network, planner, selectors, services
from bellwether.influence.models import (
    AnalysisRun,
    InfluenceProfile,
    PlannerRun,
    RunStatus,
    Tie,
)
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.people.orgchart import path_ids

_LEVEL_WEIGHTS: dict[str, tuple[tuple[float, float], ...]] = {
    # (formal authority, informal influence, peer respect, employee following, external
    # credibility): chance of High, Medium (Low is the rest).
    LeaderLevel.EXECUTIVE: ((0.95, 0.05), (0.5, 0.4), (0.5, 0.4), (0.5, 0.4), (0.6, 0.3)),
    LeaderLevel.SENIOR: ((0.3, 0.6), (0.3, 0.4), (0.3, 0.5), (0.3, 0.4), (0.15, 0.4)),
    LeaderLevel.OPERATIONAL: ((0.0, 0.3), (0.2, 0.4), (0.2, 0.5), (0.2, 0.4), (0.05, 0.2)),
}
_FIELDS = (
    "formal_authority",
    "informal_influence",
    "peer_respect",
    "employee_following",
    "external_credibility",
)
_MOTIVATED = [
    "Faster decisions with better data",
    "Freeing the team from repetitive work",
    "Being seen as a modern leader by the board",
    "Customer experience scores",
    "Growing the team's skills",
]
_CONCERNED = [
    "Job losses in the team and what to tell people",
    "Accuracy and the risk of a public mistake",
    "Budget taken from current priorities",
    "Own lack of hands-on AI knowledge",
    "Integration with the systems we run today",
]
_VALUES = [
    "Strong on customer focus; wary of hype",
    "Values evidence and pilots before scaling",
    "Puts people first; sees AI as augmentation",
    "Cost discipline above all",
]
_APPROACH = [
    "Peer conversation with a respected Champion",
    "Hands-on session with their own data",
    "Business case with a small, measured pilot",
    "Executive coaching and reverse mentoring",
]
_TIMING = ["Before the quarterly planning", "After the pilot results", "This month", "Next quarter"]
_SUPPORT = ["Coaching", "A data analyst for the pilot", "Time on the leadership agenda", "Training"]
_NOTES = ["Long-standing peers", "Sit on the same steering group", "Former manager", "Mentor", ""]


def _rating(rng: random.Random, high: float, medium: float) -> str:
    roll = rng.random()
    return "high" if roll < high else "medium" if roll < high + medium else "low"


def build_demo(*, organisation: Organisation, seed: int) -> str:
    started = time.perf_counter()
    rng = random.Random(seed * 7919 + 5)
    with transaction.atomic():
        people = list(selectors.leaders(organisation).select_related("org_unit").order_by("id"))
        if not people:
            return "influence: no leaders"
        bands = selectors.bands_for(organisation)
        paths = dict(OrgUnit.objects.filter(organisation=organisation).values_list("id", "path"))

        def department(person_unit: int | None) -> int:
            ids = path_ids(paths.get(person_unit, "")) if person_unit else []
            return ids[1] if len(ids) > 1 else (ids[0] if ids else 0)

        by_department: dict[int, list[int]] = defaultdict(list)
        dept_of: dict[int, int] = {}
        for person in people:
            dept_of[person.pk] = department(person.org_unit_id)
            by_department[dept_of[person.pk]].append(person.pk)
        level = {person.pk: person.leader_level for person in people}

        # Two influential skeptics: the most senior leaders not yet engaged (else any two).
        rank: dict[str, int] = {
            LeaderLevel.EXECUTIVE: 0,
            LeaderLevel.SENIOR: 1,
            LeaderLevel.OPERATIONAL: 2,
        }
        unengaged = [p for p in people if bands.get(p.pk) in network.NOT_YET_ENGAGED_BANDS]
        pool = unengaged if len(unengaged) >= 2 else people
        skeptics = [
            p.pk for p in sorted(pool, key=lambda p: (rank.get(p.leader_level, 3), p.pk))[:2]
        ]

        profiles = []
        for person in people:
            weights = _LEVEL_WEIGHTS.get(
                person.leader_level, _LEVEL_WEIGHTS[LeaderLevel.OPERATIONAL]
            )
            ratings = {f: _rating(rng, *w) for f, w in zip(_FIELDS, weights, strict=True)}
            if person.pk in skeptics:
                ratings.update(
                    informal_influence="high", peer_respect="high", employee_following="high"
                )
            profiles.append(
                InfluenceProfile(
                    organisation=organisation,
                    person=person,
                    **ratings,
                    motivated_by=rng.choice(_MOTIVATED),
                    concerned_about=rng.choice(_CONCERNED),
                    values_alignment=rng.choice(_VALUES),
                    coalition_potential=rng.choice(
                        ["High: trusted across departments", "Medium: within own department", "Low"]
                    ),
                    approach=rng.choice(_APPROACH),
                    messaging=rng.choice(
                        [
                            "AI takes the drudgery, you keep the judgement",
                            "Measured pilots, no big-bang change",
                            "Your customers will notice first",
                        ]
                    ),
                    timing=rng.choice(_TIMING),
                    support_needed=rng.choice(_SUPPORT),
                )
            )
        InfluenceProfile.objects.bulk_create(profiles)

        ties: dict[tuple[int, int], int] = {}

        def tie(source: int, target: int, strength: int) -> None:
            if source != target and (source, target) not in ties:
                ties[(source, target)] = strength

        # Peers inside a department: each leader influences one to three colleagues.
        for members in by_department.values():
            for pk in members:
                for other in rng.sample(members, min(len(members), rng.randint(1, 3))):
                    tie(pk, other, rng.choice((1, 2, 2, 3)))
        # Executives talk to each other.
        executives = [p.pk for p in people if p.leader_level == LeaderLevel.EXECUTIVE]
        for pk in executives:
            for other in rng.sample(executives, min(len(executives), 3)):
                tie(pk, other, 2)
        # Two brokers: senior leaders with friends in four other departments.
        seniors = [p.pk for p in people if p.leader_level == LeaderLevel.SENIOR]
        brokers = rng.sample(seniors, min(2, len(seniors)))
        departments = sorted(by_department)
        for broker in brokers:
            others = [d for d in departments if d != dept_of[broker]]
            for dept in rng.sample(others, min(4, len(others))):
                friend = rng.choice(by_department[dept])
                tie(broker, friend, 3)
                tie(friend, broker, 2)
        # The skeptics carry weight with many peers.
        for skeptic in skeptics:
            peers = [pk for pk in level if level[pk] != LeaderLevel.OPERATIONAL and pk != skeptic]
            for other in rng.sample(peers, min(8, len(peers))):
                tie(skeptic, other, 3)
        Tie.objects.bulk_create(
            [
                Tie(
                    organisation=organisation,
                    source_id=s,
                    target_id=t,
                    strength=strength,
                    note=rng.choice(_NOTES),
                )
                for (s, t), strength in sorted(ties.items())
            ]
        )

        # The demo is small: compute the analytics and a plan here rather than in the worker.
        version = selectors.network_version(organisation)
        inputs = selectors.network_inputs(organisation)
        now = timezone.now()
        clock = time.perf_counter()
        analysis = services.compute_analysis(inputs)
        analysis_ms = round(1000 * (time.perf_counter() - clock))
        clock = time.perf_counter()
        plan = services.compute_plan(
            inputs, k=planner.DEFAULT_PICKS, runs=planner.DEFAULT_RUNS, seed=seed
        )
        plan_ms = round(1000 * (time.perf_counter() - clock))
        run = AnalysisRun.objects.create(
            organisation=organisation,
            version=version,
            status=RunStatus.PENDING,
            computed_at=now,
            duration_ms=analysis_ms,
        )
        services.store_analysis(run, analysis)
        run.status, run.progress, run.stage = RunStatus.DONE, 100, "Done"
        run.save(update_fields=["results", "status", "progress", "stage", "updated_at"])
        PlannerRun.objects.create(
            organisation=organisation,
            version=version,
            status=RunStatus.DONE,
            k=planner.DEFAULT_PICKS,
            runs=planner.DEFAULT_RUNS,
            seed=seed,
            results=plan,
            computed_at=now,
            duration_ms=plan_ms,
        )
    elapsed = time.perf_counter() - started
    return (
        f"influence: {len(profiles)} profiles, {len(ties)} ties, {len(brokers)} brokers, "
        f"{len(skeptics)} influential skeptics, analysis and a {planner.DEFAULT_PICKS}-pick plan "
        f"({elapsed:.1f} s)"
    )
