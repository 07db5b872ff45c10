"""Reporting lines and unit trees as child → parent graphs: loops, order, paths. Plain Python."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TypeVar

V = TypeVar("V")


def cycles(
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


def parents_first(
    items: list[tuple[str, V]], parent_of: Mapping[str, str | None]
) -> list[tuple[str, V]]:
    """Order new nodes so each comes after its parent when the parent is new too,
    which lets the writer link parents while inserting."""
    depth: dict[str, int] = {}
    for start in parent_of:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parent_of and node not in depth:
            chain.append(node)
            node = parent_of[node]
        level = depth.get(node, -1) if node is not None else -1
        for key in reversed(chain):
            level += 1
            depth[key] = level
    return sorted(items, key=lambda item: depth[item[0]])


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


def loop_errors(
    found: list[list[str]], lines: Mapping[str, int], *, alone: str, chained: str, shorten: bool
) -> list[tuple[int, str]]:
    """(line, message) for every row on a loop: ``alone`` for a self-loop, ``chained``
    (with ``{chain}``) for a longer one; ``shorten`` elides the middle of a long chain."""
    out: list[tuple[int, str]] = []
    for cycle in found:
        chain = [*cycle, cycle[0]]
        if shorten and len(chain) > 12:
            chain = [*chain[:10], "…", chain[-1]]
        message = alone if len(cycle) == 1 else chained.format(chain=" → ".join(chain))
        out.extend((lines[key], message) for key in cycle if key in lines)
    return out
