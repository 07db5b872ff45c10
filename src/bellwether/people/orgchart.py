"""Pure org-chart arithmetic: subtree roll-ups and the choice of a unit's head.

No Django here: the selectors run the SQL and hand plain rows to these functions.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Higher rank = more senior. People without a leader level never head a unit.
LEVEL_RANK: dict[str, int] = {"executive": 3, "senior": 2, "operational": 1}


@dataclass(frozen=True)
class UnitCount:
    """Active people and leaders placed directly in one unit (not its descendants)."""

    path: str
    people: int
    leaders: int


@dataclass(frozen=True)
class HeadCandidate:
    unit_id: int
    person_id: int
    employee_id: str
    name: str
    leader_level: str
    manager_in_unit: bool


def path_ids(path: str) -> list[int]:
    """The unit ids along a materialised path, root first: "/3/17/" → [3, 17]."""
    return [int(part) for part in path.strip("/").split("/") if part]


def roll_up(counts: Iterable[UnitCount], unit_paths: Iterable[str]) -> dict[str, tuple[int, int]]:
    """Sum people and leaders over each unit's whole subtree.

    ``counts`` holds per-unit figures for (at least) every unit below the given
    ``unit_paths``; the answer maps each of those paths to (people, leaders). A
    unit's subtree is every unit whose path starts with its own.
    """
    totals = dict.fromkeys(unit_paths, (0, 0))
    for count in counts:
        ids = path_ids(count.path)
        # Walk up the count's own ancestors; at most `depth` dictionary probes each.
        for end in range(len(ids), 0, -1):
            ancestor = "/" + "/".join(str(i) for i in ids[:end]) + "/"
            if ancestor in totals:
                people, leaders = totals[ancestor]
                totals[ancestor] = (people + count.people, leaders + count.leaders)
    return totals


def head_sort_key(candidate: HeadCandidate) -> tuple[int, int, str, int]:
    """How heads are chosen: the most senior leader level first; among equals, the
    one whose manager is outside the unit (or who has none), since whoever reports
    to a colleague in the same unit is not its top; then by name, then id, so the
    choice is stable."""
    return (
        -LEVEL_RANK.get(candidate.leader_level, 0),
        1 if candidate.manager_in_unit else 0,
        candidate.name.casefold(),
        candidate.person_id,
    )


def pick_heads(candidates: Iterable[HeadCandidate]) -> dict[int, HeadCandidate]:
    """The head of each unit among ``candidates`` (leaders placed directly in it)."""
    heads: dict[int, HeadCandidate] = {}
    for candidate in candidates:
        if candidate.leader_level not in LEVEL_RANK:
            continue
        current = heads.get(candidate.unit_id)
        if current is None or head_sort_key(candidate) < head_sort_key(current):
            heads[candidate.unit_id] = candidate
    return heads


def common_path(paths: Iterable[str]) -> str:
    """The deepest path that every one of ``paths`` lies under ("/" when only the root)."""
    split = [path_ids(path) for path in paths]
    if not split:
        return "/"
    common: list[int] = []
    for parts in zip(*split, strict=False):
        if any(part != parts[0] for part in parts):
            break
        common.append(parts[0])
    return "/" + "".join(f"{i}/" for i in common)
