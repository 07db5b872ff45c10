"""Checking org-unit rows and planning the changes. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bellwether.core.exports import unescape
from bellwether.core.tabular import Row, RowError, cell
from bellwether.core.uploads import Progress
from bellwether.people.importing.columns import MAX_LENGTH, too_long
from bellwether.people.importing.graph import cycles, loop_errors


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


Parsed = tuple[int, str, str, str | None]  # line, code, name, parent code


def plan_units(
    *,
    columns: Mapping[str, int],
    rows: Sequence[Row],
    existing: Mapping[str, ExistingUnit],
    progress: Progress | None = None,
) -> UnitsPlan:
    errors: list[RowError] = []
    plan = UnitsPlan(errors=errors, total=len(rows))
    seen: dict[str, int] = {}
    parsed: list[Parsed] = []
    for done, (line, cells) in enumerate(rows, start=1):
        if progress is not None and done % 5000 == 0:
            progress(done, len(rows))
        row = _unit_row(line, cells, columns, existing, seen, errors)
        if row is not None:
            parsed.append(row)
    parents: dict[str, str | None] = {code: unit.parent_code for code, unit in existing.items()}
    for _line, code, _name, parent_code in parsed:
        parents[code] = parent_code
    errors.extend(_tree_errors(parsed, parents))
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


def _unit_row(
    line: int,
    cells: list[str | None],
    columns: Mapping[str, int],
    existing: Mapping[str, ExistingUnit],
    seen: dict[str, int],
    errors: list[RowError],
) -> Parsed | None:
    code = unescape(cell(cells, columns.get("code")) or "")
    if not code:
        errors.append(RowError(line, "code", "The unit code is missing."))
        return None
    if code in seen:
        errors.append(
            RowError(line, "code", f"Unit code {code} is already used on line {seen[code]}.")
        )
        return None
    seen[code] = line
    if len(code) > MAX_LENGTH["code"]:
        errors.append(too_long(line, "code", code))
        return None
    before = existing.get(code)
    name = cell(cells, columns.get("name"))
    if name is None:
        name = before.name if before is not None else ""
    name = unescape(name)
    if not name:
        errors.append(RowError(line, "name", "The unit name is missing."))
        return None
    if len(name) > MAX_LENGTH["name"]:
        errors.append(too_long(line, "name", name))
        return None
    parent = cell(cells, columns.get("parent_code"))
    parent_code = (
        (before.parent_code if before is not None else None)
        if parent is None
        else (unescape(parent) or None)
    )
    return line, code, name, parent_code


def _tree_errors(parsed: list[Parsed], parents: Mapping[str, str | None]) -> list[RowError]:
    errors = [
        RowError(
            line,
            "parent_code",
            f"Unknown parent unit “{parent_code}”: it is neither in the file nor in Bellwether.",
        )
        for line, _code, _name, parent_code in parsed
        if parent_code is not None and parent_code not in parents
    ]
    lines = {code: line for line, code, _name, _parent in parsed}
    for line, message in loop_errors(
        cycles(parents),
        lines,
        alone="A unit cannot be its own parent.",
        chained="Parent chain loops back on itself: {chain}.",
        shorten=False,
    ):
        errors.append(RowError(line, "parent_code", message))
    return errors
