"""Report-test helpers: ratings stored straight into the survey engine, then released.

Faster than submitting through links (the submission flow has its own tests): an
Invitation per rater (with the category and its disclosure) and its Completion, and the
rating as a Response with category and subject and its Answers — what the engine's
release writes from the sealed ballots (and takes in as such). ``release`` then runs
the real release of the closed cycle.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any, cast

from bellwether.assessments.models import CycleLeader, LeaderResult, ReadinessCycle
from bellwether.assessments.release import columns_of, release_cycle
from bellwether.assessments.tests.factories import make_cycle
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.people.models import Person
from bellwether.surveys.models import Answer, Completion, Invitation, Question, Response
from bellwether.testing.factories import PersonFactory

KEYS = [item.key for item in catalogue.instrument_items()]
_nonce = itertools.count(1)


def uniform(value: int) -> dict[str, int]:
    return dict.fromkeys(KEYS, value)


def others_with_one_report(manager: Mapping[str, int]) -> list[tuple[str, Mapping[str, int]]]:
    """Others whose lone direct report must be merged with the peers: the manager (told
    the category, answering ``manager``), three peers (all 4) and one direct report (all 1)."""
    return [
        ("manager", manager),
        *[("peer", uniform(4)) for _ in range(3)],
        ("direct_report", uniform(1)),
    ]


def make_person(organisation: Organisation, **extra: Any) -> Person:
    return cast(Person, PersonFactory(organisation=organisation, **extra))


def rater(organisation: Organisation) -> Person:
    return make_person(organisation)


def add_rating(
    cycle: ReadinessCycle,
    leader: Person,
    category: str,
    answers: Mapping[str, int],
    *,
    person: Person | None = None,
    disclosed: bool | None = None,
) -> Response:
    org = cycle.organisation
    if category == "self":
        person = leader
    person = person or rater(org)
    invitation = Invitation.objects.create(
        organisation=org,
        campaign=cycle.campaign,
        person=person,
        subject=leader,
        nonce=f"n{next(_nonce)}",
        category=category,
        category_disclosed=(category in ("self", "manager")) if disclosed is None else disclosed,
    )
    Completion.objects.create(organisation=org, campaign=cycle.campaign, invitation=invitation)
    response = Response.objects.create(
        organisation=org, campaign=cycle.campaign, category=category, subject=leader
    )
    questions = dict(
        Question.objects.filter(version_id=cycle.campaign.version_id).values_list("key", "pk")
    )
    Answer.objects.bulk_create(
        Answer(organisation=org, response=response, question_id=questions[k], value=v)
        for k, v in answers.items()
    )
    return response


def release(cycle: ReadinessCycle) -> ReadinessCycle:
    """The real release of a closed cycle (scores, groups, answers deleted)."""
    return release_cycle(cycle=cycle)


def open_cycle(organisation: Organisation, **extra: Any) -> ReadinessCycle:
    """A closed cycle not yet released, to add ratings to before ``release``."""
    return make_cycle(organisation=organisation, released=False, **extra)


def rated(
    organisation: Organisation,
    leader: Person,
    *,
    self_answers: Mapping[str, int] | None = None,
    others: Sequence[tuple[str, Mapping[str, int]]] = (),
    cycle: ReadinessCycle | None = None,
    opens_at: dt.datetime | None = None,
    name: str | None = None,
) -> LeaderResult:
    """A leader rated in ``cycle`` (a new closed one if None), then the cycle released by
    the real service (``cycle`` must not be released yet)."""
    cycle = cycle or open_cycle(organisation, opens_at=opens_at, name=name)
    CycleLeader.objects.get_or_create(
        cycle=cycle, person=leader, defaults={"organisation": organisation}
    )
    if self_answers is not None:
        add_rating(cycle, leader, "self", self_answers)
    for category, answers in others:
        add_rating(cycle, leader, category, answers)
    release(cycle)
    return LeaderResult.objects.get(cycle=cycle, person=leader)


def stored(
    organisation: Organisation,
    person: Person,
    cycle: ReadinessCycle,
    answers: Mapping[str, int],
    *,
    raters: int = 3,
) -> LeaderResult:
    """A stored result scored from ``raters`` identical others' ratings (no answer rows)."""
    from bellwether.assessments.scoring import RaterRatings, score_leader

    score = score_leader(
        ratings=[RaterRatings("self", answers)]
        + [RaterRatings("peer", answers) for _ in range(raters)],
        minimum_others=3,
    )
    CycleLeader.objects.get_or_create(
        cycle=cycle, person=person, defaults={"organisation": organisation}
    )
    return LeaderResult.objects.create(
        organisation=organisation,
        cycle=cycle,
        person=person,
        total=score.total,
        band_key=score.band_key or "",
        self_reported=score.self_reported,
        self_total=score.self_total,
        others_total=score.others_total,
        others_count=score.others_count,
        score=score.to_json(),
        **columns_of(score.to_json()),
    )
