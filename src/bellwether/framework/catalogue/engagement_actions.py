"""§1.3 / Template 1: the action catalogue a generated plan draws from, per strategy and
action period.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from importlib import resources

from bellwether.framework.catalogue._base import check
from bellwether.framework.catalogue.engagement import ENGAGEMENT_PLAN
from bellwether.framework.catalogue.engagement_rules import ENGAGEMENT_RULES, STRATEGY_PREFIX


@dataclass(frozen=True, slots=True)
class EngagementAction:
    """One action of the catalogue: for a strategy and an action period. ``{messengers}``
    in the text is replaced by the messengers named for the leader."""

    key: str
    strategy: str
    period: str
    text: str
    focus: str = ""


_SOURCE = "engagement_actions.csv"


def _load() -> tuple[EngagementAction, ...]:
    """The catalogue is data: one row per action in ``engagement_actions.csv`` (strategy,
    slug, period, focus, text), in the order the plan offers them."""
    text = (
        resources.files(__name__.rpartition(".")[0]).joinpath(_SOURCE).read_text(encoding="utf-8")
    )
    return tuple(
        EngagementAction(
            key=f"engagement_action.{row['strategy']}.{row['slug']}",
            strategy=STRATEGY_PREFIX + row["strategy"],
            period=f"action_period.{row['period']}",
            text=row["text"],
            focus=row["focus"],
        )
        for row in csv.DictReader(io.StringIO(text))
    )


ENGAGEMENT_ACTIONS = _load()


_STRATEGY_KEYS = {s.key for s in ENGAGEMENT_PLAN.strategies}
_PERIOD_KEYS = [p.key for p in ENGAGEMENT_PLAN.action_periods]
for _r in ENGAGEMENT_RULES:
    check(_r.strategy in _STRATEGY_KEYS, f"{_r.key}: unknown strategy {_r.strategy}")
    check(_r.trigger != "driver" or bool(_r.field), f"{_r.key}: a driver rule names its field")
check(
    len({a.key for a in ENGAGEMENT_ACTIONS}) == len(ENGAGEMENT_ACTIONS),
    f"{_SOURCE}: an action key stands twice",
)
for _a in ENGAGEMENT_ACTIONS:
    check(_a.strategy in _STRATEGY_KEYS, f"{_a.key}: unknown strategy {_a.strategy}")
    check(_a.period in _PERIOD_KEYS, f"{_a.key}: unknown action period {_a.period}")
for _strategy in _STRATEGY_KEYS:
    for _period in _PERIOD_KEYS:
        check(
            sum(a.strategy == _strategy and a.period == _period for a in ENGAGEMENT_ACTIONS)
            >= ENGAGEMENT_PLAN.actions_per_period,
            f"{_strategy} needs {ENGAGEMENT_PLAN.actions_per_period} actions in {_period}",
        )
