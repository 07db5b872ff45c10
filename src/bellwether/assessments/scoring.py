"""Readiness scoring (§1.1 scorecard, seed 001 failure modes): plain Python, no Django.

One leader, one cycle: the ratings of the leader (self) and of the raters (manager,
peers, direct reports) go in; the scores, the band of record and what to read from
them come out. Every rule the report states is written here, as data where it can be.

Rules
-----
* **Item scores.** ``self`` is the leader's own answer; ``others`` is the mean of the
  answers of the non-self raters who answered the item; ``record`` is ``others`` when
  others are shown, else ``self``.
* **Missing answers.** A total always spans the 20 items: an item nobody in a group
  answered counts as the mean of that group's answered items in the same dimension
  (or of all its answered items when the whole dimension is unanswered). With every
  item answered — the usual case — this changes nothing.
* **Totals** are sums of item scores, 20–100; dimension scores are sums of their five
  item scores, 5–25.
* **Band of record.** Others' total when at least ``minimum_others`` non-self raters
  answered and the release allows the others' score (``others_allowed``: it may not,
  when comparing it with an earlier cycle's would isolate a few raters, see
  ``rater_columns``); otherwise the self total, marked *self-reported*. When the
  others' score is not shown it is not kept at all.
* **Fractional totals** (an others' mean) are banded after rounding half up to the
  nearest whole point: 69.5 is Supporter, 69.49 is Cautious. The §1.1 bands are
  inclusive whole-point ranges (Champion 85–100, Supporter 70–84, Cautious 55–69,
  Skeptical 40–54, Resistant below 40).
* **Blind spots / hidden strengths** (only when others are shown): self at least one
  point above / below others on an item.
* **Priorities**: the two lowest dimensions by record score (ties: catalogue order),
  each with the items pulling it down (those below the dimension's mean item score,
  lowest first; all of them when the items are level).
* **Failure-mode signal**: ``FAILURE_MODE_RULES`` below, on record item scores.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from bellwether.framework import catalogue
from bellwether.framework.catalogue import CATALOGUE

SELF = "self"
RATER_CATEGORIES = ("self", "manager", "peer", "direct_report")
OTHER_CATEGORIES = ("manager", "peer", "direct_report")

# A gap of a whole point between self and others on an item (issue 4).
GAP_THRESHOLD = 1.0
_EPSILON = 1e-9

#: An item or dimension (as its mean item score, 1–5) at or below this is "low".
LOW_THRESHOLD = 2.5
#: An item or dimension (as its mean item score, 1–5) at or above this is "high".
HIGH_THRESHOLD = 4.0

PRIORITY_COUNT = 2


@dataclass(frozen=True, slots=True)
class Condition:
    """A test on a record score, on the 1–5 scale (a dimension is its mean item score)."""

    kind: Literal["item", "dimension"]
    key: str
    op: Literal["<=", ">="]
    threshold: float

    def holds(self, value: float | None) -> bool:
        if value is None:
            return False
        if self.op == "<=":
            return value <= self.threshold + _EPSILON
        return value >= self.threshold - _EPSILON

    def describe(self) -> str:
        if self.kind == "dimension":
            name = catalogue.dimension(self.key).name
            what = f"{name} (mean item score)"
        else:
            what = catalogue.entry(self.key).text if _is_catalogue_item(self.key) else self.key
        where = "at or below" if self.op == "<=" else "at or above"
        return f"{what} {where} {self.threshold:g} of 5"


@dataclass(frozen=True, slots=True)
class FailureModeRule:
    """A failure mode (catalogue key) fires when every condition of ANY group holds."""

    key: str
    summary: str
    any_of: tuple[tuple[Condition, ...], ...]

    def fires(self, items: Mapping[str, float | None], dims: Mapping[str, float | None]) -> bool:
        for group in self.any_of:
            if all(
                c.holds(items.get(c.key) if c.kind == "item" else dims.get(c.key)) for c in group
            ):
                return True
        return False

    def describe(self) -> str:
        groups = [" and ".join(c.describe() for c in group) for group in self.any_of]
        return f"{self.summary} Signalled when " + "; or when ".join(groups) + "."


def _low(kind: Literal["item", "dimension"], key: str) -> Condition:
    return Condition(kind, key, "<=", LOW_THRESHOLD)


def _high(kind: Literal["item", "dimension"], key: str) -> Condition:
    return Condition(kind, key, ">=", HIGH_THRESHOLD)


#: Seed 001's failure modes read from a score pattern. The report prints ``describe()``.
FAILURE_MODE_RULES: tuple[FailureModeRule, ...] = (
    FailureModeRule(
        catalogue.FAILURE_DISENGAGED,
        "Stays outside the initiative: low Leadership Behaviours, especially personal "
        "modelling and timely decisions, whatever the attitude.",
        (
            (_low("dimension", catalogue.DIMENSION_BEHAVIOURS),),
            (
                _low("item", catalogue.ITEM_MODELS_ADOPTION),
                _low("item", catalogue.ITEM_TIMELY_DECISIONS),
            ),
        ),
    ),
    FailureModeRule(
        catalogue.FAILURE_FEARFUL,
        "Low comfort with uncertainty and low enthusiasm.",
        (
            (
                _low("item", catalogue.ITEM_COMFORT_WITH_UNCERTAINTY),
                _low("item", catalogue.ITEM_ENTHUSIASM),
            ),
        ),
    ),
    FailureModeRule(
        catalogue.FAILURE_UNCRITICALLY_ENTHUSIASTIC,
        "High enthusiasm with low understanding of implementation challenges and risks.",
        (
            (
                _high("item", catalogue.ITEM_ENTHUSIASM),
                _low("item", catalogue.ITEM_IMPLEMENTATION_CHALLENGES),
                _low("item", catalogue.ITEM_RISKS_AND_OPPORTUNITIES),
            ),
        ),
    ),
)

BAND_OF_RECORD_RULE = (
    "The band of record uses the others' score (the mean of manager, peer and direct-report "
    "ratings) when at least {minimum} raters other than the leader answered; otherwise it uses "
    "the leader's self score and is marked self-reported. A fractional score is rounded half "
    "up to the nearest whole point before banding (69.5 counts as 70)."
)


def _is_catalogue_item(key: str) -> bool:
    try:
        return isinstance(catalogue.entry(key), catalogue.InstrumentItem)
    except KeyError:
        return False


def band_of_record_rule(minimum_others: int) -> str:
    return BAND_OF_RECORD_RULE.format(minimum=minimum_others)


def failure_mode_rules_text() -> list[dict[str, str]]:
    """Each rule as {key, name, rule} for a report."""
    return [
        {"key": r.key, "name": catalogue.entry(r.key).name, "rule": r.describe()}
        for r in FAILURE_MODE_RULES
    ]


def round_half_up(value: float) -> int:
    """Nearest whole point, halves up (float noise below 1e-6 is ignored)."""
    return int(Decimal(repr(round(value, 6))).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def band_key_for(total: float, instrument: catalogue.Instrument = CATALOGUE.instrument) -> str:
    """The band of a (possibly fractional) total: rounded half up, bounds inclusive."""
    whole = round_half_up(total)
    for candidate in instrument.bands:
        if candidate.contains(whole):
            return candidate.key
    raise ValueError(f"A total must be between {instrument.min_total} and {instrument.max_total}.")


@dataclass(frozen=True, slots=True)
class RaterRatings:
    category: str  # "self" | "manager" | "peer" | "direct_report"
    answers: Mapping[str, int]  # catalogue item key -> 1..5 (missing = not answered)


Scores = dict[str, dict[str, float | None]]


@dataclass(frozen=True)
class LeaderScore:
    total: float | None
    band_key: str | None
    self_reported: bool
    self_total: float | None
    others_total: float | None
    others_count: int
    dimension_scores: Scores
    item_scores: Scores
    blind_spots: tuple[str, ...]
    hidden_strengths: tuple[str, ...]
    priorities: tuple[str, ...]
    failure_modes: tuple[str, ...]
    priority_items: dict[str, tuple[str, ...]] = field(default_factory=dict)
    others_shown: bool = False
    minimum_others: int = 0
    band_total: int | None = None  # the whole-point total the band was read from

    def to_json(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "band_key": self.band_key,
            "self_reported": self.self_reported,
            "self_total": self.self_total,
            "others_total": self.others_total,
            "others_count": self.others_count,
            "dimension_scores": {k: dict(v) for k, v in self.dimension_scores.items()},
            "item_scores": {k: dict(v) for k, v in self.item_scores.items()},
            "blind_spots": list(self.blind_spots),
            "hidden_strengths": list(self.hidden_strengths),
            "priorities": list(self.priorities),
            "failure_modes": list(self.failure_modes),
            "priority_items": {k: list(v) for k, v in self.priority_items.items()},
            "others_shown": self.others_shown,
            "minimum_others": self.minimum_others,
            "band_total": self.band_total,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> LeaderScore:
        return cls(
            total=data.get("total"),
            band_key=data.get("band_key"),
            self_reported=bool(data.get("self_reported", False)),
            self_total=data.get("self_total"),
            others_total=data.get("others_total"),
            others_count=int(data.get("others_count", 0)),
            dimension_scores={k: dict(v) for k, v in (data.get("dimension_scores") or {}).items()},
            item_scores={k: dict(v) for k, v in (data.get("item_scores") or {}).items()},
            blind_spots=tuple(data.get("blind_spots") or ()),
            hidden_strengths=tuple(data.get("hidden_strengths") or ()),
            priorities=tuple(data.get("priorities") or ()),
            failure_modes=tuple(data.get("failure_modes") or ()),
            priority_items={k: tuple(v) for k, v in (data.get("priority_items") or {}).items()},
            others_shown=bool(data.get("others_shown", False)),
            minimum_others=int(data.get("minimum_others", 0)),
            band_total=data.get("band_total"),
        )


def _filled(
    item_values: Mapping[str, float | None], instrument: catalogue.Instrument
) -> dict[str, float] | None:
    """Item values with gaps filled by the dimension's (else the overall) answered mean."""
    answered = [v for v in item_values.values() if v is not None]
    if not answered:
        return None
    overall = sum(answered) / len(answered)
    result: dict[str, float] = {}
    for dim in instrument.dimensions:
        values = [item_values.get(i.key) for i in dim.items]
        present = [v for v in values if v is not None]
        fill = sum(present) / len(present) if present else overall
        for item in dim.items:
            value = item_values.get(item.key)
            result[item.key] = fill if value is None else value
    return result


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def score_leader(
    *,
    ratings: Sequence[RaterRatings],
    minimum_others: int,
    others_allowed: bool = True,
    instrument: catalogue.Instrument = CATALOGUE.instrument,
) -> LeaderScore:
    """Score one leader in one cycle (see the module docstring for every rule)."""
    items = [item for dim in instrument.dimensions for item in dim.items]
    item_keys = [item.key for item in items]

    self_answers: dict[str, float | None] = dict.fromkeys(item_keys)
    others_sum: dict[str, float] = dict.fromkeys(item_keys, 0.0)
    others_n: dict[str, int] = dict.fromkeys(item_keys, 0)
    others_count = 0
    low, high = instrument.scale_min, instrument.scale_max
    for rating in ratings:
        if rating.category not in RATER_CATEGORIES:
            raise ValueError(f"Unknown rater category {rating.category!r}.")
        valid = {
            k: v
            for k, v in rating.answers.items()
            if k in others_sum and type(v) is int and low <= v <= high
        }
        if rating.category == SELF:
            for key, value in valid.items():
                self_answers[key] = float(value)
            continue
        if valid:
            others_count += 1
        for key, value in valid.items():
            others_sum[key] += value
            others_n[key] += 1

    others_shown = others_allowed and others_count >= max(1, minimum_others)
    others_items: dict[str, float | None] = {
        k: (others_sum[k] / others_n[k] if others_n[k] and others_shown else None)
        for k in item_keys
    }
    self_filled = _filled(self_answers, instrument)
    others_filled = _filled(others_items, instrument) if others_shown else None

    def total_of(values: Mapping[str, float] | None) -> float | None:
        return None if values is None else sum(values[k] for k in item_keys)

    self_total = total_of(self_filled)
    others_total = total_of(others_filled)
    record_filled: dict[str, float] | None
    total: float | None
    if others_total is not None:
        record_filled, total, self_reported = others_filled, others_total, False
        record_items = others_items
    else:
        record_filled, total, self_reported = self_filled, self_total, self_total is not None
        record_items = self_answers

    item_scores: Scores = {
        k: {
            "self": _r(self_answers[k]),
            "others": _r(others_items[k]),
            "record": _r(record_items[k]),
        }
        for k in item_keys
    }
    dimension_scores: Scores = {}
    dim_means: dict[str, float | None] = {}
    for dim in instrument.dimensions:
        keys = [i.key for i in dim.items]

        def dim_total(values: Mapping[str, float] | None, keys: list[str] = keys) -> float | None:
            return None if values is None else sum(values[k] for k in keys)

        record = dim_total(record_filled)
        dimension_scores[dim.key] = {
            "self": _r(dim_total(self_filled)),
            "others": _r(dim_total(others_filled)),
            "record": _r(record),
        }
        dim_means[dim.key] = None if record is None else record / len(keys)

    blind: list[str] = []
    hidden: list[str] = []
    if others_shown:
        for key in item_keys:
            mine, theirs = self_answers[key], others_items[key]
            if mine is None or theirs is None:
                continue
            if mine - theirs >= GAP_THRESHOLD - _EPSILON:
                blind.append(key)
            elif theirs - mine >= GAP_THRESHOLD - _EPSILON:
                hidden.append(key)

    priorities: tuple[str, ...] = ()
    priority_items: dict[str, tuple[str, ...]] = {}
    failure_modes: tuple[str, ...] = ()
    band_key: str | None = None
    band_total: int | None = None
    if record_filled is not None and total is not None:
        order = {dim.key: n for n, dim in enumerate(instrument.dimensions)}
        ranked = sorted(
            instrument.dimensions,
            key=lambda d: (dimension_scores[d.key]["record"] or 0.0, order[d.key]),
        )
        priorities = tuple(d.key for d in ranked[:PRIORITY_COUNT])
        for dim in ranked[:PRIORITY_COUNT]:
            values = {i.key: record_filled[i.key] for i in dim.items}
            mean = sum(values.values()) / len(values)
            below = [k for k in values if values[k] < mean - _EPSILON]
            chosen = below or list(values)
            chosen.sort(key=lambda k: (values[k], item_keys.index(k)))
            priority_items[dim.key] = tuple(chosen)
        failure_modes = tuple(
            rule.key for rule in FAILURE_MODE_RULES if rule.fires(record_filled, dim_means)
        )
        # Banded from the stored (4-decimal) total, so the stored total and band agree.
        band_total = round_half_up(round(total, 4))
        band_key = band_key_for(round(total, 4), instrument)

    return LeaderScore(
        total=_r(total),
        band_key=band_key,
        self_reported=self_reported,
        self_total=_r(self_total),
        others_total=_r(others_total),
        others_count=others_count,
        dimension_scores=dimension_scores,
        item_scores=item_scores,
        blind_spots=tuple(blind),
        hidden_strengths=tuple(hidden),
        priorities=priorities,
        failure_modes=failure_modes,
        priority_items=priority_items,
        others_shown=others_shown,
        minimum_others=minimum_others,
        band_total=band_total,
    )
