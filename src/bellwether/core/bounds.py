"""The ranges input must stay within, shared by the API schemas and the services.

Pure Python: a service validates what a page, the CLI or a job hands it with the same
rules the API's schemas apply at the door (``bellwether.core.schema``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from bellwether.core.errors import DomainError

# The largest id any of our databases can store (a signed 64-bit integer).
MAX_ID = 2**63 - 1
# Django's IntegerField / PositiveIntegerField on PostgreSQL.
MAX_INT32 = 2**31 - 1
# Django's PositiveSmallIntegerField on PostgreSQL.
MAX_INT16 = 2**15 - 1
# The calendar the domain uses: plans, cycles and measurements outside it are mistakes,
# and date arithmetic near year 9999 overflows.
EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def is_id(value: object) -> bool:
    """A whole number (not a boolean) that can be a stored row's id."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def checked_ids(values: Iterable[object], *, field: str) -> list[int]:
    """``values`` as a list of ids, or a DomainError naming ``field``: ``True`` is not
    person 1, and a number past 2^63 is not an id any row can have."""
    ids = list(values)
    if not all(is_id(value) for value in ids):
        raise DomainError(
            f"{field} must be a list of ids (whole numbers from 1 to {MAX_ID}).",
            field_errors={field: ["Give whole-number ids."]},
        )
    return [int(value) for value in ids]  # type: ignore[call-overload]


def year_problem(value: dt.date, *, what: str = "The date") -> str | None:
    """Why ``value`` (a date or datetime) falls outside the domain's calendar, or None."""
    if EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        return None
    return f"{what} must fall between {EARLIEST_YEAR} and {LATEST_YEAR}."
