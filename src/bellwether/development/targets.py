"""The number an agreed success metric tracks: read from the words the executives
agreed ("80% by year end" → 80), in the KPI's unit.

Pure: no Django. The development service refuses a metric whose words hold no number;
the KPI dashboard tracks the number (``selectors.agreed_metric_targets``).
"""

from __future__ import annotations

import math
import re

from bellwether.framework.catalogue import Kpi

# Targets outside this range are typos (the KPI dashboard refuses them the same way).
TARGET_RANGE = (-1000.0, 1000.0)

_NUMBER = re.compile(r"(?<![\w.])([-−+]?)\s?(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)")
_REDUCTION = re.compile(r"\b(reduc\w*|decreas\w*|cut\w*|less|lower|fewer|faster|shorter)\b", re.I)


def target_number(text: str, *, lower_is_better: bool = False) -> float | None:
    """The first number in ``text`` within the target range (a year such as 2027 is
    passed over), or None when there is none.

    A KPI where lower is better and which counts a change from its baseline (time-to-
    decision: "50% reduction" is −50) reads a positive number beside a word of
    reduction as negative; a written sign ("-50%") is always kept.
    """
    reduction = lower_is_better and _REDUCTION.search(text) is not None
    for found in _NUMBER.finditer(text):
        sign, digits = found.groups()
        value = float(digits.replace(",", ""))
        if sign in {"-", "−"} or (reduction and not sign):
            value = -value
        if math.isfinite(value) and TARGET_RANGE[0] <= value <= TARGET_RANGE[1]:
            return value
    return None


def tracked_value(text: str, metric: Kpi) -> float | None:
    """The number the KPI dashboard tracks for ``metric`` agreed in these words: lower is
    better for a "<=" KPI counted as a change from its baseline."""
    return target_number(
        text, lower_is_better=metric.comparison == "<=" and "change" in metric.unit
    )
