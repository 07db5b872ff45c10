"""Checking a file (or API records) of influence ties. Plain Python, no Django.

Read and mapped by the one tabular pipeline (``core.tabular``), like the people
import: every problem is a ``RowError`` with the line a
spreadsheet shows (header = line 1), and the service writes nothing when there is any.
Ties are matched on (source, target): a row for an existing pair updates it, so
importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from bellwether.core.exports import unescape
from bellwether.core.tabular import Columns, Row, RowError, cell, records_as_rows

FIELDS = ("source", "target", "strength", "note")
REQUIRED = ("source", "target", "strength")
MAX_NOTE = 500

COLUMNS = Columns(
    fields=FIELDS,
    required=REQUIRED,
    aliases={
        "source": [
            "source id",
            "source employee id",
            "from",
            "from employee id",
            "influencer",
            "influencer employee id",
        ],
        "target": [
            "target id",
            "target employee id",
            "to",
            "to employee id",
            "influenced",
            "influenced employee id",
        ],
        "strength": ["tie strength", "weight"],
        "note": ["notes", "comment", "comments"],
    },
    unknown_hint="The columns are: source employee id, target employee id, strength, note.",
)


def resolve_columns(header: Sequence[str]) -> tuple[dict[str, int], list[RowError]]:
    """Which file column holds which field, and the header's problems."""
    return COLUMNS.resolve(header)


class TieValues(NamedTuple):
    strength: int
    note: str


@dataclass
class TiesPlan:
    """What to write: pairs are (source person id, target person id)."""

    create: dict[tuple[int, int], TieValues] = field(default_factory=dict)
    update: dict[tuple[int, int], TieValues] = field(default_factory=dict)
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    total: int = 0


def _cell(cells: Sequence[str | None], index: int | None) -> str:
    return unescape(cell(cells, index) or "").strip()


def plan_ties(
    *,
    columns: Mapping[str, int],
    rows: Sequence[tuple[int, Sequence[str | None]]],
    leaders: Mapping[str, int],
    people: Mapping[str, int],
    existing: Mapping[tuple[int, int], TieValues],
) -> TiesPlan:
    """Check every row. ``leaders``/``people`` map employee ids to person ids (active
    leaders / anyone in the organisation, to tell "not a leader" from "unknown");
    ``existing`` holds the stored ties."""
    plan = TiesPlan(total=len(rows))
    seen: dict[tuple[int, int], int] = {}
    for line, cells in rows:
        source, target = (
            _leader(line, cells, columns, column, leaders, people, plan.errors)
            for column in ("source", "target")
        )
        strength, note = _strength_and_note(line, cells, columns, plan.errors)
        if source is None or target is None:
            continue
        if source == target:
            plan.errors.append(RowError(line, "target", "A leader cannot influence themselves."))
            continue
        pair = (source, target)
        if pair in seen:
            plan.errors.append(
                RowError(line, "target", f"The same tie is already on line {seen[pair]}.")
            )
            continue
        seen[pair] = line
        if strength is None:
            continue
        values = TieValues(strength, note)
        stored = existing.get(pair)
        if stored is None:
            plan.create[pair] = values
        elif stored == values:
            plan.unchanged += 1
        else:
            plan.update[pair] = values
    return plan


def _leader(
    line: int,
    cells: Sequence[str | None],
    columns: Mapping[str, int],
    column: str,
    leaders: Mapping[str, int],
    people: Mapping[str, int],
    errors: list[RowError],
) -> int | None:
    """The person id of the row's ``column`` (source or target) end, or None and why."""
    employee_id = _cell(cells, columns.get(column))
    person_id = leaders.get(employee_id)
    if not employee_id:
        errors.append(RowError(line, column, f"The {column} employee id is missing."))
    elif person_id is None:
        reason = (
            "is not an active leader"
            if employee_id in people
            else "matches nobody in the organisation"
        )
        errors.append(RowError(line, column, f"Employee id “{employee_id}” {reason}."))
    return person_id


def _strength_and_note(
    line: int, cells: Sequence[str | None], columns: Mapping[str, int], errors: list[RowError]
) -> tuple[int | None, str]:
    raw_strength = _cell(cells, columns.get("strength"))
    strength: int | None = None
    if raw_strength in {"1", "2", "3", "1.0", "2.0", "3.0"}:
        strength = int(float(raw_strength))
    else:
        shown = raw_strength or "nothing"
        errors.append(RowError(line, "strength", f"Strength must be 1, 2 or 3; found {shown}."))
    note = _cell(cells, columns.get("note"))
    if len(note) > MAX_NOTE:
        errors.append(RowError(line, "note", f"The note is longer than {MAX_NOTE} characters."))
    return strength, note


def rows_from_records(
    records: Sequence[Mapping[str, Any]],
) -> tuple[dict[str, int], list[Row], list[RowError]]:
    """API records ({source, target, strength, note}) as numbered rows (1-based)."""

    def unknown(number: int, names: list[str]) -> list[RowError]:
        names = sorted(names)
        return [RowError(number, names[0], f"Unknown field(s): {', '.join(names)}.")]

    return records_as_rows(records, FIELDS, unknown=unknown)
