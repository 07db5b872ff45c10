"""Report-test helpers: ratings stored straight into the survey engine, then re-scored.

Faster than submitting through links (the submission flow has its own tests); the
stored rows are exactly what a submission writes: an Invitation per rater (with the
category and its disclosure), a Response with category and subject, and Answers.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping, Sequence
from typing import Any, cast

from bellwether.assessments import services
from bellwether.assessments.models import CycleLeader, LeaderResult, ReadinessCycle
from bellwether.assessments.tests.factories import make_cycle
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.people.models import Person
from bellwether.surveys.models import Answer, Invitation, Question, Response
from bellwether.testing.factories import PersonFactory

KEYS = [item.key for item in catalogue.instrument_items()]
_nonce = itertools.count(1)


def uniform(value: int) -> dict[str, int]:
    return dict.fromkeys(KEYS, value)


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
    Invitation.objects.create(
        organisation=org,
        campaign=cycle.campaign,
        person=person,
        subject=leader,
        nonce=f"n{next(_nonce)}",
        category=category,
        category_disclosed=(category in ("self", "manager")) if disclosed is None else disclosed,
    )
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
    """A leader rated in ``cycle`` (a new one if None) and re-scored by the real service."""
    cycle = cycle or make_cycle(organisation=organisation, opens_at=opens_at, name=name)
    CycleLeader.objects.get_or_create(
        cycle=cycle, person=leader, defaults={"organisation": organisation}
    )
    if self_answers is not None:
        add_rating(cycle, leader, "self", self_answers)
    for category, answers in others:
        add_rating(cycle, leader, category, answers)
    return services.rescore_leader(cycle=cycle, person=leader)


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
    )
