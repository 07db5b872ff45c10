"""The attacker's tools for the 360 attack tests (``test_attacks*.py``): answering as a
rater, reading what a report publishes, and recovering a rater's answers from the
published sums when they are a linear combination of them (``recovered``)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, cast

import numpy as np
from django.test import Client

from bellwether.assessments import services
from bellwether.assessments.models import ReadinessCycle
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Completion, Invitation
from bellwether.testing.factories import PersonFactory

BASE = "/api/v1/readiness"
KEYS = [item.key for item in catalogue.instrument_items()]


# --- the attacker's tools --------------------------------------------------------------------


def pattern(seed: int) -> dict[str, int]:
    """A rater's answers, distinct for each seed (so they can be recognised anywhere)."""
    return {key: 1 + (seed * 7 + i * (seed + 3)) % 5 for i, key in enumerate(KEYS)}


def submit(
    cycle: ReadinessCycle, rater: Person, leader: Person, answers: Mapping[str, int]
) -> None:
    invitation = Invitation.objects.get(campaign=cycle.campaign, person=rater, subject=leader)
    survey_services.submit_response(
        token=survey_services.invitation_token(invitation),
        answers={k: [str(v)] for k, v in answers.items()},
    )


def answered(cycle: ReadinessCycle, leader: Person) -> dict[str, set[int]]:
    """Who answered about the leader, per category: what an admin's rater page shows."""
    out: dict[str, set[int]] = {}
    for category, person in Completion.objects.filter(
        campaign=cycle.campaign, invitation__subject=leader
    ).values_list("invitation__category", "invitation__person_id"):
        out.setdefault(category, set()).add(person)
    return out


Equation = tuple[frozenset[int], np.ndarray]  # raters, and the sum of their answers


def equations(report: Mapping[str, Any], who: Mapping[str, set[int]]) -> list[Equation]:
    """Every sum a reader gets from one report (the API's JSON): each rater group shown
    (mean × n over its categories' raters) and the others' score (mean × count over
    every non-self rater)."""
    out: list[Equation] = []
    items = {i["key"]: i for i in report["items"]}
    for group in report["groups"]:
        if group["key"] == "self":
            continue
        members = frozenset().union(*(who.get(c, set()) for c in group["categories"]))
        values = [items[k]["groups"][group["key"]] for k in KEYS]
        if any(v is None for v in values):
            continue
        out.append((members, np.array(values, dtype=float) * group["n"]))
    if report["others_total"] is not None and not report["self_reported"]:
        members = frozenset(p for c, people in who.items() if c != "self" for p in people)
        values = [items[k]["others"] for k in KEYS]
        out.append((members, np.array(values, dtype=float) * report["others_count"]))
    return out


def recovered(
    found: Sequence[Equation], target: int, known: Mapping[int, Mapping[str, int]]
) -> np.ndarray | None:
    """The target rater's answers if the published sums determine them (the attacker
    subtracts every rater whose answers they know), else None."""
    people = sorted({p for members, _ in found for p in members} - set(known) - {target})
    columns = [target, *people]
    if not found:
        return None
    matrix = np.array([[1.0 if p in members else 0.0 for p in columns] for members, _ in found])
    sums = np.array(
        [
            total
            - sum(np.array([known[p][k] for k in KEYS], dtype=float) for p in members if p in known)
            for members, total in found
        ]
    )
    # The target is determined iff e_target lies in the row space of the matrix.
    unit = np.zeros(len(columns))
    unit[0] = 1.0
    weights = np.linalg.lstsq(matrix.T, unit, rcond=None)[0]
    if not np.allclose(matrix.T @ weights, unit, atol=1e-7):
        return None
    return np.round(weights @ sums, 6)


def as_vector(answers: Mapping[str, int]) -> np.ndarray:
    return np.array([answers[k] for k in KEYS], dtype=float)


def total(given: Iterable[Mapping[str, int]]) -> np.ndarray:
    """The sum of several raters' answers, item by item."""
    return np.sum([as_vector(a) for a in given], axis=0)


def peer(org: Organisation, unit: OrgUnit, name: str, **extra: Any) -> Person:
    return cast(
        Person,
        PersonFactory(
            organisation=org, org_unit=unit, name=name, leader_level=LeaderLevel.SENIOR, **extra
        ),
    )


def close_now(cycle: ReadinessCycle) -> None:
    services.close_cycle(cycle=cycle, actor=None)
    cycle.refresh_from_db()


def report_of(
    client: Client, leader: Person, cycle: ReadinessCycle | None = None
) -> dict[str, Any]:
    query = f"?cycle_id={cycle.pk}" if cycle is not None else ""
    response = client.get(f"{BASE}/leaders/{leader.pk}/report{query}")
    assert response.status_code == 200, response.content
    return response.json()


def page_as_compared(html: str) -> str:
    """A page as a reader compares it: without the per-response CSRF token, and without
    the completion counts (who answered is no secret from an administrator; what they
    answered is)."""
    html = re.sub(r'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', r"\1", html)
    return re.sub(r'<table class="score-table" id="completion">.*?</table>', "", html, flags=re.S)
