"""The fields of the people and org-unit files and how HRIS exports name them. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bellwether.core.tabular import IGNORE, Columns, Row, RowError, records_as_rows

LEADER_LEVELS = ("executive", "senior", "operational")

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


def _columns(kind: str, aliases: Mapping[str, Sequence[str]]) -> Columns:
    fields = FIELDS[kind]
    return Columns(
        fields=fields,
        required=REQUIRED[kind],
        aliases=aliases,
        unknown_hint=f"Map it to one of: {', '.join(fields)}, or to {IGNORE}.",
        duplicate_hint=f"keep one or map the other to {IGNORE}.",
    )


COLUMNS = {
    "people": _columns("people", _PEOPLE_ALIASES),
    "org_units": _columns("org_units", _UNIT_ALIASES),
}
ALIASES: dict[str, dict[str, str]] = {kind: spec.spellings() for kind, spec in COLUMNS.items()}

MAX_LENGTH = {
    "employee_id": 64,
    "name": 200,
    "email": 254,
    "title": 200,
    "location": 200,
    "code": 64,
}


def resolve_columns(
    header: Sequence[str], kind: str, mapping: Mapping[str, str] | None = None
) -> tuple[dict[str, int], list[RowError]]:
    """Which file column holds which field: ``{field: column index}``.

    ``mapping`` maps a file column to a field (or to "ignore"); columns it does not
    name are matched by their header against the usual HRIS spellings.
    """
    return COLUMNS[kind].resolve(header, mapping)


def suggest_mapping(header: Sequence[str], kind: str) -> dict[str, str]:
    """The field each column would be read as (IGNORE when unknown), for the mapping form."""
    return COLUMNS[kind].suggest(header)


def rows_from_records(
    records: Sequence[Mapping[str, object]], kind: str
) -> tuple[dict[str, int], list[Row], list[RowError]]:
    """Turn API records (canonical field names) into the rows a file would give.

    A field a record leaves out is "not given" (the stored value stays); line
    numbers are 1-based record indexes.
    """
    fields = FIELDS[kind]

    def unknown(number: int, names: list[str]) -> list[RowError]:
        return [
            RowError(number, name, f"Unknown field. Use one of: {', '.join(fields)}.")
            for name in names
        ]

    return records_as_rows(records, fields, unknown=unknown)


def too_long(line: int, column: str, value: str) -> RowError:
    limit = MAX_LENGTH[column] if column in MAX_LENGTH else MAX_LENGTH["name"]
    return RowError(line, column, f"Too long: at most {limit} characters (this has {len(value)}).")
