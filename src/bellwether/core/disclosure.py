"""Which cells of a campaign's results may be released, decided against every equation a
reader can form from everything released. Plain Python with numpy and scipy; no Django.

Why not table by table: a reader combines tables. The organisation total minus every
shown org unit leaves the people with no unit; a leader level minus an org unit that holds
all but one of that level's people leaves one person; two tables that each look safe can
pin down a group neither shows. So the decision is taken over the whole release at once:

* **Atoms** are the finest groups the release is computed from (one combination of
  stored segment values), each with its number of people ``n``.
* A **cell** is a set of atoms (the organisation total, an org unit with its sub-units,
  a leader level, a tenure band). A released figure is a sum over a cell's people, so a
  reader can add and subtract shown cells with any coefficients.
* A group of people is **disclosed** when its indicator is a linear combination of the
  shown cells' indicators (the reader can compute its figures exactly). The release is
  safe when no disclosed group has between 1 and ``minimum - 1`` people.

The test is exact, not pairwise: a mixed-integer program (HiGHS, through
``scipy.optimize.milp``) looks for a 0/1 choice of atom classes ``x`` and coefficients
``λ`` with ``Σ λ_q · cell_q = x`` and ``1 ≤ Σ n·x ≤ minimum - 1``. Atoms that every shown
cell treats alike are merged first (no combination can tell them apart). When such a group
exists, the smallest shown cell that the combination uses is hidden, and the search runs
again; a cell marked ``fixed`` (the total, which is the response rate) is never the one
hidden. The loop ends because each round hides one more cell, and with only the total
left nothing smaller than the total can be computed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import coo_matrix, hstack, identity

TOO_FEW = "too_few"  # fewer people than the minimum
DIFFERENCE = "difference"  # would reveal a small group with the other shown cells
ACROSS_CAMPAIGNS = "across_campaigns"  # differs from an earlier release by a small group
SHOWN = "shown"


@dataclass(frozen=True, slots=True)
class Candidate:
    """A cell that could be released: ``atoms`` are indices into the atom counts."""

    key: Hashable
    atoms: frozenset[int]
    fixed: bool = False


@dataclass(frozen=True, slots=True)
class Breach:
    """A group of ``n`` people a reader could isolate, and the shown cells used."""

    atoms: frozenset[int]
    n: int
    cells: tuple[Hashable, ...]


@dataclass(slots=True)
class Outcome:
    reasons: dict[Hashable, str] = field(default_factory=dict)
    rounds: int = 0

    def shown(self, key: Hashable) -> bool:
        return self.reasons.get(key) == SHOWN


def size(candidate: Candidate, counts: Sequence[int]) -> int:
    return sum(counts[a] for a in candidate.atoms)


def find_breach(shown: Sequence[Candidate], counts: Sequence[int], minimum: int) -> Breach | None:
    """A group of 1 to ``minimum - 1`` people computable from ``shown``, or None."""
    if not shown:
        return None
    atoms = sorted({a for c in shown for a in c.atoms})
    if not atoms:
        return None
    # Classes: atoms with the same membership in every shown cell.
    signature: dict[int, list[int]] = {a: [] for a in atoms}
    for q, cell in enumerate(shown):
        for a in cell.atoms:
            signature[a].append(q)
    classes: dict[tuple[int, ...], list[int]] = {}
    for a in atoms:
        classes.setdefault(tuple(signature[a]), []).append(a)
    members = list(classes.values())
    n = np.array([sum(counts[a] for a in group) for group in members], dtype=float)
    if not np.any((n > 0) & (n < minimum)):
        return None  # every class is empty or large: any disclosed group is too
    k, m = len(members), len(shown)
    rows, cols = [], []
    for c, group in enumerate(members):
        for q in signature[group[0]]:
            rows.append(c)
            cols.append(q)
    membership = coo_matrix((np.ones(len(rows)), (rows, cols)), shape=(k, m))
    # Σ_q λ_q [class c in cell q] − x_c = 0, for each class c.
    a_eq = hstack([membership, -identity(k)]).tocsr()
    size_row = np.concatenate([np.zeros(m), n])
    constraints = [
        LinearConstraint(a_eq, np.zeros(k), np.zeros(k)),
        LinearConstraint(size_row.reshape(1, -1), [1.0], [float(minimum - 1)]),
    ]
    lower = np.concatenate([np.full(m, -np.inf), np.zeros(k)])
    upper = np.concatenate([np.full(m, np.inf), np.ones(k)])
    integrality = np.concatenate([np.zeros(m), np.ones(k)])
    result = milp(
        c=size_row,  # the smallest such group: the most urgent to protect
        constraints=constraints,
        integrality=integrality,
        bounds=Bounds(lower, upper),
        options={"presolve": True, "time_limit": 60.0},
    )
    if result.x is None:
        if result.status == 2:  # infeasible: no small group can be computed
            return None
        # Undecided (time limit): treat as a breach of the smallest shown cells.
        return Breach(frozenset(), 0, tuple(c.key for c in shown))
    lam, x = result.x[:m], result.x[m:]
    chosen = frozenset(a for c, group in enumerate(members) if x[c] > 0.5 for a in group)
    used = tuple(shown[q].key for q in range(m) if abs(lam[q]) > 1e-7)
    return Breach(chosen, round(float(n @ (x > 0.5))), used)


def computable(shown: Sequence[Candidate], protected: Sequence[Candidate]) -> Breach | None:
    """The first protected cell whose figures follow from the shown cells, if any."""
    if not shown or not protected:
        return None
    atoms = sorted({a for c in (*shown, *protected) for a in c.atoms})
    column = {a: i for i, a in enumerate(atoms)}
    matrix = np.zeros((len(atoms), len(shown)))
    for q, cell in enumerate(shown):
        for a in cell.atoms:
            matrix[column[a], q] = 1.0
    for cell in protected:
        target = np.zeros(len(atoms))
        for a in cell.atoms:
            target[column[a]] = 1.0
        lam, *_ = np.linalg.lstsq(matrix, target, rcond=None)
        if np.linalg.norm(matrix @ lam - target) < 1e-6:
            used = tuple(shown[q].key for q in range(len(shown)) if abs(lam[q]) > 1e-7)
            return Breach(cell.atoms, 0, used)
    return None


def decide(
    candidates: Sequence[Candidate],
    counts: Sequence[int],
    minimum: int,
    *,
    withheld: Mapping[Hashable, str] | None = None,
) -> Outcome:
    """Primary suppression, then hide cells until no small group can be computed.

    ``withheld`` are cells hidden before the search for a reason decided elsewhere (an
    earlier release they would be compared with). A fixed cell is never hidden here.
    """
    if minimum < 2:
        raise ValueError("the minimum must be at least 2")
    keys = [c.key for c in candidates]
    if len(set(keys)) != len(keys):
        raise ValueError("cell keys must be unique")
    outcome = Outcome()
    for cell in candidates:
        n = size(cell, counts)
        if withheld and cell.key in withheld and not cell.fixed:
            outcome.reasons[cell.key] = withheld[cell.key]
        elif n < minimum and not cell.fixed:
            outcome.reasons[cell.key] = TOO_FEW
        else:
            outcome.reasons[cell.key] = SHOWN
    by_key = {c.key: c for c in candidates}
    # A cell withheld because of an earlier release must not be computable either.
    protected = [
        c
        for c in candidates
        if withheld and withheld.get(c.key) == ACROSS_CAMPAIGNS and not c.fixed
    ]
    while True:
        shown = [c for c in candidates if outcome.reasons[c.key] == SHOWN]
        breach = find_breach(shown, counts, minimum) or computable(shown, protected)
        if breach is None:
            return outcome
        outcome.rounds += 1
        movable = [by_key[k] for k in breach.cells if not by_key[k].fixed]
        if not movable:
            movable = [c for c in shown if not c.fixed]
        if not movable:
            return outcome  # only published (fixed) cells are left
        victim = min(movable, key=lambda c: (size(c, counts), str(c.key)))
        outcome.reasons[victim.key] = DIFFERENCE


def small_differences(
    earlier: Mapping[Any, frozenset[int]],
    current: Mapping[Any, frozenset[int]],
    minimum: int,
) -> set[Hashable]:
    """Cells of ``current`` whose people differ from a cell released earlier by 1 to
    ``minimum - 1`` people (either way): comparing the two figures would give that small
    group's answers (a joiner, a leaver, a withdrawn or extra invitation).

    Sets are compared only when their sizes differ by less than the minimum, since the
    difference is at least the difference in size.
    """
    flagged: set[Hashable] = set()
    if not earlier or not current:
        return flagged
    by_size = sorted(earlier.values(), key=len)
    sizes = np.array([len(s) for s in by_size])
    for key, people in current.items():
        low = np.searchsorted(sizes, len(people) - minimum + 1, side="left")
        high = np.searchsorted(sizes, len(people) + minimum - 1, side="right")
        for other in by_size[low:high]:
            apart = len(people ^ other)
            if 0 < apart < minimum:
                flagged.add(key)
                break
    return flagged


def coarsen(atoms: Mapping[Any, int], minimum: int) -> dict[tuple[str, ...], tuple[str, ...]]:
    """Map each stored combination of segment values (org unit path first) to one shared
    by at least ``minimum`` people where possible, so that no stored row carries a
    combination that singles anyone out — in the responses or in the completions.

    A small group loses its last values first (tenure, then level), then climbs the unit
    tree one level at a time, and at the top keeps no unit. Only the group that keeps
    nothing at all can stay small (say the only executive, at the root): the caller
    stores none of its rows (see ``small_groups``), though its answers still count in
    the released figures, which the release decision protects.
    """
    mapping = {atom: atom for atom in atoms}
    if not atoms:
        return mapping

    def grouped() -> dict[tuple[str, ...], int]:
        totals: dict[tuple[str, ...], int] = {}
        for atom, n in atoms.items():
            totals[mapping[atom]] = totals.get(mapping[atom], 0) + n
        return totals

    width = len(next(iter(atoms)))
    for position in range(width - 1, 0, -1):
        totals = grouped()
        for atom in atoms:
            target = mapping[atom]
            if 0 < totals[target] < minimum and target[position]:
                mapping[atom] = (*target[:position], "", *target[position + 1 :])
    while True:
        totals = grouped()
        changed = False
        for atom in atoms:
            target = mapping[atom]
            if 0 < totals[target] < minimum and target[0]:
                mapping[atom] = (_parent_path(target[0]), *target[1:])
                changed = True
        if not changed:
            return mapping


def small_groups(
    atoms: Mapping[Any, int],
    mapping: Mapping[tuple[str, ...], tuple[str, ...]],
    minimum: int,
) -> set[tuple[str, ...]]:
    """The cut-back combinations still shared by fewer than ``minimum`` people."""
    totals: dict[tuple[str, ...], int] = {}
    for atom, n in atoms.items():
        totals[mapping[atom]] = totals.get(mapping[atom], 0) + n
    return {target for target, n in totals.items() if 0 < n < minimum}


def _parent_path(path: str) -> str:
    """ "/1/5/9/" → "/1/5/"; a top-level path → "" (no unit stored)."""
    ids = [p for p in path.split("/") if p]
    return "/" + "/".join(ids[:-1]) + "/" if len(ids) > 1 else ""
