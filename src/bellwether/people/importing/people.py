"""Checking people rows against the file and the database, and planning the changes. Plain Python.

A cell that is None (a column the file does not have, a field an API record leaves
out) keeps the stored value; an empty cell clears it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

from bellwether.core.bounds import year_problem
from bellwether.core.exports import unescape
from bellwether.core.mailtext import has_control_characters
from bellwether.core.tabular import Row, RowError
from bellwether.core.uploads import Progress
from bellwether.people.importing.columns import (
    LEADER_LEVELS,
    MAX_LENGTH,
    PEOPLE_FIELDS,
    too_long,
)
from bellwether.people.importing.dates import AUTO, FORMAT_LABELS, choose_order, parse_date
from bellwether.people.importing.graph import cycles, loop_errors, parents_first

_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_TRUE = {"true", "yes", "y", "1", "active", "t"}
_FALSE = {"false", "no", "n", "0", "inactive", "terminated", "f", "left"}
_LEVELS = ", ".join(LEADER_LEVELS)
_LEVEL_NAMES = {level: level for level in LEADER_LEVELS} | {"": "", "none": "", "-": ""}


class PersonValues(NamedTuple):
    """A person's stored values; ``manager`` is the manager's employee id.

    A tuple, not a dataclass: 100,000 of them are built and compared per import.
    """

    name: str
    email: str
    title: str
    org_unit_id: int | None
    manager: str | None
    leader_level: str
    location: str
    start_date: date | None
    active: bool


class ExistingPerson(NamedTuple):
    id: int
    values: PersonValues


@dataclass
class PeoplePlan:
    """What an import would do. ``create`` lists managers before their reports."""

    errors: list[RowError]
    total: int = 0
    create: list[tuple[str, PersonValues]] = field(default_factory=list)
    update: list[tuple[int, str, PersonValues]] = field(default_factory=list)
    unchanged: int = 0
    deactivate: list[int] = field(default_factory=list)
    #: The order the file's start dates were read in (``dates.FORMAT_LABELS``' key), "" when
    #: the file has no start dates.
    date_format: str = ""


def plan_people(
    *,
    columns: Mapping[str, int],
    rows: Sequence[Row],
    existing: Mapping[str, ExistingPerson],
    unit_ids: Mapping[str, int],
    deactivate_absent: bool = False,
    progress: Progress | None = None,
    date_format: str = AUTO,
) -> PeoplePlan:
    """Check every row against the file and the database, and work out the changes
    (start dates read in the order ``date_format``, or the file's own order with ``auto``)."""
    total = len(rows)
    written = _start_dates(columns, rows)
    order = choose_order(written, date_format)
    if order.problem:
        return PeoplePlan(errors=[RowError(1, "start_date", order.problem)], total=total)
    check = _PeopleCheck(existing=existing, unit_ids=unit_ids, date_format=order.fmt)
    cells_of = _cells_reader(columns)
    unchanged = _unchanged_test(columns, existing, unit_ids)
    for done, (line, cells) in enumerate(rows, start=1):
        if progress is not None and not done % 5000:
            progress(done, total)
        raw = cells_of(cells)
        if unchanged is not None and raw[0] not in check.seen and unchanged(raw):
            # Nothing to check: its manager link is the stored one, which exists.
            check.seen[raw[0]] = line
            check.unchanged += 1
            continue
        check.row(line, [None if value is None else value.strip() for value in raw])
    check.managers()
    plan = PeoplePlan(errors=check.errors, total=total)
    if written:
        plan.date_format = order.fmt
    if check.errors:
        check.errors.sort(key=lambda error: (error.line, error.column))
        return plan
    _fill_plan(plan, check, existing, deactivate_absent)
    if progress is not None:
        progress(total, total)
    return plan


def _start_dates(columns: Mapping[str, int], rows: Sequence[Row]) -> list[str]:
    """The file's start-date cells (to settle their order)."""
    index = columns.get("start_date")
    if index is None:
        return []
    return [cells[index] or "" for _line, cells in rows if index < len(cells) and cells[index]]


def _cells_reader(columns: Mapping[str, int]) -> Callable[[list[str | None]], tuple[Any, ...]]:
    """A row's cells in ``PEOPLE_FIELDS`` order; None for a field without a column."""
    # Absent columns read from one past the end, where a None sentinel sits.
    width = max(columns.values(), default=-1) + 1
    getter = itemgetter(*[columns.get(name, width) for name in PEOPLE_FIELDS])
    pad: list[str | None] = [""] * width + [None]
    sentinel = width in getter(list(range(width + 1)))  # some field has no column

    def read(cells: list[str | None]) -> tuple[Any, ...]:
        if len(cells) != width or sentinel:
            cells = [*cells, *pad[len(cells) :]] if len(cells) <= width else [*cells[:width], None]
        return getter(cells)

    return read


def _unchanged_test(
    columns: Mapping[str, int],
    existing: Mapping[str, ExistingPerson],
    unit_ids: Mapping[str, int],
) -> Callable[[tuple[Any, ...]], bool] | None:
    """Re-imports are mostly unchanged rows: a row whose cells read exactly as the stored
    person would be exported is unchanged without being checked field by field
    (anything else, even extra spaces, takes the full check)."""
    present = [i for i, name in enumerate(PEOPLE_FIELDS) if i and name in columns]
    if not present:
        return None
    pick = itemgetter(*present)
    unit_codes = {unit_id: code for code, unit_id in unit_ids.items()}

    def as_text(v: PersonValues) -> tuple[str, ...]:
        return (
            "",
            v.name,
            v.email,
            v.title,
            unit_codes.get(v.org_unit_id, "") if v.org_unit_id is not None else "",
            v.manager or "",
            v.leader_level,
            v.location,
            v.start_date.isoformat() if v.start_date is not None else "",
            "true" if v.active else "false",
        )

    def same(raw: tuple[Any, ...]) -> bool:
        stored = existing.get(raw[0])
        return stored is not None and pick(raw) == pick(as_text(stored.values))

    return same


def _fill_plan(
    plan: PeoplePlan,
    check: _PeopleCheck,
    existing: Mapping[str, ExistingPerson],
    deactivate_absent: bool,
) -> None:
    plan.unchanged = check.unchanged
    create: list[tuple[str, PersonValues]] = []
    for employee_id, values, is_new in check.parsed:
        if is_new:
            create.append((employee_id, values))
        else:
            person = existing[employee_id]
            if person.values == values:
                plan.unchanged += 1
            else:
                plan.update.append((person.id, employee_id, values))
    plan.create = parents_first(create, {eid: values.manager for eid, values in create})
    if deactivate_absent:
        plan.deactivate = [
            person.id
            for eid, person in existing.items()
            if eid not in check.seen and person.values.active
        ]


class _PeopleCheck:
    """The checks of one import: every row's problems, and the rows that passed."""

    def __init__(
        self,
        *,
        existing: Mapping[str, ExistingPerson],
        unit_ids: Mapping[str, int],
        date_format: str = AUTO,
    ) -> None:
        self.date_format = date_format
        self.existing = existing
        self.unit_ids = unit_ids
        self.errors: list[RowError] = []
        self.add = self.errors.append
        self.seen: dict[str, int] = {}
        self.unchanged = 0
        self.parsed: list[tuple[str, PersonValues, bool]] = []  # id, values, is new
        # Every row's manager, even of rows with other problems, so all problems show at once.
        self.refs: list[tuple[int, str, str | None]] = []

    def row(self, line: int, texts: list[str | None]) -> None:
        raw_id, name, email, title, unit_code, manager, level, location, start, active = texts
        employee_id = self._employee_id(line, raw_id or "")
        if employee_id is None:
            return
        before = self.existing.get(employee_id)
        old = before.values if before is not None else None
        bad = len(self.errors)
        name = self._name(line, name, old)
        email = self._email(line, email, old)
        title = self._text(line, "title", title, old.title if old is not None else "")
        location = self._text(line, "location", location, old.location if old is not None else "")
        org_unit_id = self._org_unit(line, unit_code, old)
        manager = _manager(manager, old)
        self.refs.append((line, employee_id, manager))
        level = self._level(line, level, old)
        start_date = self._start_date(line, start, old)
        is_active = self._active(line, active, old)
        if len(self.errors) == bad:
            values = PersonValues(
                name, email, title, org_unit_id, manager, level, location, start_date, is_active
            )
            self.parsed.append((employee_id, values, before is None))

    def _employee_id(self, line: int, employee_id: str) -> str | None:
        if employee_id[:1] == "'":
            employee_id = unescape(employee_id)
        if not employee_id:
            self.add(RowError(line, "employee_id", "The employee id is missing."))
            return None
        if employee_id in self.seen:
            self.add(
                RowError(
                    line,
                    "employee_id",
                    f"Employee id {employee_id} is already used on line {self.seen[employee_id]}.",
                )
            )
            return None
        self.seen[employee_id] = line
        if len(employee_id) > MAX_LENGTH["employee_id"]:
            self.add(too_long(line, "employee_id", employee_id))
            return None
        return employee_id

    def _name(self, line: int, name: str | None, old: PersonValues | None) -> str:
        if name is None:
            name = old.name if old is not None else ""
        elif name[:1] == "'":
            name = unescape(name)
        if not name:
            self.add(RowError(line, "name", "The name is missing."))
        elif len(name) > MAX_LENGTH["name"]:
            self.add(too_long(line, "name", name))
        elif has_control_characters(name) and "\x00" not in name:  # NULs: core.tabular
            # A name goes into mail subjects (360 invitations): one line, no controls.
            self.add(
                RowError(
                    line,
                    "name",
                    "The name holds a line break, a tab or another control character: put it on one line.",
                )
            )
        return name

    def _email(self, line: int, email: str | None, old: PersonValues | None) -> str:
        if email is None:
            return old.email if old is not None else ""
        if email[:1] == "'":
            email = unescape(email)  # the export escapes an address starting with "-"
        if email and not _EMAIL.match(email):
            self.add(RowError(line, "email", f"“{email}” is not an email address."))
        elif len(email) > MAX_LENGTH["email"]:
            self.add(too_long(line, "email", email))
        return email

    def _text(self, line: int, column: str, text: str | None, stored: str) -> str:
        if text is None:
            return stored
        if text[:1] == "'":
            text = unescape(text)
        if len(text) > MAX_LENGTH[column]:
            self.add(too_long(line, column, text))
        return text

    def _org_unit(self, line: int, unit_code: str | None, old: PersonValues | None) -> int | None:
        if unit_code is None:
            return old.org_unit_id if old is not None else None
        if not unit_code:
            return None
        unit_code = unescape(unit_code)
        org_unit_id = self.unit_ids.get(unit_code)
        if org_unit_id is None:
            self.add(
                RowError(
                    line,
                    "org_unit",
                    f"Unknown org unit “{unit_code}”: import it with the units file first, or fix the code.",
                )
            )
        return org_unit_id

    def _level(self, line: int, level: str | None, old: PersonValues | None) -> str:
        if level is None:
            return old.leader_level if old is not None else ""
        known = _LEVEL_NAMES.get(level.lower())
        if known is None:
            self.add(
                RowError(
                    line,
                    "leader_level",
                    f"Unknown leader level “{level.lower()}”. Use one of: {_LEVELS}, or leave it empty.",
                )
            )
        return known or ""

    def _start_date(self, line: int, text: str | None, old: PersonValues | None) -> date | None:
        if text is None:
            return old.start_date if old is not None else None
        if not text:
            return None
        start_date = parse_date(text, self.date_format)
        if start_date is None:
            self.add(
                RowError(
                    line,
                    "start_date",
                    f"“{text}” is not a date in this file's order, "
                    f"{FORMAT_LABELS.get(self.date_format, self.date_format)}. "
                    "Write dates as YYYY-MM-DD (for example 2024-03-31), DD/MM/YYYY or "
                    "MM/DD/YYYY, one order for the whole file.",
                )
            )
        elif problem := year_problem(start_date, what="The start date"):
            self.add(RowError(line, "start_date", problem))
            return None
        return start_date

    def _active(self, line: int, text: str | None, old: PersonValues | None) -> bool:
        if text is None:
            return old.active if old is not None else True
        flag = text.lower()
        if not text or flag in _TRUE:
            return True
        if flag in _FALSE:
            return False
        self.add(
            RowError(
                line,
                "active",
                f"“{text}” is not yes or no. Use true/false, yes/no or active/inactive.",
            )
        )
        return True

    def managers(self) -> None:
        """Every manager must exist (in the file or already stored), and the whole
        resulting reporting graph must have no loops."""
        managers: dict[str, str | None] = {
            eid: person.values.manager for eid, person in self.existing.items()
        }
        changed: list[str] = []
        for _line, employee_id, manager in self.refs:
            before = self.existing.get(employee_id)
            if before is None or before.values.manager != manager:
                changed.append(employee_id)
            managers[employee_id] = manager
        for line, _eid, manager in self.refs:
            if manager is not None and manager not in managers and manager not in self.seen:
                self.add(
                    RowError(
                        line,
                        "manager",
                        f"Unknown manager “{manager}”: nobody in the file or in Bellwether has this employee id.",
                    )
                )
        lines = {employee_id: line for line, employee_id, _manager in self.refs}
        for line, message in loop_errors(
            cycles(managers, changed),
            lines,
            alone="A person cannot be their own manager.",
            chained="Manager chain loops back on itself: {chain}.",
            shorten=True,
        ):
            self.add(RowError(line, "manager", message))


def _manager(manager: str | None, old: PersonValues | None) -> str | None:
    if manager is None:
        return old.manager if old is not None else None
    if not manager:
        return None
    return unescape(manager) if manager[:1] == "'" else manager
