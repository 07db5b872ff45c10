"""Confidentiality rules: which aggregates of survey answers may be shown.

Plain Python (no Django) and the ONLY place these rules live: every report, page,
export and API answer that shows survey aggregates asks this module first.

The model: a report is a set of *cells* (an aggregate over some respondents, with
their count ``n``). Cells nest: a parent is the sum of its children plus an
implicit *remainder* (respondents in the parent who are in no shown child, e.g.
people without a segment value). Each parent with its children is one equation
``parent = child_1 + … + child_k + remainder``. A cell is *known* to a reader if it
is shown or can be computed from known cells through these equations. A report is
safe when no known cell — and no known sum of unknown cells — rests on between 1
and ``minimum - 1`` respondents.

* primary suppression: a cell with fewer respondents than the minimum is hidden;
* secondary suppression: if hiding it is undone by subtraction (a parent minus its
  shown children), the smallest shown sibling is hidden too, until nothing small
  can be derived; if no sibling can be hidden, the parent is;
* pulses are decided over a whole release at once, across every table, in
  ``disclosure.py``; this module's tree rule serves the 360 reports' rater groups;
* comments need their own, higher minimum and come out in random order.
"""

from __future__ import annotations

import random
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

# Nobody, whatever they configure, may see a group smaller than this.
ABSOLUTE_FLOOR = 3
DEFAULT_MIN_GROUP = 5  # anonymous campaigns (pulse)
DEFAULT_MIN_360_GROUP = 3  # peer and direct-report categories of a 360
DEFAULT_MIN_COMMENTS = 10


class ConfidentialityError(ValueError):
    """A policy that would weaken the guarantees."""


@dataclass(frozen=True, slots=True)
class Policy:
    """An organisation's minimum group sizes. Values below the floor are refused."""

    min_group: int = DEFAULT_MIN_GROUP
    min_360_group: int = DEFAULT_MIN_360_GROUP
    min_comments: int = DEFAULT_MIN_COMMENTS

    def __post_init__(self) -> None:
        for name in ("min_group", "min_360_group", "min_comments"):
            if getattr(self, name) < ABSOLUTE_FLOOR:
                raise ConfidentialityError(
                    f"A minimum group size can never be below {ABSOLUTE_FLOOR}."
                )
        if self.min_comments < self.min_group:
            raise ConfidentialityError(
                "The minimum for comments cannot be lower than the minimum group size."
            )


class RaterCategory(StrEnum):
    """Who gave an answer, as far as a report may say."""

    ANONYMOUS = "anonymous"  # pulse respondents
    SELF = "self"
    MANAGER = "manager"
    PEER = "peer"
    DIRECT_REPORT = "direct_report"
    OTHER = "other"


def category_minimum(
    category: RaterCategory, policy: Policy, *, disclosed_in_invitation: bool = False
) -> int | None:
    """The smallest group a category may be shown on its own, or None: never on its own.

    Self and manager ratings rest on one person and are shown as such (n = 1) only when
    the invitation told the rater so; an undisclosed manager rating must be folded into
    another category by the caller.
    """
    if category in (RaterCategory.SELF, RaterCategory.MANAGER):
        return 1 if disclosed_in_invitation else None
    if category in (RaterCategory.PEER, RaterCategory.DIRECT_REPORT):
        return policy.min_360_group
    if category is RaterCategory.OTHER:
        return policy.min_360_group
    return policy.min_group


class Reason(StrEnum):
    SHOWN = "shown"
    TOO_FEW = "too_few"  # primary: fewer respondents than the minimum
    DIFFERENCE = "difference"  # secondary: would reveal a small group by subtraction


K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True, slots=True)
class Cell:
    """One aggregate: ``n`` respondents; ``parent`` the cell it is part of (or None).

    ``fixed`` marks a cell published elsewhere whatever this report decides (the
    organisation total): it is never hidden to protect another cell, so the others
    are hidden instead.
    """

    key: Hashable
    n: int
    parent: Hashable | None = None
    fixed: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    shown: Mapping[Hashable, bool]
    reasons: Mapping[Hashable, Reason] = field(default_factory=dict)

    def is_shown(self, key: Hashable) -> bool:
        return self.shown[key]


def _remainder_key(parent: Hashable) -> tuple[str, Hashable]:
    return ("__remainder__", parent)


def suppress(cells: Sequence[Cell], minimum: int) -> Decision:
    """Decide which cells may be shown (primary and secondary suppression)."""
    if minimum < ABSOLUTE_FLOOR:
        raise ConfidentialityError(f"A minimum group size can never be below {ABSOLUTE_FLOOR}.")
    by_key = {cell.key: cell for cell in cells}
    if len(by_key) != len(cells):
        raise ValueError("cell keys must be unique")
    children: dict[Hashable, list[Hashable]] = {}
    for cell in cells:
        if cell.parent is not None:
            if cell.parent not in by_key:
                raise ValueError(f"unknown parent {cell.parent!r}")
            children.setdefault(cell.parent, []).append(cell.key)
    counts: dict[Hashable, int] = {cell.key: cell.n for cell in cells}
    # Each equation: total, parts (the children and the implicit remainder).
    equations: list[tuple[Hashable, list[Hashable]]] = []
    for parent, kids in children.items():
        remainder = counts[parent] - sum(counts[k] for k in kids)
        if remainder < 0:
            raise ValueError(f"children of {parent!r} have more respondents than it")
        rkey = _remainder_key(parent)
        counts[rkey] = remainder
        equations.append((parent, [*kids, rkey]))

    reasons: dict[Hashable, Reason] = {}
    for cell in cells:
        reasons[cell.key] = Reason.TOO_FEW if cell.n < minimum else Reason.SHOWN

    while True:
        known = {key for key, reason in reasons.items() if reason is Reason.SHOWN}
        # An empty group gives nothing away and contributes nothing to a sum.
        known |= {key for key, n in counts.items() if n == 0}
        changed = True
        while changed:
            changed = False
            for total, parts in equations:
                members = [total, *parts]
                unknown = [m for m in members if m not in known]
                if len(unknown) == 1:
                    known.add(unknown[0])
                    changed = True
        breaches = _breaches(equations, known, counts, minimum)
        if not breaches:
            break
        if not any(_hide_one_more(t, p, by_key, reasons, counts) for t, p in breaches):
            # Every cell of the leaking equations is fixed or hidden already: hide the
            # smallest shown cell anywhere; each round hides one more, so this ends.
            rest = [c for c in cells if reasons[c.key] is Reason.SHOWN and not c.fixed and c.n > 0]
            if not rest:
                break  # pragma: no cover (only fixed cells remain, and they are published)
            victim = min(rest, key=lambda c: (c.n, str(c.key)))
            reasons[victim.key] = Reason.DIFFERENCE
    shown = {cell.key: reasons[cell.key] is Reason.SHOWN for cell in cells}
    return Decision(shown=shown, reasons={cell.key: reasons[cell.key] for cell in cells})


def _breaches(
    equations: list[tuple[Hashable, list[Hashable]]],
    known: set[Hashable],
    counts: Mapping[Hashable, int],
    minimum: int,
) -> list[tuple[Hashable, list[Hashable]]]:
    """The equations through which a reader could learn about a small group."""

    def small(n: int) -> bool:
        return 0 < n < minimum

    leaking = []
    for total, parts in equations:
        members = [total, *parts]
        # A small group a reader can compute although it is not shown …
        if any(m in known and small(counts[m]) for m in members):
            leaking.append((total, parts))
            continue
        # … or a small union of hidden parts whose sum a reader can compute.
        if total in known and small(sum(counts[p] for p in parts if p not in known)):
            leaking.append((total, parts))
    return leaking


def _hide_one_more(
    total: Hashable,
    parts: list[Hashable],
    by_key: Mapping[Hashable, Cell],
    reasons: dict[Hashable, Reason],
    counts: Mapping[Hashable, int],
) -> bool:
    """Hide one more cell of this equation (the smallest shown part, else the total)."""
    candidates = [
        p
        for p in parts
        if p in by_key and reasons[p] is Reason.SHOWN and counts[p] > 0 and not by_key[p].fixed
    ]
    if candidates:
        # The smallest loses the least information.
        victim = min(candidates, key=lambda p: (counts[p], str(p)))
        reasons[victim] = Reason.DIFFERENCE
        return True
    if reasons[total] is Reason.SHOWN and not by_key[total].fixed:
        reasons[total] = Reason.DIFFERENCE
        return True
    return False


def comments_visible(n: int, policy: Policy) -> bool:
    """Open-text comments of a group are shown only at or above the comment minimum."""
    return n >= policy.min_comments


T = TypeVar("T")


def comments_in_random_order(comments: Sequence[T], *, rng: random.Random | None = None) -> list[T]:
    """Comments shuffled, so their order says nothing about who wrote them or when."""
    shuffled = list(comments)
    (rng or random.SystemRandom()).shuffle(shuffled)
    return shuffled


def favourable_share(distribution: Mapping[int, int], favourable_min: int) -> float | None:
    """The share (0–100) of answers at or above ``favourable_min``; None if no answers."""
    total = sum(distribution.values())
    if total == 0:
        return None
    favourable = sum(count for value, count in distribution.items() if value >= favourable_min)
    return round(100.0 * favourable / total, 1)
