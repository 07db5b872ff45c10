"""Reading and checking HRIS files of people and org units. Plain Python, no Django.

The file is read and its columns mapped by the one tabular pipeline (``core.tabular``);
this package holds what is particular to people and units:

* ``columns``: the fields, the HRIS header spellings, API records as rows;
* ``people``: checking people rows and planning creates, updates, deactivations;
* ``units``: the same for org units;
* ``dates``: the date orders HR exports write (ISO, day or month first, Excel serials);
* ``graph``: loops and order in reporting lines and unit trees.

The service (``people/services.py``) loads what the database already holds,
hands it to ``plan_people`` / ``plan_units`` and writes the resulting plan.
Everything a user can get wrong in a file is reported as a ``RowError`` with the
line number a spreadsheet shows (header = line 1); nothing here raises on bad input.
"""

from __future__ import annotations

from bellwether.core.exports import unescape
from bellwether.core.tabular import (
    IGNORE,
    NUL_MESSAGE,
    ImportResult,
    RowError,
    Table,
    read_table,
)
from bellwether.core.uploads import Progress
from bellwether.people.importing.columns import (
    ALIASES,
    COLUMNS,
    FIELDS,
    LEADER_LEVELS,
    MAX_LENGTH,
    PEOPLE_FIELDS,
    REQUIRED,
    UNIT_FIELDS,
    resolve_columns,
    rows_from_records,
    suggest_mapping,
)
from bellwether.people.importing.dates import FORMAT_CHOICES as DATE_FORMAT_CHOICES
from bellwether.people.importing.dates import FORMAT_LABELS as DATE_FORMAT_LABELS
from bellwether.people.importing.dates import parse_date
from bellwether.people.importing.graph import unit_paths
from bellwether.people.importing.people import ExistingPerson, PeoplePlan, PersonValues, plan_people
from bellwether.people.importing.units import ExistingUnit, UnitsPlan, plan_units

__all__ = [
    "ALIASES",
    "COLUMNS",
    "DATE_FORMAT_CHOICES",
    "DATE_FORMAT_LABELS",
    "FIELDS",
    "IGNORE",
    "LEADER_LEVELS",
    "MAX_LENGTH",
    "NUL_MESSAGE",
    "PEOPLE_FIELDS",
    "REQUIRED",
    "UNIT_FIELDS",
    "ExistingPerson",
    "ExistingUnit",
    "ImportResult",
    "PeoplePlan",
    "PersonValues",
    "Progress",
    "RowError",
    "Table",
    "UnitsPlan",
    "parse_date",
    "plan_people",
    "plan_units",
    "read_table",
    "resolve_columns",
    "rows_from_records",
    "suggest_mapping",
    "unescape",
    "unit_paths",
]
