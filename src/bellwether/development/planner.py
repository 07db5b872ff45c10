"""The learning-plan planner (§2.2, Template 3): which tiers a leader takes, which modules
fall in which month and in what order, and when the milestone reviews are due.

Plain Python (no Django): the services feed it facts read from the database and store
what it returns; tests call it directly.

* **Tiers** follow ``catalogue.TIER_RULES`` (Tier 1 for every leader, Tier 2 for the
  executive and senior levels, Tier 3 for AI sponsors) unless an admin has overridden
  them for the leader.
* **Modules**: the Template 3 months first (foundation, application, integration), then
  each tier's modules in the month they belong to (Tier 1 by its own months, Tier 2 and
  Tier 3 additional requirements by ``TIER_BLOCK_MONTH``), a module whose slug is
  already on the plan left out. An organisation's own modules of a tier the leader
  takes join the month they name (the last month when they name none).
* **Order**: within a month, the modules of the leader's lowest readiness dimension come
  first (then the next lowest, …); ties and leaders without a released readiness keep
  the catalogue's order.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from bellwether.framework.catalogue import (
    CATALOGUE,
    MODULE_DIMENSIONS,
    PLAN_MONTH_DAYS,
    TIER_BLOCK_MONTH,
    TIER_RULES,
    module_slug,
)

MONTHS = tuple(m.month or 0 for m in CATALOGUE.development_plan.months)
TIER_KEYS = tuple(t.key for t in CATALOGUE.learning_tiers)


@dataclass(frozen=True, slots=True)
class OwnModule:
    """A module the organisation added to its catalogue of learning."""

    key: str
    title: str
    hours: float
    tier: str
    month: int | None
    dimension: str = ""


@dataclass(frozen=True, slots=True)
class PlannedItem:
    key: str
    title: str
    source: str  # "template", "tier" or "organisation"
    tier: str
    month: int
    dimension: str
    hours: float
    due: datetime.date


@dataclass(frozen=True, slots=True)
class PlannedMilestone:
    key: str
    name: str
    due: datetime.date


@dataclass(frozen=True, slots=True)
class Draft:
    tiers: tuple[str, ...]
    tier_rule: str
    dimension_order: tuple[str, ...]
    items: tuple[PlannedItem, ...]
    milestones: tuple[PlannedMilestone, ...]
    months: tuple[tuple[int, str, float], ...] = field(default=())  # (month, name, hours)

    @property
    def planned_hours(self) -> float:
        return sum(item.hours for item in self.items)


def tiers_for(level: str, *, sponsor: bool) -> tuple[str, ...]:
    """The tiers the rule gives a leader of ``level`` (a sponsor or not), in tier order."""
    if not level:
        return ()
    return tuple(
        rule.tier for rule in TIER_RULES if level in rule.levels or (rule.sponsors and sponsor)
    )


def tier_rule_text(tiers: Iterable[str]) -> str:
    wanted = set(tiers)
    return "; ".join(rule.text for rule in TIER_RULES if rule.tier in wanted)


def dimension_order(scores: Mapping[str, float | None]) -> tuple[str, ...]:
    """Dimension keys from the lowest score up; unscored dimensions last; ties in the
    catalogue's order."""
    order = [d.key for d in CATALOGUE.instrument.dimensions]
    return tuple(
        sorted(
            order,
            key=lambda k: (
                scores.get(k) is None,
                scores.get(k) or 0.0,
                order.index(k),
            ),
        )
    )


def month_end(start: datetime.date, month: int) -> datetime.date:
    return start + datetime.timedelta(days=PLAN_MONTH_DAYS * month - 1)


def _candidates(
    tiers: Sequence[str], own: Iterable[OwnModule]
) -> list[tuple[str, str, str, str, int, str, float]]:
    """(key, title, source, tier, month, dimension, hours) before ordering."""
    out = []
    seen: set[str] = set()
    for block in CATALOGUE.development_plan.months:
        for module in block.modules:
            slug = module_slug(module.key)
            seen.add(slug)
            out.append(
                (
                    module.key,
                    module.title,
                    "template",
                    "",
                    block.month or 1,
                    MODULE_DIMENSIONS[slug],
                    float(module.hours),
                )
            )
    for tier in CATALOGUE.learning_tiers:
        if tier.key not in tiers:
            continue
        for block in tier.blocks:
            month = block.month or TIER_BLOCK_MONTH[block.key]
            for module in block.modules:
                slug = module_slug(module.key)
                if slug in seen:
                    continue
                seen.add(slug)
                out.append(
                    (
                        module.key,
                        module.title,
                        "tier",
                        tier.key,
                        month,
                        MODULE_DIMENSIONS[slug],
                        float(module.hours),
                    )
                )
    for extra in own:
        if extra.tier in tiers:
            month = extra.month if extra.month in MONTHS else MONTHS[-1]
            out.append(
                (
                    extra.key,
                    extra.title,
                    "organisation",
                    extra.tier,
                    month,
                    extra.dimension,
                    extra.hours,
                )
            )
    return out


def plan(
    *,
    level: str,
    sponsor: bool,
    start: datetime.date,
    scores: Mapping[str, float | None] | None = None,
    tiers_override: Sequence[str] | None = None,
    own_modules: Iterable[OwnModule] = (),
) -> Draft:
    """The plan a leader gets. ``scores`` are their released readiness dimension scores
    (None or empty: not assessed); ``tiers_override`` an admin's choice of tiers."""
    if tiers_override:
        unknown = [t for t in tiers_override if t not in TIER_KEYS]
        if unknown:
            raise ValueError(f"Unknown tier: {', '.join(unknown)}.")
        tiers = tuple(t for t in TIER_KEYS if t in set(tiers_override))
        rule = "Chosen by an admin"
    else:
        tiers = tiers_for(level, sponsor=sponsor)
        rule = tier_rule_text(tiers)
    order = dimension_order(scores or {}) if scores else ()
    rank = {key: n for n, key in enumerate(order)}
    rows = _candidates(tiers, own_modules)
    positioned = sorted(
        enumerate(rows), key=lambda p: (p[1][4], rank.get(p[1][5], len(rank)), p[0])
    )
    items = tuple(
        PlannedItem(
            key=key,
            title=title,
            source=source,
            tier=tier,
            month=month,
            dimension=dim,
            hours=hours,
            due=month_end(start, month),
        )
        for _, (key, title, source, tier, month, dim, hours) in positioned
    )
    milestones = tuple(
        PlannedMilestone(m.key, m.name, start + datetime.timedelta(days=m.day))
        for m in CATALOGUE.development_plan.milestone_reviews
    )
    months = tuple(
        (
            block.month or 0,
            block.name,
            sum(i.hours for i in items if i.month == block.month),
        )
        for block in CATALOGUE.development_plan.months
    )
    return Draft(
        tiers=tiers,
        tier_rule=rule,
        dimension_order=order,
        items=items,
        milestones=milestones,
        months=months,
    )


def behind(
    *,
    planned_by_month: Mapping[int, float],
    done_hours: float,
    start: datetime.date,
    today: datetime.date,
) -> bool:
    """Whether a plan is behind: fewer hours done than planned for the months that have
    ended by ``today``."""
    elapsed = [m for m in planned_by_month if month_end(start, m) < today]
    expected = sum(planned_by_month[m] for m in elapsed)
    return done_hours + 1e-9 < expected
