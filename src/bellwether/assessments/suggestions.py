"""Raters suggested from the people records: for one leader (the raters pages) and for
every leader of a cycle at once (at launch, before the raters are fixed)."""

from __future__ import annotations

import secrets
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from bellwether.assessments.models import (
    DISCLOSED_CATEGORIES,
    Category,
    Rater,
    ReadinessCycle,
)
from bellwether.assessments.raters import mailbox, running_admins
from bellwether.people.models import Person
from bellwether.surveys.models import Invitation

if TYPE_CHECKING:
    from bellwether.accounts.models import User

PEER_SUGGESTIONS = 8
REPORT_SUGGESTIONS = 12


@dataclass(frozen=True)
class Suggestion:
    person_id: int
    name: str
    title: str
    category: str


def suggest_raters(*, cycle: ReadinessCycle, leader: Person) -> list[Suggestion]:
    """Raters from the org data: the manager, same-level leaders in the same unit (peers)
    and direct reports. Active people with an e-mail only; already chosen ones left out."""
    taken = set(
        Rater.objects.filter(cycle=cycle, leader=leader)
        .exclude(status=Rater.Status.REJECTED)
        .values_list("person_id", flat=True)
    )
    people = (
        Person.objects.filter(organisation_id=leader.organisation_id, active=True)
        .exclude(pk=leader.pk)
        .exclude(email="")
    )
    found: list[Suggestion] = []
    seen: set[int] = set(taken)

    def add(rows: Iterable[Person], category: str) -> None:
        for p in rows:
            if p.pk not in seen:
                seen.add(p.pk)
                found.append(Suggestion(p.pk, p.name, p.title, category))

    if leader.manager_id:
        add(people.filter(pk=leader.manager_id), Category.MANAGER)
    if leader.org_unit_id and leader.leader_level:
        add(
            people.filter(
                org_unit_id=leader.org_unit_id, leader_level=leader.leader_level
            ).order_by("name")[:PEER_SUGGESTIONS],
            Category.PEER,
        )
    add(people.filter(manager=leader).order_by("name")[:REPORT_SUGGESTIONS], Category.DIRECT_REPORT)
    return found


def suggested_pairs(
    organisation_id: int, leader_ids: Sequence[int]
) -> dict[int, list[tuple[int, str]]]:
    """``suggest_raters`` for many leaders at once (at launch), in one read of the people."""
    rows = list(
        Person.objects.filter(organisation_id=organisation_id, active=True)
        .exclude(email="")
        .values_list("pk", "name", "manager_id", "org_unit_id", "leader_level")
    )
    by_unit_level: dict[tuple[int, str], list[tuple[str, int]]] = defaultdict(list)
    reports: dict[int, list[tuple[str, int]]] = defaultdict(list)
    active = set()
    for pk, name, manager_id, unit_id, level in rows:
        active.add(pk)
        if unit_id and level:
            by_unit_level[(unit_id, level)].append((name, pk))
        if manager_id:
            reports[manager_id].append((name, pk))
    for group in (*by_unit_level.values(), *reports.values()):
        group.sort()
    leaders = Person.objects.filter(pk__in=list(leader_ids)).values_list(
        "pk", "manager_id", "org_unit_id", "leader_level"
    )
    out: dict[int, list[tuple[int, str]]] = {}
    for pk, manager_id, unit_id, level in leaders:
        peers = [p for _, p in by_unit_level.get((unit_id, level), []) if p != pk]
        candidates = [
            ([manager_id] if manager_id in active else [], Category.MANAGER),
            (peers[:PEER_SUGGESTIONS] if unit_id and level else [], Category.PEER),
            ([p for _, p in reports.get(pk, [])][:REPORT_SUGGESTIONS], Category.DIRECT_REPORT),
        ]
        seen = {pk}
        chosen: list[tuple[int, str]] = []
        for ids, category in candidates:
            for person in ids:
                if person not in seen:
                    seen.add(person)
                    chosen.append((person, str(category)))
        out[pk] = chosen
    return out


def assign_suggested_at_launch(
    *, cycle: ReadinessCycle, actor: User | None, leader_ids: Sequence[int]
) -> int:
    """At launch (before the raters are fixed): every leader's suggested raters,
    approved and invited; people failing ``check_raters`` are left out."""
    running_people, running_mailboxes = running_admins(cycle, actor)
    leader_mailboxes = {
        pk: mailbox(email)
        for pk, email in Person.objects.filter(pk__in=list(leader_ids)).values_list("pk", "email")
    }
    pairs = suggested_pairs(cycle.organisation_id, leader_ids)
    emails = dict(
        Person.objects.filter(
            pk__in={p for chosen in pairs.values() for p, _ in chosen}
        ).values_list("pk", "email")
    )
    now = timezone.now()
    rows: list[tuple[int, int, str]] = []
    for leader, chosen in pairs.items():
        taken = {leader_mailboxes.get(leader, ""), *running_mailboxes}
        for person, category in chosen:
            box = mailbox(emails.get(person, ""))
            if person in running_people or not box or box in taken:
                continue
            taken.add(box)
            rows.append((leader, person, category))
    Invitation.objects.bulk_create(
        (
            Invitation(
                organisation_id=cycle.organisation_id,
                campaign=cycle.campaign,
                person_id=person,
                subject_id=leader,
                nonce=secrets.token_hex(12),
                category=category,
                category_disclosed=category in DISCLOSED_CATEGORIES,
            )
            for leader, person, category in rows
        ),
        batch_size=2000,
    )
    invitations = {
        (subject, person): pk
        for pk, subject, person in Invitation.objects.filter(campaign=cycle.campaign)
        .exclude(category=Category.SELF)
        .values_list("pk", "subject_id", "person_id")
    }
    Rater.objects.bulk_create(
        (
            Rater(
                organisation_id=cycle.organisation_id,
                cycle=cycle,
                leader_id=leader,
                person_id=person,
                category=category,
                status=Rater.Status.APPROVED,
                invitation_id=invitations[(leader, person)],
                proposed_by=actor,
                decided_by=actor,
                decided_at=now,
                invited_email=emails.get(person, ""),
            )
            for leader, person, category in rows
        ),
        batch_size=2000,
    )
    return len(rows)
