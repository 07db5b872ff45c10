"""The figures an anonymous campaign releases, computed once from its respondents.

Plain Python (no Django): the release service hands it the stored (cut back) segment
values and answers of every respondent, and stores what it returns. Every decision about
what is shown is taken here, over the whole release at once (see disclosure.py).
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from bellwether.core import confidentiality, disclosure
from bellwether.surveys import definitions

# The order of the segment values in an atom (and of the stored columns).
SEGMENTS = ("org_unit", "leader_level", "tenure_band")
TOTAL: tuple[str, str] = ("total", "")


@dataclass(frozen=True, slots=True)
class QuestionInfo:
    key: str
    text: str
    scale: str
    labels: tuple[str, ...]
    favourable_min: int | None


@dataclass(frozen=True, slots=True)
class Respondent:
    atom: tuple[str, ...]  # org unit path, leader level, tenure band (as stored)
    answers: Mapping[str, int | str]


def cell_keys(atom: tuple[str, ...], segments: Sequence[str]) -> list[tuple[str, str]]:
    """Every released cell a respondent with these stored values belongs to."""
    keys = [TOTAL]
    path, level, tenure = atom
    if "org_unit" in segments and path:
        ids = [p for p in path.split("/") if p]
        keys += [("org_unit", "/" + "/".join(ids[:i]) + "/") for i in range(1, len(ids) + 1)]
    if "leader_level" in segments and level:
        keys.append(("leader_level", level))
    if "tenure_band" in segments and tenure:
        keys.append(("tenure_band", tenure))
    return keys


def _answered(value: int | str | None) -> bool:
    return value is not None and value != ""


def _label(value: int, labels: Sequence[str], scale: str) -> str:
    if scale == "likert5":
        return f"{value} – {labels[value - 1]}" if 1 <= value <= len(labels) else str(value)
    if scale in {"yes_no", "choice"}:
        return labels[value] if 0 <= value < len(labels) else str(value)
    return str(value)


def build(
    *,
    respondents: Sequence[Respondent],
    questions: Sequence[QuestionInfo],
    segments: Sequence[str],
    minimum: int,
    min_comments: int,
    withheld: Mapping[Hashable, str] | None = None,
    withheld_reason: str = "",
    labels: Mapping[tuple[str, str], str] | None = None,
    listed: set[tuple[str, str]] | None = None,
    rng: random.Random | None = None,
) -> dict[str, Any]:
    """The release: the total, each question's distribution, each segment's cells with
    their favourable shares, and comments; hidden cells say why and carry no figure.

    ``withheld``: cells hidden before the search (compared with earlier releases);
    ``withheld_reason``: if set, nothing but the number of respondents is released;
    ``listed``: cells to list even if no stored response falls in them (groups whose
    respondents were too few to keep their values): shown as too few, with no figure.
    """
    labels = labels or {}
    atoms = sorted({r.atom for r in respondents})
    index = {atom: i for i, atom in enumerate(atoms)}
    counts = [0] * len(atoms)
    per_question: dict[str, list[int]] = {q.key: [0] * len(atoms) for q in questions}
    distribution: dict[str, Counter[int]] = {q.key: Counter() for q in questions}
    # (cell, question) → [favourable, answered]
    favourable: dict[tuple[tuple[str, str], str], list[int]] = defaultdict(lambda: [0, 0])
    comments: list[str] = []
    scored = [q for q in questions if q.favourable_min is not None and q.scale != "text"]
    for r in respondents:
        i = index[r.atom]
        counts[i] += 1
        cells = cell_keys(r.atom, segments)
        for q in questions:
            value = r.answers.get(q.key)
            if not _answered(value):
                continue
            per_question[q.key][i] += 1
            if q.scale == "text":
                comments.append(str(value))
            elif isinstance(value, int):
                distribution[q.key][value] += 1
        for q in scored:
            value = r.answers.get(q.key)
            if isinstance(value, int):
                good = int(q.favourable_min is not None and value >= q.favourable_min)
                for cell in cells:
                    tally = favourable[(cell, q.key)]
                    tally[0] += good
                    tally[1] += 1
    total = len(respondents)
    base: dict[str, Any] = {
        "minimum": minimum,
        "respondents": total,
        "question_keys": [q.key for q in questions],
        "total_shown": False,
        "reason": "",
        "questions": [],
        "breakdowns": [],
        "comments": [],
        "comments_reason": "",
        "shown_cells": [],
    }
    if withheld_reason:
        return {**base, "reason": withheld_reason}
    if total < minimum:
        return {
            **base,
            "reason": f"Fewer than {minimum} people answered, so no results can be shown "
            "without risking that someone is identified.",
        }
    candidates = [disclosure.Candidate(TOTAL, frozenset(range(len(atoms))), fixed=True)]
    members: dict[tuple[str, str], set[int]] = defaultdict(set)
    for atom, i in index.items():
        for cell in cell_keys(atom, segments)[1:]:
            members[cell].add(i)
    for cell in sorted(members, key=lambda c: (SEGMENTS.index(c[0]), c[1])):
        candidates.append(disclosure.Candidate(cell, frozenset(members[cell])))
    decision = disclosure.decide(candidates, counts, minimum, withheld=withheld)
    shown_cells = [c for c in candidates if decision.shown(c.key)]
    # Each question is a table of its own when some respondents left it empty.
    question_decisions: dict[str, disclosure.Outcome | None] = {}
    cache: dict[tuple[int, ...], disclosure.Outcome | None] = {}
    for q in scored:
        q_counts = per_question[q.key]
        if sum(q_counts) < minimum:
            question_decisions[q.key] = None
            continue
        if q_counts == counts:
            question_decisions[q.key] = decision
            continue
        signature = tuple(q_counts)
        if signature not in cache:
            held = {c.key: why for c in candidates if (why := decision.reasons[c.key]) != "shown"}
            cache[signature] = disclosure.decide(candidates, q_counts, minimum, withheld=held)
        question_decisions[q.key] = cache[signature]
    question_rows = []
    for q in questions:
        if q.scale == "text":
            continue
        n = sum(per_question[q.key])
        shown = n >= minimum
        allowed = definitions.valid_values(q.scale, q.labels) or range(0)
        values = distribution[q.key]
        question_rows.append(
            {
                "key": q.key,
                "text": q.text,
                "scale": q.scale,
                "labels": list(q.labels),
                "favourable_min": q.favourable_min,
                "n": n if shown else None,
                "shown": shown,
                "distribution": [[_label(v, q.labels, q.scale), values.get(v, 0)] for v in allowed]
                if shown
                else [],
                "favourable": confidentiality.favourable_share(values, q.favourable_min)
                if shown and q.favourable_min is not None
                else None,
            }
        )
    rows: list[tuple[str, str]] = [cast("tuple[str, str]", c.key) for c in candidates[1:]]
    extra = sorted(set(listed or ()) - set(rows) - {TOTAL})
    reasons: dict[Hashable, str] = dict(decision.reasons)
    reasons.update(dict.fromkeys(extra, disclosure.TOO_FEW))
    rows = sorted([*rows, *extra], key=lambda c: (SEGMENTS.index(c[0]), c[1]))
    breakdowns = []
    for segment in segments:
        if segment not in SEGMENTS:
            continue
        segment_cells: list[dict[str, Any]] = []
        for cell_key in rows:
            kind, key = cell_key
            if kind != segment:
                continue
            shown = reasons[cell_key] == disclosure.SHOWN
            shares: dict[str, float | None] = {}
            if shown:
                for q in scored:
                    q_decision = question_decisions[q.key]
                    good, answered = favourable.get((cell_key, q.key), [0, 0])
                    visible = q_decision is not None and q_decision.shown(cell_key)
                    shares[q.key] = round(100.0 * good / answered, 1) if visible else None
            segment_cells.append(
                {
                    "key": key,
                    "label": labels.get(cell_key, key),
                    "depth": len([p for p in key.split("/") if p]) - 1
                    if segment == "org_unit"
                    else 0,
                    "shown": shown,
                    "reason": reasons[cell_key],
                    "favourable": shares,
                }
            )
        breakdowns.append({"segment": segment, "cells": segment_cells})
    released_comments: list[str] = []
    comments_reason = ""
    if any(q.scale == "text" for q in questions):
        if total >= min_comments:
            released_comments = list(comments)
            (rng or random.SystemRandom()).shuffle(released_comments)
        else:
            comments_reason = (
                f"Comments are shown only when at least {min_comments} people answered."
            )
    return {
        **base,
        "total_shown": True,
        "questions": question_rows,
        "breakdowns": breakdowns,
        "comments": released_comments,
        "comments_reason": comments_reason,
        "shown_cells": [list(cast("tuple[str, str]", c.key)) for c in shown_cells],
    }
