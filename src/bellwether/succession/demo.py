"""Demo data: leaders on each development pathway (some plan items done), a succession
slate of critical positions held by executives and senior leaders with named successors,
knowledge-transfer items, and a learnings log tagged by initiative, unit and phase.
Through the services, deterministic for the seed."""

from __future__ import annotations

import random
import time

from django.db import transaction
from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE, PROGRAMME_PHASES, SUCCESSION_READINESS
from bellwether.initiatives.models import Initiative
from bellwether.people.models import LeaderLevel, Person
from bellwether.succession import services
from bellwether.succession.models import PlanItem

PLACEMENTS = 18
POSITIONS = 6
TRANSFER = (
    "Vendor relationships for the AI platform",
    "The AI investment committee's decision history",
    "Board reporting on AI risk",
    "The data-sharing agreements with partners",
)
LEARNINGS = (
    (
        "learning.learning",
        "Pilots need a measured baseline",
        "Without a baseline the pilot could only be called a learning; measure before you start.",
    ),
    (
        "learning.best_practice",
        "Pair every executive with a peer champion",
        "Peer champions moved the sceptics faster than any briefing.",
    ),
    (
        "learning.learning",
        "Town halls beat memos",
        "Confidence rose after leaders showed their own AI use in a town hall.",
    ),
    (
        "learning.best_practice",
        "Monthly AI office hours",
        "A standing hour for questions kept adoption going after the launch.",
    ),
    (
        "learning.learning",
        "Name the counter-metric early",
        "Guardrails agreed up front avoided a quarrel when quality dipped.",
    ),
    (
        "learning.best_practice",
        "Retire pilots openly",
        "Saying why a pilot stopped kept trust in the next one.",
    ),
)


def build_demo(*, organisation: Organisation, seed: int) -> str:
    started = time.perf_counter()
    rng = random.Random(seed * 104729 + 43)
    leaders = list(
        Person.objects.filter(organisation=organisation, active=True)
        .exclude(leader_level="")
        .select_related("org_unit")
        .order_by("id")
    )
    if len(leaders) < 4:
        return "succession: too few leaders"
    pathways = [p.key for p in CATALOGUE.development_pathways]
    readiness = [r.key for r in SUCCESSION_READINESS]
    with transaction.atomic():
        placed = rng.sample(leaders, min(PLACEMENTS, len(leaders)))
        for n, person in enumerate(placed):
            placement = services.place_on_pathway(
                person=person, pathway=pathways[n % len(pathways)], actor=None
            )
            items = list(placement.items.order_by("id"))
            done = rng.sample(items, rng.randint(0, len(items) // 2))
            PlanItem.objects.filter(pk__in=[i.pk for i in done]).update(
                done_on=timezone.localdate()
            )
        holders = [p for p in leaders if p.leader_level != LeaderLevel.OPERATIONAL][:POSITIONS]
        others = [p for p in leaders if p not in holders]
        for holder in holders:
            position = services.add_position(
                organisation=organisation,
                title=holder.title
                or f"Head of {holder.org_unit.name if holder.org_unit else 'unit'}",
                org_unit=holder.org_unit,
                incumbent=holder,
                actor=None,
            )
            for successor in rng.sample(others, min(len(others), rng.randint(0, 3))):
                services.name_successor(
                    position=position,
                    person=successor,
                    readiness=rng.choice(readiness),
                    high_potential=rng.random() < 0.35,
                    actor=None,
                )
            for text in rng.sample(TRANSFER, 2):
                services.add_transfer_item(position=position, text=text, actor=None)
        initiatives = list(Initiative.objects.filter(organisation=organisation).order_by("id"))
        for kind, title, body in LEARNINGS:
            services.record_learning(
                organisation=organisation,
                kind=kind,
                title=title,
                body=body,
                phase=rng.choice(PROGRAMME_PHASES).key,
                initiative=rng.choice(initiatives) if initiatives else None,
                org_unit=rng.choice(leaders).org_unit,
                actor=None,
            )
    return (
        f"succession: {len(placed)} on pathways, {len(holders)} critical positions, "
        f"{len(LEARNINGS)} learnings ({time.perf_counter() - started:.1f}s)"
    )
