"""Who coaches and reviews whom: assigning (one leader, a list, a CSV), reassigning
with history, coach capacity, inviting an external coach.

Every change writes ``AssignmentRecord`` (the history) and keeps ``accounts.Assignment``
(the access source other apps read) in step through ``accounts.services_members``, in
the same transaction: a refused change leaves both untouched.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from bellwether.accounts import services_members
from bellwether.accounts.models import Membership, MembershipInvitation
from bellwether.accounts.roles import Role
from bellwether.coaching import access
from bellwether.coaching.models import AssignmentKind, AssignmentRecord, CoachProfile, Programme
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.core.tabular import Columns, ImportResult, RowError, cell, read_table
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

ROLE_FOR_KIND = {AssignmentKind.COACHEE: Role.COACH, AssignmentKind.REVIEWEE: Role.REVIEWER}
REASSIGNED = "Reassigned"
MAX_CAPACITY = 200
CSV_COLUMNS = Columns(
    fields=("employee_id", "email", "role"),
    required=("employee_id", "email"),
    aliases={
        "employee_id": ("leader", "leader_employee_id", "employee"),
        "email": ("coach_email", "coach", "reviewer_email", "assignee"),
        "role": ("kind", "as"),
    },
    unknown_hint="Use employee_id, email and role (coach or reviewer).",
)
CSV_ROLES = {"": AssignmentKind.COACHEE, "coach": AssignmentKind.COACHEE}
CSV_ROLES["reviewer"] = AssignmentKind.REVIEWEE


def _check_admin(organisation: Organisation, actor: Membership) -> None:
    if actor.organisation_id != organisation.pk or not access.MANAGE_ASSIGNMENTS.allows(actor):
        raise DomainError("Only a programme admin can assign coaches.", code="forbidden")


def _check_capacity(capacity: int) -> None:
    if not 1 <= capacity <= MAX_CAPACITY:
        raise DomainError(
            f"Capacity is a number of leaders from 1 to {MAX_CAPACITY}.",
            field_errors={"capacity": [f"From 1 to {MAX_CAPACITY}."]},
        )


def capacity_of(membership: Membership) -> int:
    profile = CoachProfile.objects.filter(
        organisation_id=membership.organisation_id, user_id=membership.user_id
    ).first()
    return profile.capacity if profile else CATALOGUE.coaching.default_coach_capacity


def _open_counts(organisation: Organisation, kind: str) -> Counter[int]:
    return Counter(
        AssignmentRecord.objects.filter(
            organisation=organisation, kind=kind, ended_at__isnull=True
        ).values_list("membership_id", flat=True)
    )


def _assignee_problem(membership: Membership | None, kind: str) -> str:
    role = ROLE_FOR_KIND[AssignmentKind(kind)]
    if membership is None or not membership.is_active:
        return "There is no such member."
    if not membership.has_role(role):
        return f"{membership.user} is not a {role.label.lower()}: give them that role first."
    return ""


def _person_problem(person: Person, membership: Membership) -> str:
    if not person.active:
        return f"{person.name} has left the organisation."
    if membership.person_id == person.pk:
        return f"{person.name} cannot coach or review themselves."
    return ""


@dataclass(frozen=True)
class Change:
    membership: Membership
    person: Person
    kind: str


def _over_capacity(organisation: Organisation, changes: Sequence[Change]) -> list[str]:
    """For each coach who would hold more coachees than their capacity, why."""
    counts = _open_counts(organisation, AssignmentKind.COACHEE)
    held = {
        (m, p)
        for m, p in AssignmentRecord.objects.filter(
            organisation=organisation, kind=AssignmentKind.COACHEE, ended_at__isnull=True
        ).values_list("membership_id", "person_id")
    }
    leaving = Counter(
        m
        for m, p in held
        if any(c.person.pk == p and c.membership.pk != m for c in changes if c.kind == "coachee")
    )
    adding: Counter[int] = Counter()
    coaches: dict[int, Membership] = {}
    for change in changes:
        if (
            change.kind == AssignmentKind.COACHEE
            and (change.membership.pk, change.person.pk) not in held
        ):
            adding[change.membership.pk] += 1
            coaches[change.membership.pk] = change.membership
    problems = []
    for pk, more in adding.items():
        capacity = capacity_of(coaches[pk])
        now = counts[pk] - leaving[pk]
        if now + more > capacity:
            problems.append(
                f"{coaches[pk].user} can coach {capacity} leaders and already coaches {now}: "
                f"{more} more would be over capacity. Raise their capacity or choose another coach."
            )
    return problems


def _apply(organisation: Organisation, actor: Membership, changes: Sequence[Change]) -> int:
    """Write the changes (checked already); the number that changed anything."""
    now = timezone.now()
    changed = 0
    for change in changes:
        current = (
            AssignmentRecord.objects.select_for_update()
            .select_related("membership")
            .filter(person=change.person, kind=change.kind, ended_at__isnull=True)
            .first()
        )
        if current is not None and current.membership_id == change.membership.pk:
            continue
        if current is not None:
            _end(current, reason=REASSIGNED, when=now)
        AssignmentRecord.objects.create(
            organisation=organisation,
            membership=change.membership,
            person=change.person,
            kind=change.kind,
            started_at=now,
            assigned_by=actor.user,
        )
        services_members.assign(
            membership=change.membership, person=change.person, kind=change.kind
        )
        if change.kind == AssignmentKind.COACHEE:
            # The programme follows its coachee to the new coach; the sessions keep theirs.
            Programme.objects.filter(person=change.person).update(coach=change.membership)
        _audit_assignment(
            "coaching.assigned",
            organisation,
            actor,
            change.person,
            {
                "kind": change.kind,
                "membership_id": change.membership.pk,
                "previous_membership_id": current.membership_id if current else None,
            },
        )
        changed += 1
    return changed


def _audit_assignment(
    action: str,
    organisation: Organisation,
    actor: Membership,
    person: Person,
    details: dict[str, Any],
) -> None:
    """An assignment starting or ending is an event on the person, named by their name."""
    audit.record(
        action=action,
        organisation=organisation,
        actor=actor.user,
        target=person,
        target_label=person.name,
        details=details,
    )


def _end(record: AssignmentRecord, *, reason: str, when: dt.datetime) -> None:
    record.ended_at = when
    record.end_reason = reason[:300]
    record.save(update_fields=["ended_at", "end_reason"])
    services_members.unassign(membership=record.membership, person=record.person, kind=record.kind)


@transaction.atomic
def assign(
    *,
    organisation: Organisation,
    actor: Membership,
    membership: Membership,
    people: Sequence[Person],
    kind: str = AssignmentKind.COACHEE,
) -> int:
    """Make ``membership`` the coach (or reviewer, ``kind`` "reviewee") of each of
    ``people``: one leader or a list, all or nothing. A leader with another coach is
    reassigned (the earlier assignment ends, kept in the history). Refused, with
    nothing saved, when the coach would be over capacity. Returns how many changed."""
    _check_admin(organisation, actor)
    if kind not in AssignmentKind.values:
        raise DomainError("Choose coach or reviewer.", field_errors={"kind": ["Choose one."]})
    if not people:
        raise DomainError("Choose at least one leader.", field_errors={"people": ["Choose one."]})
    if membership.organisation_id != organisation.pk:
        raise DomainError("There is no such member.", code="not_found")
    problem = _assignee_problem(membership, kind)
    if problem:
        raise DomainError(problem, field_errors={"membership": [problem]})
    problems = [p for p in (_person_problem(person, membership) for person in people) if p] + [
        "There is no such person." for person in people if person.organisation_id != organisation.pk
    ]
    changes = [Change(membership, person, kind) for person in people]
    problems += _over_capacity(organisation, changes)
    if problems:
        raise DomainError(" ".join(problems), code="refused", field_errors={"people": problems})
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    return _apply(organisation, actor, changes)


@transaction.atomic
def end_assignment(
    *, organisation: Organisation, actor: Membership, record_id: int, reason: str
) -> AssignmentRecord:
    """End an open assignment (kept in the history with its reason)."""
    _check_admin(organisation, actor)
    reason = reason.strip()
    if not reason:
        raise DomainError("Say why the assignment ends.", field_errors={"reason": ["Required."]})
    record = (
        AssignmentRecord.objects.select_for_update()
        .select_related("membership", "person")
        .filter(pk=record_id, organisation=organisation, ended_at__isnull=True)
        .first()
    )
    if record is None:
        raise DomainError("There is no such open assignment.", code="not_found")
    _end(record, reason=reason, when=timezone.now())
    _audit_assignment(
        "coaching.assignment_ended",
        organisation,
        actor,
        record.person,
        {"kind": record.kind, "membership_id": record.membership_id, "reason": reason},
    )
    return record


@transaction.atomic
def set_capacity(
    *,
    organisation: Organisation,
    actor: Membership,
    membership: Membership,
    capacity: int,
    is_external: bool | None = None,
) -> CoachProfile:
    """How many leaders a coach may take (never fewer than they coach now)."""
    _check_admin(organisation, actor)
    if membership.organisation_id != organisation.pk:
        raise DomainError("There is no such member.", code="not_found")
    _check_capacity(capacity)
    held = _open_counts(organisation, AssignmentKind.COACHEE)[membership.pk]
    if capacity < held:
        message = f"{membership.user} coaches {held} leaders now; reassign some first."
        raise DomainError(message, field_errors={"capacity": [message]})
    profile, _ = CoachProfile.objects.update_or_create(
        organisation=organisation,
        user=membership.user,
        defaults={"capacity": capacity}
        | ({"is_external": is_external} if is_external is not None else {}),
    )
    services_members.record_admin_change(
        "coaching.capacity_set",
        organisation,
        actor,
        membership,
        {"capacity": capacity, "is_external": profile.is_external},
    )
    return profile


@transaction.atomic
def invite_external_coach(
    *, organisation: Organisation, actor: Membership, email: str, capacity: int
) -> MembershipInvitation:
    """Invite someone outside the organisation as a coach. They get the coach role only,
    so once they accept they see their coachees and nothing else; assign them then."""
    _check_admin(organisation, actor)
    _check_capacity(capacity)
    invitation = services_members.invite_member(
        organisation=organisation, actor=actor, email=email, roles=[Role.COACH]
    )
    CoachProfile.objects.update_or_create(
        organisation=organisation,
        user=invitation.user,
        defaults={"capacity": capacity, "is_external": True},
    )
    return invitation


# --- CSV -----------------------------------------------------------------------------------


def _csv_changes(
    organisation: Organisation, content: bytes, filename: str
) -> tuple[list[Change], list[RowError], int]:
    table = read_table(content, filename)
    if table.refusal is not None:
        return [], table.errors, 0
    columns, errors = CSV_COLUMNS.resolve(table.header)
    errors = [*table.errors, *errors]
    if any(e.line <= 1 for e in errors):
        return [], errors, len(table.rows)
    people = {p.employee_id.lower(): p for p in Person.objects.filter(organisation=organisation)}
    members = {
        m.user.email.lower(): m
        for m in Membership.objects.filter(organisation=organisation, is_active=True)
        .select_related("user")
        .prefetch_related("role_grants")
    }
    changes: list[Change] = []
    seen: dict[tuple[str, str], int] = {}
    for line, cells in table.rows:
        employee_id = cell(cells, columns["employee_id"]) or ""
        email = (cell(cells, columns["email"]) or "").lower()
        role = (cell(cells, columns.get("role")) or "").lower()
        person = people.get(employee_id.lower())
        membership = members.get(email)
        kind = CSV_ROLES.get(role)
        row_errors = []
        if person is None:
            row_errors.append(
                RowError(line, "employee_id", f"No person has employee id “{employee_id}”.")
            )
        if membership is None:
            row_errors.append(RowError(line, "email", f"No member has the address “{email}”."))
        if kind is None:
            row_errors.append(RowError(line, "role", "Role is coach or reviewer."))
        if not row_errors and person is not None and membership is not None and kind is not None:
            problem = _assignee_problem(membership, kind) or _person_problem(person, membership)
            if problem:
                row_errors.append(RowError(line, "email", problem))
            key = (person.employee_id, kind)
            if key in seen:
                row_errors.append(
                    RowError(
                        line, "employee_id", f"Line {seen[key]} already assigns {person.name}."
                    )
                )
            seen[key] = line
            if not row_errors:
                changes.append(Change(membership, person, kind))
        errors.extend(row_errors)
    errors.extend(
        RowError(0, "email", problem) for problem in _over_capacity(organisation, changes)
    )
    return changes, errors, len(table.rows)


@transaction.atomic
def import_assignments(
    *,
    organisation: Organisation,
    actor: Membership,
    content: bytes,
    filename: str,
    dry_run: bool = False,
) -> ImportResult:
    """Assign coaches and reviewers from a CSV or XLSX (columns employee_id, email of
    the coach or reviewer, role: coach or reviewer). All or nothing: any row's problem
    (with its line) and nothing is saved."""
    _check_admin(organisation, actor)
    changes, errors, total = _csv_changes(organisation, content, filename)
    if errors:
        return ImportResult.refused(errors, total=total, dry_run=dry_run)
    if dry_run:
        return ImportResult(ok=True, total=total, created=len(changes), dry_run=True)
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    changed = _apply(organisation, actor, changes)
    audit.record(
        action="coaching.assignments_imported",
        organisation=organisation,
        actor=actor.user,
        details={"filename": filename[:200], "rows": total, "changed": changed},
    )
    return ImportResult(ok=True, total=total, created=changed, unchanged=total - changed)
