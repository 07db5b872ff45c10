"""Which rater groups an individual report may show: plain Python, no Django.

A report shows the leader's self rating, the others' score (all non-self raters:
the band of record when enough answered) and, beside them, a column per rater
category. The minimum for each category comes from the survey engine's
confidentiality module (``category_minimum``): self and a disclosed manager may be
shown as such; peers and direct reports need the 360 minimum; an undisclosed
manager is never shown alone.

Because the others' score is published, the categories inside it form one
equation: ``others = manager + peers + direct reports``. A hidden group would be
recovered by subtraction whenever every other part is shown, so:

1. a category under its minimum is not shown on its own;
2. the hidden categories are merged into one "other raters" column, shown when the
   merged group reaches the minimum;
3. if the merged group is still under the minimum while the others' score is
   published, the smallest shown category joins it (secondary suppression), and
   last the manager column, until the group reaches the minimum or holds every
   rater (then it is the others' score itself and adds no column).

The result: whatever is shown, every group a reader can compute — a column, or the
others' score minus the shown columns — rests on none or at least the minimum.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from bellwether.surveys.confidentiality import Policy, RaterCategory, category_minimum

OTHER_CATEGORY_ORDER = ("manager", "peer", "direct_report")
LABELS = {
    "self": "Self",
    "manager": "Manager",
    "peer": "Peers",
    "direct_report": "Direct reports",
}


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # "self", "manager", "peer", "direct_report" or "merged"
    label: str
    members: tuple[str, ...]  # the rater categories in it
    n: int


@dataclass(frozen=True, slots=True)
class ColumnPlan:
    columns: tuple[Column, ...]
    suppressed: tuple[str, ...]  # categories with answers that no column shows on its own
    note: str  # what was merged or withheld, for the report


def plan_columns(
    counts: Mapping[str, int],
    *,
    policy: Policy,
    disclosed: Collection[str],
    others_published: bool,
) -> ColumnPlan:
    """Columns for raters who answered ``counts[category]`` (see the module docstring)."""
    columns: list[Column] = []
    self_n = counts.get("self", 0)
    self_min = category_minimum(
        RaterCategory.SELF, policy, disclosed_in_invitation="self" in disclosed
    )
    if self_n > 0 and self_min is not None and self_n >= self_min:
        columns.append(Column("self", LABELS["self"], ("self",), self_n))

    shown: list[str] = []
    hidden: list[str] = []
    for category in OTHER_CATEGORY_ORDER:
        n = counts.get(category, 0)
        if n <= 0:
            continue
        minimum = category_minimum(
            RaterCategory(category), policy, disclosed_in_invitation=category in disclosed
        )
        if minimum is not None and n >= minimum:
            shown.append(category)
        else:
            hidden.append(category)

    group_minimum = policy.min_360_group

    def hidden_n() -> int:
        return sum(counts.get(c, 0) for c in hidden)

    if others_published:
        # Secondary suppression: never leave a small group computable by subtraction.
        while 0 < hidden_n() < group_minimum:
            undisclosed = [c for c in shown if c not in disclosed]
            pool = undisclosed or shown
            if not pool:
                break
            victim = min(pool, key=lambda c: (counts.get(c, 0), OTHER_CATEGORY_ORDER.index(c)))
            shown.remove(victim)
            hidden.append(victim)

    for category in OTHER_CATEGORY_ORDER:
        if category in shown:
            columns.append(Column(category, LABELS[category], (category,), counts[category]))

    suppressed: tuple[str, ...] = ()
    note = ""
    merged_n = hidden_n()
    members = tuple(c for c in OTHER_CATEGORY_ORDER if c in hidden)
    if merged_n > 0:
        everyone_else = not shown
        if merged_n >= group_minimum and not (everyone_else and others_published):
            label = " and ".join(LABELS[c].lower() for c in members).capitalize()
            columns.append(Column("merged", label + " (combined)", members, merged_n))
            note = (
                f"{label} are shown together: on its own a group would rest on fewer "
                f"than {group_minimum} raters or could be worked out from the others' score."
            )
        elif everyone_else and others_published:
            suppressed = members
            note = (
                "Rater categories are not shown separately: a category would rest on fewer "
                f"than {group_minimum} raters; their answers are in the others' score."
            )
        else:
            suppressed = members
            names = [LABELS[c].lower() for c in members]
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            note = (
                f"Ratings from {listed} are not shown: fewer than {group_minimum} of them answered."
            )
    return ColumnPlan(tuple(columns), suppressed, note)
