"""The words for a catalogue key: what a page shows instead of the key.

Covers every keyed entry of ``CATALOGUE`` and the section modules' own keyed tables
that sit beside it (succession readiness, programme phases, learning kinds…)."""

from __future__ import annotations

import dataclasses
import importlib
from types import ModuleType
from typing import Any

from bellwether.framework.catalogue.assembly import CATALOGUE, all_keyed_entries

_FIELDS = ("name", "label", "text", "title", "category", "audience")
# The section modules whose own keyed tables are read beside CATALOGUE.
_SECTIONS = (
    "accountability",
    "barriers",
    "behaviours",
    "coaching",
    "communication",
    "engagement",
    "engagement_actions",
    "engagement_rules",
    "failure_modes",
    "influence",
    "initiatives",
    "kpis",
    "learning",
    "peers",
    "readiness",
    "vision",
)
_MODULES: tuple[ModuleType, ...] = tuple(
    importlib.import_module(f"{__package__}.{name}") for name in _SECTIONS
)


def _words(entry: Any) -> str | None:
    for field in _FIELDS:
        value = getattr(entry, field, None)
        if isinstance(value, str) and value:
            return value
    return None


def _keyed(value: Any) -> list[Any]:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [value] if isinstance(getattr(value, "key", None), str) else []
    if isinstance(value, tuple):
        return [e for v in value for e in _keyed(v)]
    return []


def _table() -> dict[str, str]:
    found: dict[str, str] = {}
    for module in _MODULES:
        for name, value in vars(module).items():
            if name.isupper():
                for entry in _keyed(value):
                    words = _words(entry)
                    if words:
                        found.setdefault(entry.key, words)
    for entry in all_keyed_entries(CATALOGUE):  # the catalogue's own words win
        words = _words(entry)
        if words:
            found[entry.key] = words
    return found


LABELS: dict[str, str] = _table()


def label(key: str) -> str | None:
    """The words a reader sees for a catalogue key; None when ``key`` is not one."""
    return LABELS.get(key)
