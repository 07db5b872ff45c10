"""Reading and checking HRIS files of people and org units. Plain Python, no Django.

The service (``people/services.py``) loads what the database already holds,
hands it to ``plan_people`` / ``plan_units`` here and writes the resulting plan.
Everything a user can get wrong in a file is reported as a ``RowError`` with the
line number a spreadsheet shows (header = line 1); nothing here raises on bad
input.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from operator import itemgetter
from typing import Any, NamedTuple

from bellwether.core.bounds import year_problem
from bellwether.core.exports import unescape
from bellwether.core.mailtext import has_control_characters
from bellwether.core.uploads import UploadLimits, UploadRefused, cell_text, read_upload

Progress = Callable[[int, int], None]

# --- results ------------------------------------------------------------------


@dataclass(frozen=True)
class RowError:
    """One problem: ``line`` 0 means the whole file, 1 the header row."""

    line: int
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass(frozen=True)
class ImportResult:
    ok: bool
    errors: list[RowError] = field(default_factory=list)
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    dry_run: bool = False

    def counts(self) -> dict[str, int]:
        return {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "deactivated": self.deactivated,
        }


# --- fields -----------------------------------------------------------------------

LEADER_LEVELS = ("executive", "senior", "operational")
IGNORE = "ignore"

PEOPLE_FIELDS = (
    "employee_id",
    "name",
    "email",
    "title",
    "org_unit",
    "manager",
    "leader_level",
    "location",
    "start_date",
    "active",
)
UNIT_FIELDS = ("code", "name", "parent_code")

REQUIRED = {"people": ("employee_id", "name"), "org_units": ("code", "name")}
FIELDS = {"people": PEOPLE_FIELDS, "org_units": UNIT_FIELDS}

# Header spellings seen in HRIS exports, compared after dropping case and
# everything but letters and digits ("Employee ID" == "employee_id" == "EmployeeID").
_PEOPLE_ALIASES = {
    "employee_id": [
        "employee id",
        "employee number",
        "employee no",
        "emp id",
        "emp no",
        "id",
        "person id",
        "worker id",
        "staff id",
        "staff number",
        "personnel number",
        "badge id",
    ],
    "name": ["name", "full name", "employee name", "display name", "preferred name"],
    "email": ["email", "e-mail", "email address", "work email", "business email", "mail"],
    "title": ["title", "job title", "position", "position title", "job"],
    "org_unit": [
        "org unit",
        "org unit code",
        "unit",
        "unit code",
        "department",
        "department code",
        "dept",
        "dept code",
        "team code",
        "organisation unit",
        "organization unit",
    ],
    "manager": [
        "manager",
        "manager id",
        "manager employee id",
        "manager employee number",
        "supervisor",
        "supervisor id",
        "reports to",
        "line manager",
        "line manager id",
    ],
    "leader_level": ["leader level", "level", "leadership level"],
    "location": ["location", "office", "site", "work location", "city"],
    "start_date": ["start date", "hire date", "date of hire", "joined", "original hire date"],
    "active": ["active", "is active", "status", "employment status"],
}
_UNIT_ALIASES = {
    "code": ["code", "unit code", "org unit code", "department code", "dept code", "unit id"],
    "name": ["name", "unit name", "department name", "department", "title"],
    "parent_code": [
        "parent",
        "parent code",
        "parent unit",
        "parent unit code",
        "parent id",
        "parent department",
        "parent department code",
    ],
}


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


ALIASES: dict[str, dict[str, str]] = {
    kind: {_key(alias): name for name, spellings in table.items() for alias in [name, *spellings]}
    for kind, table in (("people", _PEOPLE_ALIASES), ("org_units", _UNIT_ALIASES))
}

MAX_LENGTH = {
    "employee_id": 64,
    "name": 200,
    "email": 254,
    "title": 200,
    "location": 200,
    "code": 64,
}

# --- reading files -----------------------------------------------------------------


@dataclass
class Table:
    """A file's header and its data rows as (line, cells); blank rows are dropped."""

    header: list[str]
    rows: list[tuple[int, list[str | None]]]
    errors: list[RowError] = field(default_factory=list)


def _fail(message: str, line: int = 0) -> Table:
    return Table(header=[], rows=[], errors=[RowError(line, "", message)])


def read_table(
    content: bytes,
    filename: str,
    progress: Progress | None = None,
    *,
    header_only: bool = False,
    limits: UploadLimits | None = None,
) -> Table:
    """Read a CSV (UTF-8) or XLSX file. Problems come back in ``Table.errors``.

    The file is opened by ``core.uploads`` within ``limits`` (the defaults when not
    given): a file past them is refused as a whole. ``header_only`` stops after the
    header row (cheap, for the upload page).
    """
    try:
        upload = read_upload(
            content,
            filename,
            limits=limits or UploadLimits(),
            header_only=header_only,
            progress=progress,
        )
    except UploadRefused as refused:
        return _fail(refused.message, refused.line)
    table = Table(header=upload.header, rows=upload.rows)
    width = len(table.header)
    for line, cells in table.rows:
        if len(cells) > width:
            wide = _too_wide(line, cells, width)
            if wide is not None:
                table.errors.append(wide)
    if b"\x00" in content:  # rare, so the per-cell search only runs when it can find something
        table.errors.extend(_nul_errors(table))
    return table


NUL_MESSAGE = (
    "This value contains a NUL character (\\0), which is not allowed: "
    "the file may be damaged, or not a text file."
)


def _nul_errors(table: Table) -> list[RowError]:
    errors = [RowError(1, column, NUL_MESSAGE) for column in table.header if "\x00" in column]
    for line, cells in table.rows:
        for index, cell in enumerate(cells):
            if cell is not None and "\x00" in cell:
                column = table.header[index] if index < len(table.header) else ""
                errors.append(RowError(line, column, NUL_MESSAGE))
    return errors


def _too_wide(line: int, cells: Sequence[str | None], width: int) -> RowError | None:
    if len(cells) > width and any(cell and cell.strip() for cell in cells[width:]):
        return RowError(
            line,
            "",
            f"This row has {len(cells)} cells but the header has {width} columns "
            "(a value may contain an unquoted comma).",
        )
    return None


# --- columns -------------------------------------------------------------------------


def resolve_columns(
    header: Sequence[str], kind: str, mapping: Mapping[str, str] | None = None
) -> tuple[dict[str, int], list[RowError]]:
    """Which file column holds which field: ``{field: column index}``.

    ``mapping`` maps a file column to a field (or to "ignore"); columns it does not
    name are matched by their header against the usual HRIS spellings.
    """
    fields = FIELDS[kind]
    aliases = ALIASES[kind]
    errors: list[RowError] = []
    explicit = {
        _key(column): (column, target.strip()) for column, target in (mapping or {}).items()
    }
    header_keys = {_key(column) for column in header}
    for key, (column, target) in explicit.items():
        if key not in header_keys:
            errors.append(
                RowError(
                    1, column, f"The mapping names column “{column}”, which is not in the file."
                )
            )
        if target and target != IGNORE and target not in fields:
            errors.append(
                RowError(
                    1,
                    column,
                    f"“{target}” is not a field. Use one of: {', '.join(fields)}, or {IGNORE}.",
                )
            )
    found: dict[str, int] = {}
    for index, column in enumerate(header):
        key = _key(column)
        if key in explicit:
            target = explicit[key][1]
            if not target or target == IGNORE or target not in fields:
                continue
        elif not key:
            continue  # a column without a header (a trailing comma) carries nothing
        elif key in aliases:
            target = aliases[key]
        else:
            errors.append(
                RowError(
                    1,
                    column,
                    f"Unknown column “{column}”. Map it to one of: {', '.join(fields)}, or to {IGNORE}.",
                )
            )
            continue
        if target in found:
            errors.append(
                RowError(
                    1,
                    column,
                    f"Columns “{header[found[target]]}” and “{column}” both hold {target}; keep one or map the other to {IGNORE}.",
                )
            )
            continue
        found[target] = index
    for required in REQUIRED[kind]:
        if required not in found:
            errors.append(
                RowError(1, required, f"The file has no {required} column, which is required.")
            )
    return found, errors


def suggest_mapping(header: Sequence[str], kind: str) -> dict[str, str]:
    """The field each column would be read as (IGNORE when unknown), for the mapping form."""
    aliases = ALIASES[kind]
    return {column: aliases.get(_key(column), IGNORE) for column in header}


# --- values ---------------------------------------------------------------------------

_EMAIL = re.compile(
    r"^[^@\s<>(),;:\"\[\]]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$"
)
_TRUE = {"true", "yes", "y", "1", "active", "t"}
_FALSE = {"false", "no", "n", "0", "inactive", "terminated", "f", "left"}


def parse_date(value: str) -> date | None:
    """ISO dates (what the export writes and XLSX date cells become)."""
    text = value.strip()
    if len(text) == 10:
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    return None


# --- people ----------------------------------------------------------------------------


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


def rows_from_records(
    records: Sequence[Mapping[str, object]], kind: str
) -> tuple[dict[str, int], list[tuple[int, list[str | None]]], list[RowError]]:
    """Turn API records (canonical field names) into the rows a file would give.

    A field a record leaves out is "not given" (the stored value stays); line
    numbers are 1-based record indexes.
    """
    fields = FIELDS[kind]
    columns = {name: index for index, name in enumerate(fields)}
    rows: list[tuple[int, list[str | None]]] = []
    errors: list[RowError] = []
    for number, record in enumerate(records, start=1):
        if not isinstance(record, Mapping):
            errors.append(RowError(number, "", "Each record must be an object."))
            continue
        cells: list[str | None] = [None] * len(fields)
        for key, value in record.items():
            if key not in columns:
                errors.append(
                    RowError(number, str(key), f"Unknown field. Use one of: {', '.join(fields)}.")
                )
                continue
            text = cell_text(value)
            if "\x00" in text:
                errors.append(RowError(number, str(key), NUL_MESSAGE))
            cells[columns[key]] = text
        rows.append((number, cells))
    return columns, rows, errors


def plan_people(
    *,
    columns: Mapping[str, int],
    rows: Sequence[tuple[int, list[str | None]]],
    existing: Mapping[str, ExistingPerson],
    unit_ids: Mapping[str, int],
    deactivate_absent: bool = False,
    progress: Progress | None = None,
) -> PeoplePlan:
    """Check every row against the file and the database, and work out the changes.

    A cell that is None (a column the file does not have, a field an API record
    leaves out) keeps the stored value; an empty cell clears it.
    """
    errors: list[RowError] = []
    add = errors.append
    total = len(rows)
    plan = PeoplePlan(errors=errors, total=total)
    # Absent columns read from one past the end, where a None sentinel sits.
    width = max(columns.values(), default=-1) + 1
    getter = itemgetter(*[columns.get(name, width) for name in PEOPLE_FIELDS])
    pad: list[str | None] = [""] * width + [None]
    unchanged = 0
    sentinel = width in getter(list(range(width + 1)))  # some field has no column
    seen: dict[str, int] = {}
    parsed: list[tuple[str, PersonValues, bool]] = []  # id, values, is new
    # Every row's manager, even of rows with other problems, so all problems show at once.
    refs: list[tuple[int, str, str | None]] = []
    levels = ", ".join(LEADER_LEVELS)
    level_names = {level: level for level in LEADER_LEVELS} | {"": "", "none": "", "-": ""}
    email_ok = _EMAIL.match
    long_id, long_text, long_email = (
        MAX_LENGTH["employee_id"],
        MAX_LENGTH["name"],
        MAX_LENGTH["email"],
    )

    # Re-imports are mostly unchanged rows: a row whose cells read exactly as the stored
    # person would be exported is unchanged without being checked field by field
    # (anything else, even extra spaces, takes the full check below).
    present = [i for i, name in enumerate(PEOPLE_FIELDS) if i and name in columns]
    pick = itemgetter(*present) if present else None
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

    for done, (line, cells) in enumerate(rows, start=1):
        if progress is not None and not done % 5000:
            progress(done, total)
        if len(cells) != width or sentinel:
            cells = [*cells, *pad[len(cells) :]] if len(cells) <= width else [*cells[:width], None]
        raw = getter(cells)
        same = existing.get(raw[0]) if pick is not None else None
        if same is not None and raw[0] not in seen and pick(raw) == pick(as_text(same.values)):  # type: ignore[misc]
            # Nothing to check: its manager link is the stored one, which exists.
            seen[raw[0]] = line
            unchanged += 1
            continue
        texts = [None if value is None else value.strip() for value in raw]
        raw_id, name, email, title, unit_code, manager, level, location, start_text, active_text = (
            texts
        )
        employee_id = raw_id or ""
        if employee_id[:1] == "'":
            employee_id = unescape(employee_id)
        if not employee_id:
            add(RowError(line, "employee_id", "The employee id is missing."))
            continue
        if employee_id in seen:
            add(
                RowError(
                    line,
                    "employee_id",
                    f"Employee id {employee_id} is already used on line {seen[employee_id]}.",
                )
            )
            continue
        seen[employee_id] = line
        if len(employee_id) > long_id:
            add(_too_long(line, "employee_id", employee_id))
            continue
        before = existing.get(employee_id)
        old = before.values if before is not None else None
        bad = len(errors)

        if name is None:
            name = old.name if old is not None else ""
        elif name[:1] == "'":
            name = unescape(name)
        if not name:
            add(RowError(line, "name", "The name is missing."))
        elif len(name) > long_text:
            add(_too_long(line, "name", name))
        elif has_control_characters(name) and "\x00" not in name:  # NULs: _nul_errors
            # A name goes into mail subjects (360 invitations): one line, no controls.
            add(
                RowError(
                    line,
                    "name",
                    "The name holds a line break, a tab or another control character: put it on one line.",
                )
            )

        if email is None:
            email = old.email if old is not None else ""
        else:
            if email[:1] == "'":
                email = unescape(email)  # the export escapes an address starting with "-"
            if email and not email_ok(email):
                add(RowError(line, "email", f"“{email}” is not an email address."))
            elif len(email) > long_email:
                add(_too_long(line, "email", email))

        if title is None:
            title = old.title if old is not None else ""
        elif title[:1] == "'":
            title = unescape(title)
        if len(title) > long_text:
            add(_too_long(line, "title", title))

        if location is None:
            location = old.location if old is not None else ""
        elif location[:1] == "'":
            location = unescape(location)
        if len(location) > long_text:
            add(_too_long(line, "location", location))

        org_unit_id: int | None = None
        if unit_code is None:
            org_unit_id = old.org_unit_id if old is not None else None
        elif unit_code:
            unit_code = unescape(unit_code)
            org_unit_id = unit_ids.get(unit_code)
            if org_unit_id is None:
                add(
                    RowError(
                        line,
                        "org_unit",
                        f"Unknown org unit “{unit_code}”: import it with the units file first, or fix the code.",
                    )
                )

        if manager is None:
            manager = old.manager if old is not None else None
        elif not manager:
            manager = None
        elif manager[:1] == "'":
            manager = unescape(manager)
        refs.append((line, employee_id, manager))

        if level is None:
            level = old.leader_level if old is not None else ""
        else:
            known = level_names.get(level.lower())
            if known is None:
                add(
                    RowError(
                        line,
                        "leader_level",
                        f"Unknown leader level “{level.lower()}”. Use one of: {levels}, or leave it empty.",
                    )
                )
            level = known or ""

        start_date: date | None = None
        if start_text is None:
            start_date = old.start_date if old is not None else None
        elif start_text:
            start_date = parse_date(start_text)
            if start_date is None:
                add(
                    RowError(
                        line,
                        "start_date",
                        f"“{start_text}” is not a date. Write dates as YYYY-MM-DD, for example 2024-03-31.",
                    )
                )
            elif problem := year_problem(start_date, what="The start date"):
                add(RowError(line, "start_date", problem))
                start_date = None

        active = True
        if active_text is None:
            active = old.active if old is not None else True
        elif active_text:
            flag = active_text.lower()
            if flag in _FALSE:
                active = False
            elif flag not in _TRUE:
                add(
                    RowError(
                        line,
                        "active",
                        f"“{active_text}” is not yes or no. Use true/false, yes/no or active/inactive.",
                    )
                )

        if len(errors) == bad:
            values = PersonValues(
                name, email, title, org_unit_id, manager, level, location, start_date, active
            )
            parsed.append((employee_id, values, before is None))

    # Managers: every manager must exist (in the file or already stored), and the
    # whole resulting reporting graph must have no loops.
    managers: dict[str, str | None] = {
        eid: person.values.manager for eid, person in existing.items()
    }
    changed: list[str] = []
    for _line, employee_id, manager in refs:
        before = existing.get(employee_id)
        if before is None or before.values.manager != manager:
            changed.append(employee_id)
        managers[employee_id] = manager
    lines = {employee_id: line for line, employee_id, _manager in refs}
    for line, _eid, manager in refs:
        if manager is not None and manager not in managers and manager not in seen:
            add(
                RowError(
                    line,
                    "manager",
                    f"Unknown manager “{manager}”: nobody in the file or in Bellwether has this employee id.",
                )
            )
    for cycle in _cycles(managers, changed):
        chain = [*cycle, cycle[0]]
        shown = " → ".join(chain) if len(chain) <= 12 else " → ".join([*chain[:10], "…", chain[-1]])
        for employee_id in cycle:
            if employee_id in lines:
                message = (
                    "A person cannot be their own manager."
                    if len(cycle) == 1
                    else f"Manager chain loops back on itself: {shown}."
                )
                add(RowError(lines[employee_id], "manager", message))
    if errors:
        errors.sort(key=lambda error: (error.line, error.column))
        return plan

    plan.unchanged = unchanged
    create: list[tuple[str, PersonValues]] = []
    for employee_id, values, is_new in parsed:
        if is_new:
            create.append((employee_id, values))
        else:
            person = existing[employee_id]
            if person.values == values:
                plan.unchanged += 1
            else:
                plan.update.append((person.id, employee_id, values))
    plan.create = _managers_first(create)
    if deactivate_absent:
        plan.deactivate = [
            person.id
            for eid, person in existing.items()
            if eid not in seen and person.values.active
        ]
    if progress is not None:
        progress(total, total)
    return plan


def _cell(cells: list[str | None], index: int | None) -> str | None:
    """The stripped cell at ``index``; None when the column is absent (keep stored value)."""
    if index is None:
        return None
    if index >= len(cells):
        return ""
    value = cells[index]
    return None if value is None else value.strip()


def _too_long(line: int, column: str, value: str) -> RowError:
    limit = MAX_LENGTH[column] if column in MAX_LENGTH else MAX_LENGTH["name"]
    return RowError(line, column, f"Too long: at most {limit} characters (this has {len(value)}).")


def _managers_first(create: list[tuple[str, PersonValues]]) -> list[tuple[str, PersonValues]]:
    """Order new people so each comes after their manager when the manager is new too,
    which lets the writer link managers while inserting."""
    manager_of = {eid: values.manager for eid, values in create}
    depth: dict[str, int] = {}
    for start in manager_of:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in manager_of and node not in depth:
            chain.append(node)
            node = manager_of[node]
        level = depth.get(node, -1) if node is not None else -1
        for eid in reversed(chain):
            level += 1
            depth[eid] = level
    return sorted(create, key=lambda item: depth[item[0]])


def _cycles(
    parents: Mapping[str, str | None], starts: Iterable[str] | None = None
) -> list[list[str]]:
    """Every loop in a child → parent graph, each listed once, in chain order.

    ``starts`` limits the search to loops through these nodes: when the stored
    graph has no loops, a new loop must pass through an edge the import changed.
    """
    state: dict[str, int] = {}  # 1 = on the current walk, 2 = known to end without a loop
    found: list[list[str]] = []
    for start in parents if starts is None else starts:
        if start in state:
            continue
        walk: list[str] = []
        node: str | None = start
        while node is not None and node in parents and node not in state:
            state[node] = 1
            walk.append(node)
            node = parents[node]
        if node is not None and state.get(node) == 1:
            found.append(walk[walk.index(node) :])
        for visited in walk:
            state[visited] = 2
    return found


# --- org units ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExistingUnit:
    id: int
    name: str
    parent_code: str | None


@dataclass
class UnitsPlan:
    errors: list[RowError]
    total: int = 0
    create: list[tuple[str, str]] = field(default_factory=list)  # code, name
    rename: list[tuple[int, str]] = field(default_factory=list)  # id, new name
    parents: dict[str, str | None] = field(default_factory=dict)  # code → parent code, all units
    changed: set[str] = field(default_factory=set)
    unchanged: int = 0


def plan_units(
    *,
    columns: Mapping[str, int],
    rows: Sequence[tuple[int, list[str | None]]],
    existing: Mapping[str, ExistingUnit],
    progress: Progress | None = None,
) -> UnitsPlan:
    errors: list[RowError] = []
    plan = UnitsPlan(errors=errors, total=len(rows))
    c_code, c_name, c_parent = columns.get("code"), columns.get("name"), columns.get("parent_code")
    seen: dict[str, int] = {}
    parsed: list[tuple[int, str, str, str | None]] = []
    for done, (line, cells) in enumerate(rows, start=1):
        if progress is not None and done % 5000 == 0:
            progress(done, len(rows))
        code = unescape(_cell(cells, c_code) or "")
        if not code:
            errors.append(RowError(line, "code", "The unit code is missing."))
            continue
        if code in seen:
            errors.append(
                RowError(line, "code", f"Unit code {code} is already used on line {seen[code]}.")
            )
            continue
        seen[code] = line
        if len(code) > MAX_LENGTH["code"]:
            errors.append(
                RowError(
                    line,
                    "code",
                    f"Too long: at most {MAX_LENGTH['code']} characters (this has {len(code)}).",
                )
            )
            continue
        before = existing.get(code)
        name = _cell(cells, c_name)
        if name is None:
            name = before.name if before is not None else ""
        name = unescape(name)
        if not name:
            errors.append(RowError(line, "name", "The unit name is missing."))
            continue
        if len(name) > MAX_LENGTH["name"]:
            errors.append(
                RowError(
                    line,
                    "name",
                    f"Too long: at most {MAX_LENGTH['name']} characters (this has {len(name)}).",
                )
            )
            continue
        parent = _cell(cells, c_parent)
        parent_code = (
            (before.parent_code if before is not None else None)
            if parent is None
            else (unescape(parent) or None)
        )
        parsed.append((line, code, name, parent_code))

    parents: dict[str, str | None] = {code: unit.parent_code for code, unit in existing.items()}
    for _line, code, _name, parent_code in parsed:
        parents[code] = parent_code
    lines = {code: line for line, code, _name, _parent in parsed}
    for line, _code, _name, parent_code in parsed:
        if parent_code is not None and parent_code not in parents:
            errors.append(
                RowError(
                    line,
                    "parent_code",
                    f"Unknown parent unit “{parent_code}”: it is neither in the file nor in Bellwether.",
                )
            )
    for cycle in _cycles(parents):
        shown = " → ".join([*cycle, cycle[0]])
        for code in cycle:
            if code in lines:
                message = (
                    "A unit cannot be its own parent."
                    if len(cycle) == 1
                    else f"Parent chain loops back on itself: {shown}."
                )
                errors.append(RowError(lines[code], "parent_code", message))
    if errors:
        errors.sort(key=lambda error: (error.line, error.column))
        return plan
    plan.parents = parents
    for _line, code, name, parent_code in parsed:
        before = existing.get(code)
        if before is None:
            plan.create.append((code, name))
            plan.changed.add(code)
        elif before.name != name or before.parent_code != parent_code:
            if before.name != name:
                plan.rename.append((before.id, name))
            plan.changed.add(code)
        else:
            plan.unchanged += 1
    return plan


def unit_paths(
    parents: Mapping[str, str | None], ids: Mapping[str, int]
) -> dict[str, tuple[str, int]]:
    """Materialised ``path`` ("/1/7/") and ``depth`` of every unit of a loop-free tree."""
    result: dict[str, tuple[str, int]] = {}
    for start in parents:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node not in result:
            chain.append(node)
            node = parents.get(node)
        base_path, base_depth = result[node] if node is not None else ("/", -1)
        for code in reversed(chain):
            base_path = f"{base_path}{ids[code]}/"
            base_depth += 1
            result[code] = (base_path, base_depth)
    return result
