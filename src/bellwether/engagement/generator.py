"""Generate an Executive AI Engagement Plan (Template 1) from what is known about a leader.

Pure: no Django. The choices are made by the rules and the action catalogue of the
framework data (``CATALOGUE.engagement_rules`` / ``engagement_actions``); every strategy
and action in the result names the rule that produced it.

Decisions written down here:

* Target level: the next band up from the current one; Champion for a sponsor (a leader
  who sponsors an AI initiative, or whose membership has the executive sponsor role);
  a Champion stays Champion. A leader who is not assessed gets no target band until
  the assessment is in ("set after the readiness assessment"), unless a sponsor.
* Timeline: three months (13 weeks) from the start date, the span of the four action
  periods (weeks 1–2, 3–4, month 2, month 3).
* Review schedule: every cadence of Template 1 repeated at its interval from the start
  date up to the end of the timeline (weekly: 13 check-ins, monthly: 3, quarterly: 1).
* Success metrics never carry invented numbers: a metric without a source says so.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bellwether.framework.catalogue import (
    CATALOGUE,
    ENGAGEMENT_METRIC_BEHAVIOUR_FREQUENCY,
    ENGAGEMENT_METRIC_EMPLOYEE_PERCEPTION,
    ENGAGEMENT_METRIC_INITIATIVE_SUPPORT,
    ENGAGEMENT_METRIC_PERSONAL_TOOL_USAGE,
    FRAMEWORK_VERSION,
    EngagementAction,
    EngagementRule,
    entry,
)

PLAN_DAYS = 91
PRIMARY, SECONDARY = "primary", "secondary"
WEIGHTS = (PRIMARY, SECONDARY)
MAX_MESSENGERS_NAMED = 2

TARGET_NEXT_BAND = "target.next_band_up"
TARGET_SPONSOR = "target.sponsor_champion"
TARGET_KEEP = "target.keep_champion"
TARGET_LATER = "target.after_assessment"

TARGET_RULE_TEXT = {
    TARGET_NEXT_BAND: "Target is the next band up from the current band.",
    TARGET_SPONSOR: "A sponsor's target is Champion.",
    TARGET_KEEP: "A Champion's target is to stay Champion.",
    TARGET_LATER: "Not assessed: the target is set after the readiness assessment.",
}

# Where each Template 1 success metric will read its data, once that data exists.
METRIC_SOURCES = {
    ENGAGEMENT_METRIC_BEHAVIOUR_FREQUENCY: "the leadership behaviours log (§3.3)",
    ENGAGEMENT_METRIC_EMPLOYEE_PERCEPTION: "the employee pulse (confidence in AI leadership, communication effectiveness)",
    ENGAGEMENT_METRIC_INITIATIVE_SUPPORT: "AI initiative sponsorship and gate endorsements",
    ENGAGEMENT_METRIC_PERSONAL_TOOL_USAGE: "AI tool usage data",
}


@dataclass(frozen=True)
class Messenger:
    name: str
    reason: str = ""


@dataclass(frozen=True)
class Influencer:
    name: str
    band_name: str


@dataclass(frozen=True)
class Figure:
    """A live figure for a success metric (e.g. a pulse KPI); ``value`` in percent."""

    metric_key: str
    label: str
    value: float
    n: int


@dataclass(frozen=True)
class LeaderFacts:
    name: str
    start: datetime.date
    level: str = ""  # executive / senior / operational / ""
    role: str = ""
    band_key: str | None = None
    sponsor: bool = False
    barriers: Mapping[str, str] = field(default_factory=dict)  # barrier key -> primary/secondary
    concerns: Mapping[str, str] = field(default_factory=dict)  # concern key -> primary/secondary
    drivers: Mapping[str, str] = field(default_factory=dict)  # driver key -> free text
    failure_modes: tuple[str, ...] = ()
    influencer_resistance: tuple[Influencer, ...] = ()
    messengers: tuple[Messenger, ...] = ()
    resource_constraints: str = ""
    figures: tuple[Figure, ...] = ()


def _name(key: str) -> str:
    found = entry(key)
    return str(getattr(found, "name", None) or getattr(found, "text", key))


def band_label(band_key: str | None) -> str:
    return _name(band_key) if band_key else "Not assessed"


def target_for(band_key: str | None, *, sponsor: bool) -> tuple[str | None, str]:
    """(target band key or None, the target rule key)."""
    bands = CATALOGUE.instrument.bands  # Champion first
    champion = bands[0].key
    if band_key == champion:
        return champion, TARGET_KEEP
    if sponsor:
        return champion, TARGET_SPONSOR
    if band_key is None:
        return None, TARGET_LATER
    keys = [b.key for b in bands]
    return keys[keys.index(band_key) - 1], TARGET_NEXT_BAND


def _rule_hits(facts: LeaderFacts, rule: EngagementRule) -> int:
    """The weight this rule adds for these facts (0 when it does not apply)."""
    if rule.trigger == "barrier":
        marks = [facts.barriers.get(key) for key in rule.matches]
        return sum(rule.weight * (2 if mark == PRIMARY else 1) for mark in marks if mark)
    if rule.trigger == "concern":
        marks = [facts.concerns.get(key) for key in rule.matches]
        return sum(rule.weight * (2 if mark == PRIMARY else 1) for mark in marks if mark)
    if rule.trigger == "band":
        return rule.weight if (facts.band_key or "none") in rule.matches else 0
    if rule.trigger == "failure_mode":
        return rule.weight if set(facts.failure_modes) & set(rule.matches) else 0
    if rule.trigger == "influencer":
        return rule.weight if facts.influencer_resistance else 0
    if rule.trigger == "sponsor":
        return rule.weight if facts.sponsor else 0
    if rule.trigger == "driver":
        text = facts.drivers.get(rule.field, "").lower()
        return rule.weight if text and any(word in text for word in rule.matches) else 0
    return 0  # "default" rules are applied after the others


@dataclass
class _Choice:
    key: str
    score: int = 0
    rules: list[tuple[str, int]] = field(default_factory=list)  # (rule key, added weight)


def choose_strategies(
    facts: LeaderFacts, rules: Sequence[EngagementRule] = CATALOGUE.engagement_rules
) -> tuple[list[dict[str, Any]], set[str]]:
    """All six strategies with their score and the rules that chose them (strongest
    first), and the action focuses the matched rules ask for."""
    strategies = CATALOGUE.engagement_plan.strategies
    choices = {s.key: _Choice(s.key) for s in strategies}
    focuses: set[str] = set()
    matched = False
    for rule in rules:
        added = _rule_hits(facts, rule)
        if added:
            matched = True
            choices[rule.strategy].score += added
            choices[rule.strategy].rules.append((rule.key, added))
            if rule.focus:
                focuses.add(rule.focus)
    if not matched:
        for rule in rules:
            if rule.trigger == "default":
                choices[rule.strategy].score += rule.weight
                choices[rule.strategy].rules.append((rule.key, rule.weight))
    order = {s.key: i for i, s in enumerate(strategies)}
    result: list[dict[str, Any]] = []
    for strategy in strategies:
        choice = choices[strategy.key]
        result.append(
            {
                "key": strategy.key,
                "name": strategy.name,
                "chosen": choice.score > 0,
                "score": choice.score,
                "rules": [key for key, _ in sorted(choice.rules, key=lambda kv: -kv[1])],
            }
        )
    result.sort(key=lambda s: (-s["score"], order[s["key"]]))
    return result, focuses


def _messenger_text(messengers: Sequence[Messenger]) -> str:
    names = [m.name for m in messengers[:MAX_MESSENGERS_NAMED]]
    if not names:
        return "a respected Champion or Supporter peer (no messenger mapped yet)"
    return " and ".join(names)


def _rank_actions(actions: Iterable[EngagementAction], focuses: set[str]) -> list[EngagementAction]:
    def rank(action: EngagementAction) -> int:
        if action.focus and action.focus in focuses:
            return 0
        return 1 if not action.focus else 2

    return sorted(actions, key=rank)  # stable: catalogue order within a rank


def plan_actions(
    chosen: Sequence[dict[str, Any]],
    focuses: set[str],
    messengers: Sequence[Messenger],
    catalogue_actions: Sequence[EngagementAction] = CATALOGUE.engagement_actions,
) -> list[dict[str, Any]]:
    """``actions_per_period`` actions per period, taken in turn from the chosen strategies
    (strongest first, the turn carrying over between periods so every strategy appears)."""
    per_period = CATALOGUE.engagement_plan.actions_per_period
    strategies = [s for s in chosen if s["chosen"]]
    actions: list[dict[str, Any]] = []
    if not strategies:
        return actions
    cursor = 0
    for period in CATALOGUE.engagement_plan.action_periods:
        pools = {
            s["key"]: _rank_actions(
                (a for a in catalogue_actions if a.strategy == s["key"] and a.period == period.key),
                focuses,
            )
            for s in strategies
        }
        taken = 0
        misses = 0
        while taken < per_period and misses < len(strategies):
            strategy = strategies[cursor % len(strategies)]
            cursor += 1
            pool = pools[strategy["key"]]
            if not pool:
                misses += 1
                continue
            misses = 0
            action = pool.pop(0)
            text = action.text
            named: list[str] = []
            if "{messengers}" in text:
                text = text.replace("{messengers}", _messenger_text(messengers))
                named = [m.name for m in messengers[:MAX_MESSENGERS_NAMED]]
            actions.append(
                {
                    "id": f"a{len(actions) + 1}",
                    "period": period.key,
                    "text": text,
                    "strategy": strategy["key"],
                    "action_key": action.key,
                    "rule": strategy["rules"][0],
                    "messengers": named,
                    "done": False,
                    "source": "generated",
                }
            )
            taken += 1
    return actions


def review_schedule(start: datetime.date, end: datetime.date) -> list[dict[str, Any]]:
    """Every Template 1 review cadence with its due dates from ``start`` to ``end``."""
    schedule = []
    for cadence in CATALOGUE.engagement_plan.review_schedule:
        assert cadence.interval_days is not None
        dates = []
        day = start + datetime.timedelta(days=cadence.interval_days)
        while day <= end:
            dates.append(day.isoformat())
            day += datetime.timedelta(days=cadence.interval_days)
        schedule.append({"key": cadence.key, "name": cadence.text, "due": dates})
    return schedule


def success_metrics(figures: Sequence[Figure]) -> list[dict[str, Any]]:
    metrics = []
    for metric in CATALOGUE.engagement_plan.success_metrics:
        found = [f for f in figures if f.metric_key == metric.key]
        source = METRIC_SOURCES.get(metric.key, "its data source")
        if found:
            value = "; ".join(f"{f.label}: {f.value:.0f}% (n={f.n})" for f in found)
            note = "Organisation-wide, from the latest closed pulse."
        else:
            value = None
            note = f"No data yet — reads {source} once it exists."
        metrics.append(
            {"key": metric.key, "name": metric.name, "value": value, "note": note, "source": source}
        )
    return metrics


def _marks(marks: Mapping[str, str], weight: str) -> list[dict[str, str]]:
    return [
        {"key": key, "name": _name(key), "weight": mark}
        for key, mark in sorted(marks.items())
        if mark == weight
    ]


def generate(facts: LeaderFacts) -> dict[str, Any]:
    """The plan as JSON-ready data."""
    for key, mark in (*facts.barriers.items(), *facts.concerns.items()):
        if mark not in WEIGHTS:
            raise ValueError(f"{key}: a barrier is primary or secondary, not {mark!r}")
    end = facts.start + datetime.timedelta(days=PLAN_DAYS)
    target_key, target_rule = target_for(facts.band_key, sponsor=facts.sponsor)
    strategies, focuses = choose_strategies(facts)
    marks = {**facts.barriers, **facts.concerns}
    return {
        "framework_version": FRAMEWORK_VERSION,
        "executive": facts.name,
        "role": facts.role,
        "level": facts.level,
        "sponsor": facts.sponsor,
        "current_band": facts.band_key,
        "current_label": band_label(facts.band_key),
        "target_band": target_key,
        "target_label": band_label(target_key) if target_key else "Set after the assessment",
        "target_rule": target_rule,
        "timeline": {
            "start": facts.start.isoformat(),
            "end": end.isoformat(),
            "text": f"3 months, {facts.start.isoformat()} to {end.isoformat()}",
        },
        "obstacles": {
            "primary_barriers": _marks(marks, PRIMARY),
            "secondary_concerns": _marks(marks, SECONDARY),
            "influencer_resistance": [
                {"name": i.name, "band": i.band_name} for i in facts.influencer_resistance
            ],
            "resource_constraints": facts.resource_constraints,
        },
        "failure_modes": [{"key": k, "name": _name(k)} for k in facts.failure_modes],
        "strategies": strategies,
        "messengers": [{"name": m.name, "reason": m.reason} for m in facts.messengers],
        "actions": plan_actions(strategies, focuses, facts.messengers),
        "metrics": success_metrics(facts.figures),
        "reviews": review_schedule(facts.start, end),
    }


def due_dates(reviews: Sequence[Mapping[str, Any]]) -> list[tuple[str, datetime.date]]:
    """(cadence key, due date) for every review of a plan, earliest first."""
    found = [
        (str(r["key"]), datetime.date.fromisoformat(d)) for r in reviews for d in r.get("due", [])
    ]
    return sorted(found, key=lambda kd: (kd[1], kd[0]))


def next_review(
    reviews: Sequence[Mapping[str, Any]], done: Iterable[tuple[str, datetime.date]]
) -> tuple[str, datetime.date] | None:
    """The earliest review not yet recorded as done (None when all are done)."""
    finished = set(done)
    for key, day in due_dates(reviews):
        if (key, day) not in finished:
            return key, day
    return None


def rule_text(key: str) -> str:
    """The plain text of a generation rule (or target rule) for display."""
    if key in TARGET_RULE_TEXT:
        return TARGET_RULE_TEXT[key]
    if key == "manual":
        return "Added by hand."
    for rule in CATALOGUE.engagement_rules:
        if rule.key == key:
            return rule.text
    return key
