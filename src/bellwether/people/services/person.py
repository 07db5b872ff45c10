"""Creating or updating one person, as an identity provider provisions them (SCIM): one
request at a time, many requests at once.

The row is checked exactly as a row of the CSV import is (``importing.plan_people``),
against only what it touches: the person, the people above them in the new and the old
reporting line, and the unit named. So the cost of one person does not grow with the
organisation, where the batch upsert (``people_records``) reads everyone.

Safe under concurrency (PostgreSQL): the person's row is locked while it changes; two
creates of the same employee id meet on the ``(organisation, employee_id)`` unique
constraint and the loser looks again (and finds the person: an update); a change of
manager is made under the organisation's reporting-line lock, so two changes at once
cannot close a loop that neither saw. A manager must already exist (as in the import,
whose file may name a manager in a later row, a single record's manager is checked
against the people already stored).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.exports import unescape
from bellwether.core.tabular import Row, RowError
from bellwether.people import importing
from bellwether.people.importing import PersonValues
from bellwether.people.models import Person
from bellwether.people.services._database import (
    _existing_people,
    _lock_reporting_lines,
    _unit_ids_of,
)

if TYPE_CHECKING:
    from bellwether.accounts.models import User
    from bellwether.core.models import Organisation

#: Tries before giving up on a person others keep writing at the same moment.
ATTEMPTS = 3
#: The person's model fields, in ``PersonValues``' order: the import's columns but the key.
MODEL_FIELDS = tuple(name for name in importing.PEOPLE_FIELDS if name != "employee_id")


@dataclass(frozen=True)
class PersonUpsert:
    """What ``upsert_person`` did: the person as stored, whether they are new, and the
    fields that changed (none: nothing was written)."""

    person: Person
    created: bool
    changed: tuple[str, ...]


class _Raced(Exception):
    """Another request created the person between two of this one's reads."""


def upsert_person(
    *,
    organisation: Organisation,
    actor: User | None,
    record: Mapping[str, object],
    actor_label: str = "",
    source: str = "api",
) -> PersonUpsert:
    """Create or update one person, matched by employee id, from a record with the
    import's field names (``employee_id``, ``name``, ``email``, ``title``, ``org_unit``
    (a unit code), ``manager`` (an employee id), ``leader_level``, ``location``,
    ``start_date``, ``active``); a field left out keeps its stored value, an empty one
    clears it. Transactional and audited (``person.created`` / ``person.updated``; an
    unchanged person writes nothing). A record the import would refuse raises
    ``DomainError`` with the import's messages by field, and changes nothing."""
    columns, rows, errors = importing.rows_from_records([record], "people")
    if errors:
        raise _refusal(errors)
    row = rows[0]
    for attempt in range(1, ATTEMPTS + 1):
        try:
            with transaction.atomic():
                return _upsert(organisation, columns, row, actor, actor_label, source)
        except (IntegrityError, _Raced):
            if attempt == ATTEMPTS:
                raise DomainError(
                    "This person was changed by another request at the same moment. "
                    "Send the change again.",
                    code="conflict",
                ) from None
    raise AssertionError("unreachable")  # pragma: no cover


def _key(text: str | None) -> str:
    """A cell as the import's check reads an employee id or a manager."""
    text = (text or "").strip()
    return unescape(text) if text[:1] == "'" else text


def _upsert(
    organisation: Organisation,
    columns: dict[str, int],
    row: Row,
    actor: User | None,
    actor_label: str,
    source: str,
) -> PersonUpsert:
    cells = row[1]
    employee_id = _key(cells[columns["employee_id"]])
    manager = _key(cells[columns["manager"]])
    before = (
        Person.objects.select_for_update(no_key=True)
        .filter(organisation=organisation, employee_id=employee_id)
        .first()
        if employee_id
        else None
    )
    around = [key for key in (employee_id, manager) if key]
    existing = _existing_people(organisation, around)
    if before is not None and manager and existing[employee_id].values.manager != manager:
        # A new manager: the loop check must see every other change of manager.
        _lock_reporting_lines(organisation)
        existing = _existing_people(organisation, around)
    unit_code = cells[columns["org_unit"]]
    unit_ids = _unit_ids_of(
        organisation,
        codes=[unescape(unit_code.strip())] if unit_code and unit_code.strip() else [],
        ids=[before.org_unit_id] if before is not None and before.org_unit_id else [],
    )
    plan = importing.plan_people(columns=columns, rows=[row], existing=existing, unit_ids=unit_ids)
    if plan.errors:
        raise _refusal(plan.errors)
    ids = {eid: person.id for eid, person in existing.items()}
    if plan.create:
        ((employee_id, values),) = plan.create
        person = Person(organisation=organisation, employee_id=employee_id)
        _assign(person, values, ids)
        person.save()
        result = PersonUpsert(person, created=True, changed=MODEL_FIELDS)
    elif plan.update:
        if before is None:
            raise _Raced
        ((_pk, employee_id, values),) = plan.update
        old = existing[employee_id].values
        changed = tuple(
            name for name, new, was in zip(MODEL_FIELDS, values, old, strict=True) if new != was
        )
        _assign(before, values, ids)
        before.save(update_fields=[*changed, "updated_at"])
        result = PersonUpsert(before, created=False, changed=changed)
    else:
        if before is None:
            raise _Raced
        return PersonUpsert(before, created=False, changed=())
    audit.record(
        action="person.created" if result.created else "person.updated",
        organisation=organisation,
        actor=actor,
        actor_label=actor_label,
        target=result.person,
        details={
            "source": source,
            "employee_id": employee_id,
            **({} if result.created else {"fields": list(result.changed)}),
        },
    )
    return result


def _assign(person: Person, values: PersonValues, ids: Mapping[str, int]) -> None:
    fields: dict[str, Any] = values._asdict()
    fields["manager_id"] = ids[values.manager] if values.manager is not None else None
    del fields["manager"]
    for name, value in fields.items():
        setattr(person, name, value)


def _refusal(errors: list[RowError]) -> DomainError:
    """The import's problems as one refusal: the first as the message, all by field
    (the first problem's field first)."""
    by_field: dict[str, list[str]] = {}
    for error in errors:
        by_field.setdefault(error.column or "record", []).append(error.message)
    return DomainError(errors[0].message, field_errors=by_field)
