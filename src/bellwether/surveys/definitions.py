"""Pure survey rules: scales, answer validation, segment values, the ready pulses.

No Django import: services and tests use it directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bellwether.framework.catalogue import KPI_COMMUNICATION_QUALITY, KPI_EMPLOYEE_CONFIDENCE, kpi
from bellwether.surveys.confidentiality import ABSOLUTE_FLOOR

LIKERT_AGREE = ("Strongly disagree", "Disagree", "Neutral", "Agree", "Strongly agree")
EFFECTIVENESS = (
    "Very ineffective",
    "Ineffective",
    "Neither",
    "Effective",
    "Very effective",
)
YES_NO = ("No", "Yes")


@dataclass(frozen=True, slots=True)
class QuestionSpec:
    key: str
    text: str
    scale: str  # likert5 | yes_no | zero_ten | choice | text
    labels: tuple[str, ...] = ()
    required: bool = True
    favourable_min: int | None = None
    dimension_key: str = ""
    dimension_name: str = ""


@dataclass(frozen=True, slots=True)
class InstrumentSpec:
    key: str
    name: str
    kpi_key: str
    introduction: str
    questions: tuple[QuestionSpec, ...] = field(default_factory=tuple)


def valid_values(scale: str, labels: Sequence[str]) -> range | None:
    """The values an answer on this scale may take; None for open text."""
    if scale == "likert5":
        return range(1, 6)
    if scale == "yes_no":
        return range(0, 2)
    if scale == "zero_ten":
        return range(0, 11)
    if scale == "choice":
        return range(0, len(labels))
    return None


@dataclass(frozen=True, slots=True)
class QuestionRule:
    key: str
    scale: str
    labels: tuple[str, ...]
    required: bool


MAX_COMMENT = 4000


def clean_answers(
    rules: Sequence[QuestionRule], raw: Mapping[str, Any], *, final: bool
) -> tuple[dict[str, int | str], dict[str, list[str]]]:
    """Parse submitted answers: values for known questions, and errors by question key.

    A draft (``final=False``) may leave required questions empty; a submission may not.
    Unknown keys are ignored.
    """
    cleaned: dict[str, int | str] = {}
    errors: dict[str, list[str]] = {}
    for rule in rules:
        value = raw.get(rule.key)
        if isinstance(value, list):
            value = value[-1] if value else None
        if value is None or (isinstance(value, str) and value.strip() == ""):
            if final and rule.required:
                errors[rule.key] = ["Please answer this question."]
            continue
        allowed = valid_values(rule.scale, rule.labels)
        if allowed is None:
            text = str(value).replace("\x00", "").strip()
            if len(text) > MAX_COMMENT:
                errors[rule.key] = [f"Please keep this under {MAX_COMMENT} characters."]
                continue
            cleaned[rule.key] = text
            continue
        try:
            number = int(str(value).strip())
        except ValueError:
            errors[rule.key] = ["Please choose one of the options."]
            continue
        if number not in allowed:
            errors[rule.key] = ["Please choose one of the options."]
            continue
        cleaned[rule.key] = number
    return cleaned, errors


# --- segments copied onto an anonymous response ------------------------------------

TENURE_BANDS = (
    ("lt1", "Under 1 year", 0, 1),
    ("1to3", "1–3 years", 1, 3),
    ("3to5", "3–5 years", 3, 5),
    ("5plus", "5 years or more", 5, 10_000),
)


def tenure_band(start: dt.date | None, on: dt.date) -> str:
    if start is None or start > on:
        return ""
    years = (on - start).days / 365.25
    for key, _label, low, high in TENURE_BANDS:
        if low <= years < high:
            return key
    return ""  # pragma: no cover


def tenure_label(key: str) -> str:
    for band_key, label, _low, _high in TENURE_BANDS:
        if band_key == key:
            return label
    return "Not recorded"


def path_at_depth(path: str, depth: int) -> str:
    """A materialised org path ("/1/5/9/") cut to ``depth`` levels below the root (0 = root)."""
    ids = [part for part in path.split("/") if part]
    if not ids:
        return ""
    return "/" + "/".join(ids[: depth + 1]) + "/"


# --- the three ready pulses, built from the framework's success metrics ----------------

# The minimum group is each organisation's setting (``confidentiality.Policy``), never below
# the floor: the wording promises what holds for every organisation, not the default.
GROUP_PROMISE = (
    "results are only shown for groups large enough to keep answers anonymous "
    f"(the minimum your organisation has set, never fewer than {ABSOLUTE_FLOOR})."
)


def _pulse(kpi_key: str, key: str, questions: tuple[QuestionSpec, ...]) -> InstrumentSpec:
    metric = kpi(kpi_key)
    return InstrumentSpec(
        key=key,
        name=f"Pulse: {metric.name}",
        kpi_key=kpi_key,
        introduction=(
            f"This short pulse measures “{metric.name}” (target: {metric.target}). "
            "Your answers are anonymous: nobody, administrators included, can see who "
            f"answered what, and {GROUP_PROMISE}"
        ),
        questions=questions,
    )


CONFIDENCE_PULSE = _pulse(
    KPI_EMPLOYEE_CONFIDENCE,
    "pulse-confidence",
    (
        QuestionSpec(
            "confidence",
            "I have confidence in our leadership's direction on AI.",
            "likert5",
            LIKERT_AGREE,
            favourable_min=4,
            dimension_key="confidence",
            dimension_name="Confidence in AI leadership",
        ),
        QuestionSpec(
            "clarity",
            "I understand where our organisation is going with AI and why.",
            "likert5",
            LIKERT_AGREE,
            favourable_min=4,
            dimension_key="confidence",
            dimension_name="Confidence in AI leadership",
        ),
        QuestionSpec(
            "comment",
            "What would increase your confidence in our AI direction?",
            "text",
            required=False,
        ),
    ),
)

COMMUNICATION_PULSE = _pulse(
    KPI_COMMUNICATION_QUALITY,
    "pulse-communication",
    (
        QuestionSpec(
            "effectiveness",
            "How effective is leadership's communication about AI?",
            "likert5",
            EFFECTIVENESS,
            favourable_min=4,
            dimension_key="communication",
            dimension_name="AI communication effectiveness",
        ),
        QuestionSpec(
            "informed",
            "I hear about AI changes that affect my work before they happen.",
            "likert5",
            LIKERT_AGREE,
            favourable_min=4,
            dimension_key="communication",
            dimension_name="AI communication effectiveness",
        ),
        QuestionSpec(
            "comment",
            "What should leaders explain better about AI?",
            "text",
            required=False,
        ),
    ),
)

OWN_USE_PULSE = InstrumentSpec(
    key="pulse-own-use",
    name="Pulse: Own AI tool use and confidence",
    kpi_key="",
    introduction=(
        "This short pulse asks how you use AI tools in your own work. Your answers are "
        f"anonymous and {GROUP_PROMISE}"
    ),
    questions=(
        QuestionSpec(
            "uses_tools",
            "In the past month I used AI tools in my work.",
            "yes_no",
            YES_NO,
            favourable_min=1,
            dimension_key="own_use",
            dimension_name="Own AI use",
        ),
        QuestionSpec(
            "frequency",
            "How often do you use AI tools?",
            "choice",
            ("Never", "Monthly", "Weekly", "Daily"),
            favourable_min=2,
            dimension_key="own_use",
            dimension_name="Own AI use",
        ),
        QuestionSpec(
            "tool_confidence",
            "I feel confident using AI tools in my work.",
            "likert5",
            LIKERT_AGREE,
            favourable_min=4,
            dimension_key="own_use",
            dimension_name="Own AI use",
        ),
        QuestionSpec(
            "recommend",
            "How likely are you to recommend our AI tools to a colleague? (0–10)",
            "zero_ten",
            ("Not at all likely", "Extremely likely"),
            favourable_min=9,
            dimension_key="own_use",
            dimension_name="Own AI use",
        ),
        QuestionSpec(
            "comment",
            "What would help you use AI tools more?",
            "text",
            required=False,
        ),
    ),
)

READY_PULSES = (CONFIDENCE_PULSE, COMMUNICATION_PULSE, OWN_USE_PULSE)

# The question whose favourable share is each KPI's figure.
KPI_QUESTIONS = {
    KPI_EMPLOYEE_CONFIDENCE: ("pulse-confidence", "confidence"),
    KPI_COMMUNICATION_QUALITY: ("pulse-communication", "effectiveness"),
}
