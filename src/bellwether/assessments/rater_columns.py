"""Which rater groups a leader's released report may show: plain Python, no Django.

Decided once per leader when a cycle's results are released (``release.py``), against
everything already published about the same leader, and stored; never re-decided.

A report shows the leader's self rating, the others' score (every rater but the leader:
the band of record when shown) and, beside them, a column per rater category. Raters
are the atoms: a published figure is a mean over a set of raters, so a reader can add and
subtract figures — of this cycle and of the leader's earlier cycles — with any
coefficients, assuming (the worst case) that each rater answers alike every time.

1. **Primary rule.** Self and a manager who was told their rating is shown as such are
   shown on their own. Peers, direct reports, a group of categories combined and the
   others' score need at least ``minimum`` raters (the campaign's 360 minimum), plus one
   for every late change in that group (a rater added, removed, sent a new link, or
   whose e-mail changed after the cycle opened) and one for every rater in it who can
   read the report (an administrator, a sponsor, the leader's coach: each knows their
   own answers). An undisclosed manager is never shown alone.
2. **Across cycles.** A figure whose raters differ from those of a figure published for
   the same leader in an earlier cycle by 1 to ``minimum - 1`` people is not shown
   (``surveys.disclosure.small_differences``): the difference of the two would give
   those few raters' answers (a rater who joined, left or was swapped).
3. **Every equation.** No group of raters that can be computed from the shown figures
   of this cycle and of the leader's earlier released cycles may rest on 1 to
   ``minimum - 1`` raters (``surveys.disclosure.find_breach``, an exact search). In that
   search a rater counts as known (no protection) when a reader may know their answers:
   a disclosed manager whose column is shown, a late-added or re-sent rater, a rater who
   can read the report. Each late removal raises that minimum by one.
4. **What gives way.** When such a group exists, the first of these that the equation
   uses is hidden, and the search runs again: the smallest peer or direct-report
   column, the combined column, the manager's column, last the others' score (then the
   band of record is the self-assessment, marked self-reported). Hidden categories are
   shown together as one combined column when that group passes both rules. Earlier
   cycles' figures are published for good and never hidden here.

So two cycles whose peers differ by one extra rater do not both show a peer column (nor
both an others' score) from which that rater's answers follow by difference.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np

from bellwether.core.disclosure import Candidate, find_breach, small_differences

OTHER_CATEGORY_ORDER = ("manager", "peer", "direct_report")
LABELS = {
    "self": "Self",
    "manager": "Manager",
    "peer": "Peers",
    "direct_report": "Direct reports",
}
OTHERS = "others"
MERGED = "merged"


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # "self", "manager", "peer", "direct_report" or "merged"
    label: str
    members: tuple[str, ...]  # the rater categories in it
    n: int


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    columns: tuple[Column, ...]  # the rater columns shown (self is added by the report)
    suppressed: tuple[str, ...]  # categories with answers that no column shows on its own
    note: str  # what was merged or withheld, for the report
    others_shown: bool = False
    minimum_others: int = 0
    across_cycles: bool = False  # something was withheld because of an earlier cycle


@dataclass(frozen=True, slots=True)
class EarlierGroup:
    """A group of raters whose figures an earlier released cycle published."""

    key: Hashable
    people: frozenset[int]


@dataclass(frozen=True, slots=True)
class Raters:
    """Who answered about one leader in the cycle being released, and what is known."""

    answered: Mapping[str, frozenset[int]]  # rater category -> people who answered
    disclosed: Collection[str] = frozenset({"manager"})  # told they are shown as such
    changes: Mapping[str, int] = field(default_factory=dict)  # late changes per category
    removals: int = 0  # late removals, every category
    insiders: frozenset[int] = frozenset()  # raters who can read the leader's report
    known: frozenset[int] = frozenset()  # raters whose answers a reader may know
    earlier: Sequence[EarlierGroup] = ()
    earlier_known: frozenset[int] = frozenset()


def _listed(names: Sequence[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def plan_columns(raters: Raters, *, minimum: int) -> ColumnPlan:
    """The rater columns and the others' score a report may show (module docstring)."""
    cats = [c for c in OTHER_CATEGORY_ORDER if raters.answered.get(c)]
    people = {c: frozenset(raters.answered[c]) for c in cats}

    def union(categories: Sequence[str]) -> frozenset[int]:
        out: frozenset[int] = frozenset()
        for c in categories:
            out |= people[c]
        return out

    def need(categories: Sequence[str]) -> int:
        extra = sum(raters.changes.get(c, 0) for c in categories)
        return minimum + extra + len(union(categories) & raters.insiders)

    everyone = union(cats)
    minimum_others = need(cats)
    others_shown = bool(everyone) and len(everyone) >= minimum_others

    def alone(c: str) -> bool:
        if c == "manager":
            return c in raters.disclosed
        return len(people[c]) >= need([c])

    shown = [c for c in cats if alone(c)]
    primary_hidden = [c for c in cats if c not in shown]
    blocked: set[frozenset[str]] = set()
    zeroed: set[int] = set()
    across = False
    earlier_mattered = False  # an earlier cycle's figure took part in hiding something

    # Atoms: every rater of this cycle and of the earlier published groups.
    index: dict[int, int] = {}
    for person in sorted(everyone.union(*(g.people for g in raters.earlier))):
        index[person] = len(index)
    earlier_cells = [
        Candidate(("earlier", n, g.key), frozenset(index[p] for p in g.people))
        for n, g in enumerate(raters.earlier)
        if g.people
    ]

    def merged_of(hidden: Sequence[str]) -> tuple[str, ...] | None:
        if not hidden or frozenset(hidden) in blocked:
            return None
        if others_shown and not shown:
            return None  # it would be the others' score itself
        return tuple(hidden) if len(union(hidden)) >= need(hidden) else None

    def hide(key: str, merged: tuple[str, ...] | None) -> None:
        """Take column ``key`` out of the next try: the others' score, the merged column
        (its combination is blocked) or a category (shown alone no more, nor merged alone)."""
        nonlocal others_shown
        if key == OTHERS:
            others_shown = False
        elif key == MERGED and merged is not None:
            blocked.add(frozenset(merged))
        else:
            shown.remove(key)
            blocked.add(frozenset({key}))

    while True:
        hidden = [c for c in cats if c not in shown]
        merged = merged_of(hidden)
        current: dict[str, frozenset[int]] = {}
        if others_shown:
            current[OTHERS] = everyone
        for c in shown:
            current[c] = people[c]
        if merged is not None:
            current[MERGED] = union(merged)
        always_known = set(raters.known) | set(raters.earlier_known) | zeroed
        # Rule 2: a figure whose raters differ from an earlier figure's by 1 to
        # minimum - 1 people (raters whose answers are known anyway left aside).
        disclosed_people = {p for c in shown if c in raters.disclosed for p in people[c]}
        ignore = always_known | disclosed_people
        flagged = {
            str(k)
            for k in small_differences(
                {g.key: g.people - ignore for g in raters.earlier},
                {k: v - ignore for k, v in current.items() if k not in raters.disclosed},
                minimum,
            )
        }
        if flagged:
            earlier_mattered = True
            key = (
                OTHERS
                if flagged == {OTHERS}
                else min(
                    (k for k in flagged if k != OTHERS),
                    key=lambda k: (k == MERGED, len(current[k])),
                )
            )
            hide(key, merged)
            continue

        def weights(without: str | None = None, always_known: set[int] = always_known) -> list[int]:
            known = set(always_known)
            for c in shown:
                if c in raters.disclosed and c != without:
                    known |= people[c]
            return [0 if person in known else 1 for person in index]

        counts = weights()
        cells = [
            Candidate(key, frozenset(index[p] for p in members)) for key, members in current.items()
        ]
        limit = minimum + raters.removals
        breach = find_breach(cells + earlier_cells, counts, limit)
        if breach is None:
            break
        used = [k for k in breach.cells if k in current]
        if not used:
            # Earlier figures alone give this group (published under other rules): it is
            # known already, so count its raters as known and look again.
            fresh = {a for a in breach.atoms if counts[a] > 0}
            if not fresh:
                break
            by_index = {i: p for p, i in index.items()}
            zeroed |= {by_index[a] for a in fresh}
            continue
        order = _victims(used, shown, raters, people, breach.atoms, index)

        def resolves(
            victim: str,
            group: frozenset[int] = breach.atoms,
            limit: int = limit,
            cells: list[Candidate] = cells,
            weights: Callable[..., list[int]] = weights,
        ) -> bool:
            counts_after = weights(without=victim)
            if not 1 <= sum(counts_after[a] for a in group) < limit:
                return True
            rest = [c.atoms for c in cells if c.key != victim]
            return not _computable(group, rest + [c.atoms for c in earlier_cells], counts_after)

        victim = next((v for v in order if resolves(v)), order[0])
        if any(isinstance(k, tuple) for k in breach.cells):
            earlier_mattered = True
        hide(victim, merged)

    hidden = [c for c in cats if c not in shown]
    merged = merged_of(hidden)
    columns = [Column(c, LABELS[c], (c,), len(people[c])) for c in shown]
    if merged is not None:
        names = [LABELS[c].lower() for c in hidden]
        label = " and ".join(names).capitalize() + " (combined)"
        columns.append(Column(MERGED, label, tuple(hidden), len(union(hidden))))
    if earlier_mattered:
        # Withheld because of earlier cycles: what this cycle alone would have shown.
        alone_plan = plan_columns(
            replace(raters, earlier=(), earlier_known=frozenset()), minimum=minimum
        )
        across = alone_plan.columns != tuple(columns) or alone_plan.others_shown != others_shown
    notes: list[str] = []
    suppressed: tuple[str, ...] = ()
    if hidden:
        names = [LABELS[c].lower() for c in hidden]
        label = " and ".join(names).capitalize()
        if merged is not None:
            notes.append(
                f"{label} are shown together: on its own a group would rest on fewer "
                f"than {minimum} raters or could be worked out from the other figures."
            )
        elif others_shown and not shown:
            suppressed = tuple(hidden)
            notes.append(
                "Rater categories are not shown separately: a category would rest on fewer "
                f"than {minimum} raters or could be worked out from the other figures; "
                "their answers are in the others' score."
            )
        else:
            suppressed = tuple(hidden)
            small = [LABELS[c].lower() for c in hidden if c in primary_hidden]
            if small and not others_shown and len(everyone) < minimum_others:
                notes.append(
                    f"Ratings from {_listed(names)} are not shown: fewer than "
                    f"{minimum_others} of them answered."
                )
            else:
                notes.append(
                    f"Ratings from {_listed(names)} are not shown on their own: they would "
                    f"rest on fewer than {minimum} raters or could be worked out from the "
                    "other figures."
                )
    if across:
        notes.append(
            "Some figures are not shown in this cycle: the raters who answered differ from "
            f"those of an earlier cycle by fewer than {minimum} people, and comparing the "
            "two cycles would give their answers."
        )
    return ColumnPlan(
        columns=tuple(columns),
        suppressed=suppressed,
        note=" ".join(notes),
        others_shown=others_shown,
        minimum_others=minimum_others,
        across_cycles=across,
    )


def _victims(
    used: Sequence[str],
    shown: Sequence[str],
    raters: Raters,
    people: Mapping[str, frozenset[int]],
    atoms: frozenset[int],
    index: Mapping[int, int],
) -> list[str]:
    """The figures that could be hidden, in order of preference: the first whose hiding
    stops the small group from being computed is hidden (rule 3 of the docstring)."""
    columns = sorted(
        (c for c in used if c in people and c not in raters.disclosed),
        key=lambda c: (len(people[c]), OTHER_CATEGORY_ORDER.index(c)),
    )
    order = list(columns)
    if MERGED in used:
        order.append(MERGED)
    if "manager" in shown:
        in_group = any(index[p] in atoms for p in people["manager"])
        if "manager" in used or in_group:
            order.append("manager")
    if OTHERS in used:
        order.append(OTHERS)
    return order + [k for k in used if k not in order]


def _computable(
    group: frozenset[int], cells: Sequence[frozenset[int]], counts: Sequence[int]
) -> bool:
    """Whether ``group`` (atoms) is a linear combination of ``cells`` on the atoms a
    reader does not know (a least-squares fit with no residual)."""
    unknown = [a for a in range(len(counts)) if counts[a] > 0]
    if not unknown or not cells:
        return False
    row = {a: i for i, a in enumerate(unknown)}
    matrix = np.zeros((len(unknown), len(cells)))
    for j, cell in enumerate(cells):
        for a in cell:
            if a in row:
                matrix[row[a], j] = 1.0
    target = np.zeros(len(unknown))
    for a in group:
        if a in row:
            target[row[a]] = 1.0
    solution = np.linalg.lstsq(matrix, target, rcond=None)[0]
    return bool(np.allclose(matrix @ solution, target, atol=1e-7))
