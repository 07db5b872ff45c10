"""Raters for many leaders of a cycle at once: planned by rule (the manager, N peers
from the same org unit, the direct reports) or read from a CSV/XLSX rater list (leader
e-mail, rater e-mail, kind), shown for review, then applied all or nothing.

Planning writes nothing: a plan lists the raters that would be added and, for a rule,
the ones left out with the reason (no manager on record, no e-mail, a shared mailbox,
already a rater…); a file with any bad row is refused as a whole, each problem with its
line (``core.tabular``). Applying takes the reviewed rows back, checks each again as
``assign_raters`` does and saves them in one transaction (audited), or nothing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import transaction

from bellwether.assessments.models import RATER_CATEGORIES, Category, CycleLeader, Rater
from bellwether.assessments.raters import (
    CATEGORY_LABELS,
    assign_raters,
    check_open,
    mailbox,
    running_admins,
)
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.tabular import Columns, RowError, cell, read_table
from bellwether.people.models import OrgUnit, Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User
    from bellwether.assessments.models import ReadinessCycle

MAX_PEERS = 8
MAX_ROWS = 5000  # raters applied in one go

RATER_COLUMNS = Columns(
    fields=("leader_email", "rater_email", "kind"),
    required=("leader_email", "rater_email", "kind"),
    aliases={
        "leader_email": ("leader", "leader e-mail", "leader mail"),
        "rater_email": ("rater", "rater e-mail", "rater mail", "email"),
        "kind": ("category", "relationship", "type", "rater kind"),
    },
    unknown_hint="Use leader_email, rater_email and kind (manager, peer or direct_report).",
)
KIND_SPELLINGS = {
    "manager": Category.MANAGER,
    "peer": Category.PEER,
    "direct_report": Category.DIRECT_REPORT,
    "directreport": Category.DIRECT_REPORT,
    "direct report": Category.DIRECT_REPORT,
    "report": Category.DIRECT_REPORT,
}


@dataclass(frozen=True)
class PlannedRater:
    leader_id: int
    leader_name: str
    person_id: int
    person_name: str
    category: str
    line: int = 0

    @property
    def token(self) -> str:
        """How the review form sends the row back to be applied."""
        return f"{self.leader_id}:{self.person_id}:{self.category}"

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS[self.category]


@dataclass(frozen=True)
class Skipped:
    leader_name: str
    person_name: str
    category: str
    reason: str

    @property
    def category_label(self) -> str:
        return CATEGORY_LABELS.get(self.category, "")


@dataclass
class BulkPlan:
    """What applying would add, what was left out and why, and (for a file) every
    problem with its line; with ``errors`` nothing can be applied."""

    adds: list[PlannedRater] = field(default_factory=list)
    skips: list[Skipped] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    leaders: int = 0
    rows: int = 0


@dataclass(frozen=True)
class _Person:
    pk: int
    name: str
    email: str
    manager_id: int | None
    unit_id: int | None
    level: str


class _Checker:
    """The checks of ``raters.check_raters`` for many leaders, over one read of the
    people and the cycle's raters: a reason to leave a rater out, or ""."""

    def __init__(self, cycle: ReadinessCycle, actor: User | None, people: dict[int, _Person]):
        self.people = people
        self.running_people, self.running_mailboxes = running_admins(cycle, actor)
        self.taken: dict[int, dict[int, str]] = defaultdict(dict)  # leader → person → category
        self.boxes: dict[int, dict[str, int]] = defaultdict(dict)  # leader → mailbox → person
        for leader_id, person_id, category, email in (
            Rater.objects.filter(cycle=cycle)
            .exclude(status=Rater.Status.REJECTED)
            .values_list("leader_id", "person_id", "category", "person__email")
        ):
            self.taken[leader_id][person_id] = category
            self.boxes[leader_id][mailbox(email)] = person_id

    def problem(self, leader: _Person, person: _Person, category: str) -> str:
        already = self.taken[leader.pk].get(person.pk)
        if already is not None:
            return f"already a rater ({CATEGORY_LABELS[already].lower()})"
        if person.pk == leader.pk:
            return "the leader rates themself in the self-assessment"
        if person.pk in self.running_people:
            return "runs this cycle (an administrator's own ratings would be known to them)"
        box = mailbox(person.email)
        if not box:
            return "has no e-mail address"
        if box == mailbox(leader.email) or box in self.running_mailboxes:
            return "shares a mailbox with the leader or an administrator"
        if self.boxes[leader.pk].get(box, person.pk) != person.pk:
            return "shares a mailbox with another of the leader's raters"
        return ""

    def take(self, leader: _Person, person: _Person, category: str) -> None:
        self.taken[leader.pk][person.pk] = category
        self.boxes[leader.pk][mailbox(person.email)] = person.pk


def _people(organisation_id: int) -> dict[int, _Person]:
    return {
        row[0]: _Person(*row)
        for row in Person.objects.filter(organisation_id=organisation_id, active=True)
        .order_by("name", "pk")
        .values_list("pk", "name", "email", "manager_id", "org_unit_id", "leader_level")
    }


def _cycle_leaders(cycle: ReadinessCycle, org_unit: OrgUnit | None) -> list[Person]:
    leaders = Person.objects.filter(
        pk__in=CycleLeader.objects.filter(cycle=cycle).values("person_id")
    ).order_by("name", "pk")
    if org_unit is not None:
        leaders = leaders.filter(org_unit__path__startswith=org_unit.path)
    return list(leaders)


def plan_by_rule(
    *,
    cycle: ReadinessCycle,
    actor: User | None,
    peers: int,
    manager: bool = True,
    reports: bool = True,
    org_unit: OrgUnit | None = None,
) -> BulkPlan:
    """For every leader of ``cycle`` (or those in ``org_unit`` and below): the manager,
    up to ``peers`` colleagues of the same org unit (same leader level first) and the
    direct reports, each checked as ``assign_raters`` would; nothing written."""
    check_open(cycle)
    if not 0 <= peers <= MAX_PEERS:
        raise DomainError(
            f"Choose between 0 and {MAX_PEERS} peers.",
            code="bad_peers",
            field_errors={"peers": [f"Between 0 and {MAX_PEERS}."]},
        )
    if org_unit is not None and org_unit.organisation_id != cycle.organisation_id:
        raise DomainError("Choose an org unit of this organisation.", code="bad_unit")
    people = _people(cycle.organisation_id)
    by_unit: dict[int, list[_Person]] = defaultdict(list)
    by_manager: dict[int, list[_Person]] = defaultdict(list)
    for person in people.values():
        if person.unit_id:
            by_unit[person.unit_id].append(person)
        if person.manager_id:
            by_manager[person.manager_id].append(person)
    checker = _Checker(cycle, actor, people)
    leaders = _cycle_leaders(cycle, org_unit)
    plan = BulkPlan(leaders=len(leaders))
    for record in leaders:
        leader = people.get(record.pk) or _Person(
            record.pk, record.name, record.email, record.manager_id, record.org_unit_id, ""
        )

        def consider(person: _Person, category: str, leader: _Person = leader) -> bool:
            reason = checker.problem(leader, person, category)
            if reason:
                plan.skips.append(Skipped(leader.name, person.name, category, reason))
                return False
            checker.take(leader, person, category)
            plan.adds.append(PlannedRater(leader.pk, leader.name, person.pk, person.name, category))
            return True

        if manager:
            boss = people.get(leader.manager_id) if leader.manager_id else None
            if boss is None:
                reason = (
                    "no active manager on record" if leader.manager_id else "no manager on record"
                )
                plan.skips.append(Skipped(leader.name, "—", Category.MANAGER, reason))
            else:
                consider(boss, Category.MANAGER)
        if peers:
            _add_peers(plan, leader, by_unit, peers, consider)
        if reports:
            for report in by_manager.get(leader.pk, []):
                consider(report, Category.DIRECT_REPORT)
    return plan


def _add_peers(
    plan: BulkPlan,
    leader: _Person,
    by_unit: dict[int, list[_Person]],
    peers: int,
    consider: Callable[[_Person, str], bool],
) -> None:
    if not leader.unit_id:
        plan.skips.append(Skipped(leader.name, "—", Category.PEER, "no org unit on record"))
        return
    colleagues = [
        p
        for p in by_unit.get(leader.unit_id, [])
        if p.pk != leader.pk and p.pk != leader.manager_id and p.manager_id != leader.pk
    ]
    colleagues.sort(key=lambda p: (p.level != leader.level, p.name))
    added = 0
    for colleague in colleagues:
        if added == peers:
            break
        added += consider(colleague, Category.PEER)
    if added < peers:
        plan.skips.append(
            Skipped(
                leader.name,
                "—",
                Category.PEER,
                f"only {added} of {peers} peers found in the same org unit",
            )
        )


def plan_rater_file(
    *, cycle: ReadinessCycle, actor: User | None, content: bytes, filename: str
) -> BulkPlan:
    """A rater list (leader_email, rater_email, kind) read by the tabular pipeline and
    checked row by row; any problem (with its line) refuses the whole file. Rows naming
    a rater the leader already has, as the same kind, are listed as left out."""
    check_open(cycle)
    table = read_table(content, filename)
    plan = BulkPlan(rows=len(table.rows))
    if table.refusal is not None:
        plan.errors = table.errors
        return plan
    columns, header_errors = RATER_COLUMNS.resolve(table.header)
    plan.errors = [*table.errors, *header_errors]
    if any(e.line <= 1 for e in plan.errors):
        return plan
    people = _people(cycle.organisation_id)
    by_mailbox: dict[str, list[_Person]] = defaultdict(list)
    for person in people.values():
        if person.email:
            by_mailbox[mailbox(person.email)].append(person)
    leader_ids = set(CycleLeader.objects.filter(cycle=cycle).values_list("person_id", flat=True))
    checker = _Checker(cycle, actor, people)
    seen: dict[tuple[int, int], int] = {}
    leaders_named: set[int] = set()
    for line, cells in table.rows:
        leader_text = cell(cells, columns["leader_email"]) or ""
        rater_text = cell(cells, columns["rater_email"]) or ""
        kind_text = (cell(cells, columns["kind"]) or "").lower().replace("-", "_")
        errors: list[RowError] = []
        leader = _one(by_mailbox, leader_text, line, "leader_email", errors, "leader")
        if leader is not None and leader.pk not in leader_ids:
            errors.append(
                RowError(line, "leader_email", f"{leader.name} is not assessed in this cycle.")
            )
            leader = None
        rater = _one(by_mailbox, rater_text, line, "rater_email", errors, "rater")
        category = KIND_SPELLINGS.get(kind_text) or KIND_SPELLINGS.get(kind_text.replace("_", " "))
        if category is None:
            errors.append(
                RowError(
                    line,
                    "kind",
                    f"“{kind_text}” is not a kind: use manager, peer or direct_report.",
                )
            )
        if errors or leader is None or rater is None or category is None:
            plan.errors.extend(errors)
            continue
        first = seen.setdefault((leader.pk, rater.pk), line)
        if first != line:
            plan.errors.append(
                RowError(
                    line,
                    "rater_email",
                    f"Line {first} already lists {rater.name} for {leader.name}.",
                )
            )
            continue
        leaders_named.add(leader.pk)
        already = checker.taken[leader.pk].get(rater.pk)
        if already == category:
            plan.skips.append(Skipped(leader.name, rater.name, category, "already a rater"))
            continue
        reason = checker.problem(leader, rater, category)
        if reason:
            plan.errors.append(RowError(line, "rater_email", f"{rater.name}: {reason}."))
            continue
        checker.take(leader, rater, category)
        plan.adds.append(
            PlannedRater(leader.pk, leader.name, rater.pk, rater.name, str(category), line)
        )
    plan.leaders = len(leaders_named)
    return plan


def _one(
    by_mailbox: dict[str, list[_Person]],
    text: str,
    line: int,
    column: str,
    errors: list[RowError],
    what: str,
) -> _Person | None:
    if not text:
        errors.append(RowError(line, column, f"The {what}'s e-mail address is missing."))
        return None
    found = by_mailbox.get(mailbox(text), [])
    if not found:
        errors.append(RowError(line, column, f"No active person has the address “{text}”."))
        return None
    if len(found) > 1:
        names = ", ".join(p.name for p in found[:3])
        errors.append(
            RowError(line, column, f"“{text}” is the mailbox of several people ({names}).")
        )
        return None
    return found[0]


def _parsed(tokens: Sequence[str]) -> dict[int, list[tuple[int, str]]]:
    if len(tokens) > MAX_ROWS:
        raise DomainError(f"Apply at most {MAX_ROWS} raters at once.", code="too_many")
    by_leader: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for token in tokens:
        parts = str(token).split(":")
        if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
            raise DomainError("The reviewed list is damaged: preview it again.", code="bad_row")
        if parts[2] not in RATER_CATEGORIES:
            raise DomainError("The reviewed list is damaged: preview it again.", code="bad_row")
        by_leader[int(parts[0])].append((int(parts[1]), parts[2]))
    if not by_leader:
        raise DomainError("Tick at least one rater to add.", code="no_raters")
    return by_leader


@transaction.atomic
def apply_bulk_raters(
    *,
    cycle: ReadinessCycle,
    actor: User | None,
    rows: Sequence[str],
    source: str,
    send_email: bool = True,
) -> int:
    """Add the reviewed raters (``PlannedRater.token`` of each) to their leaders: every
    row checked again as ``assign_raters`` does, all saved and invited, or none (the
    first problem names the leader). ``source`` ("rule" or "file") is audited."""
    check_open(cycle)
    by_leader = _parsed(rows)
    leaders = {
        p.pk: p
        for p in Person.objects.filter(
            pk__in=CycleLeader.objects.filter(cycle=cycle, person_id__in=list(by_leader)).values(
                "person_id"
            )
        )
    }
    added = 0
    for leader_id, raters in by_leader.items():
        leader = leaders.get(leader_id)
        if leader is None:
            raise DomainError(
                "A leader in the reviewed list is not assessed in this cycle: preview it again.",
                code="not_in_cycle",
            )
        try:
            added += len(
                assign_raters(
                    cycle=cycle, actor=actor, leader=leader, raters=raters, send_email=send_email
                )
            )
        except DomainError as error:
            raise DomainError(
                f"{leader.name}: {error.message} Nothing was added.", code=error.code
            ) from error
    audit.record_on(
        cycle,
        "readiness.raters_bulk_assigned",
        actor=actor,
        details={"source": source, "leaders": len(by_leader), "raters": added},
    )
    return added
