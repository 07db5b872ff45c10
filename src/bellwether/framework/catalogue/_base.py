"""Shared pieces of the catalogue: its version, the small types every section uses,
and the checks that make a typo in the data fail at import time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

FRAMEWORK_VERSION = "2026.1"

Comparison = Literal[">=", "<="]
Frequency = Literal[
    "daily", "weekly", "biweekly", "monthly", "quarterly", "annual", "regular", "continuous"
]
Rating = Literal["high", "medium", "low"]
LeaderLevelKey = Literal["executive", "senior", "operational"]

# Nominal days between two occurrences, for "is it overdue?" questions. "regular" and
# "continuous" cadences have no fixed interval in the framework, so none is invented.
FREQUENCY_INTERVAL_DAYS: dict[str, int | None] = {
    "daily": 1,
    "weekly": 7,
    "biweekly": 14,
    "monthly": 30,
    "quarterly": 91,
    "annual": 365,
    "regular": None,
    "continuous": None,
}


class CatalogueError(ValueError):
    """The catalogue data contradicts itself (raised at import time)."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CatalogueError(message)


@dataclass(frozen=True, slots=True)
class NamedField:
    """A named prompt on a form: an engagement driver, a strategy field, a success metric."""

    key: str
    name: str


@dataclass(frozen=True, slots=True)
class Cadence:
    """A communication a leader at some level owes, and how often."""

    key: str
    text: str
    frequency: Frequency
    interval_days: int | None

    def __post_init__(self) -> None:
        check(
            self.interval_days == FREQUENCY_INTERVAL_DAYS[self.frequency], f"{self.key}: interval"
        )


def jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    return value


def cadence(key: str, text: str, frequency: Frequency) -> Cadence:
    return Cadence(key, text, frequency, FREQUENCY_INTERVAL_DAYS[frequency])


def key_under(prefix: str, slug: str) -> str:
    """An entry's key under ``prefix``: from its slug, or a key constant already written in
    full (the entries code refers to by name, see the ``Final`` constants of each section)."""
    key = slug if slug.startswith(f"{prefix}.") else f"{prefix}.{slug}"
    check(key.count(".") == prefix.count(".") + 1, f"{key}: not one level under {prefix}")
    return key


def named_fields(prefix: str, entries: Iterable[tuple[str, str]]) -> tuple[NamedField, ...]:
    return tuple(NamedField(key_under(prefix, slug), name) for slug, name in entries)
