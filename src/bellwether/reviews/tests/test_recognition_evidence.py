"""Peer recognitions (behaviours) counted in the quarterly review: a team AI leadership
signal from the number of different colleagues who recognised the leader in the quarter,
neutral while nobody was recognised, read in one query for a whole cycle of leaders."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.behaviours import services as behaviours
from bellwether.behaviours.models import Recognition
from bellwether.framework.catalogue import CATALOGUE, REVIEW_RECOGNITION_COLLEAGUES
from bellwether.people.models import LeaderLevel, Person
from bellwether.reviews import evidence, services
from bellwether.reviews.models import Review
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

SIGNAL = "signal.peer_recognition"
TEAM = "review.team_leadership"
Q1_DAY = dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC)


def _person(**fields: Any) -> Person:
    return cast(Person, PersonFactory(**fields))


def _recognise(givers: list[Person], recognised: Person, *, at: dt.datetime = Q1_DAY) -> None:
    key = CATALOGUE.behaviours[0].key
    for giver in givers:
        row = behaviours.give_recognition(
            given_by=giver, recognised=recognised, behaviour_key=key, message="", actor=None
        )
        Recognition.objects.filter(pk=row.pk).update(created_at=at)


def _q1(org, people) -> evidence.Context:
    return evidence.Context(org, list(people), dt.date(2026, 1, 1), dt.date(2026, 3, 31))


def _signal(found, person) -> evidence.Item:
    return next(i for i in found[person.pk] if i.signal == SIGNAL)


def test_the_signal_feeds_team_ai_leadership() -> None:
    assert evidence.SIGNALS[SIGNAL].component == TEAM
    assert evidence.peer_recognition in evidence.SOURCES


def test_recognition_is_neutral_until_someone_is_recognised(org, leader_person, coachee) -> None:
    found = evidence.peer_recognition(_q1(org, [leader_person, coachee]))
    assert _signal(found, leader_person).share is None
    assert "neutral" in _signal(found, leader_person).detail


def test_the_share_counts_different_colleagues_over_the_quarter(
    org, leader_person, coachee, bystander
) -> None:
    other = _person(organisation=org, employee_id="O001", name="Olga Other")
    _recognise([bystander, bystander, other], coachee)
    _recognise([bystander], coachee, at=Q1_DAY + dt.timedelta(days=60))  # in Q2: not counted
    found = evidence.peer_recognition(_q1(org, [leader_person, coachee]))
    mine = _signal(found, coachee)
    assert mine.share == pytest.approx(2 / REVIEW_RECOGNITION_COLLEAGUES)
    assert mine.detail == (
        "Recognised 3 time(s) by 2 different colleague(s) this quarter; "
        f"{REVIEW_RECOGNITION_COLLEAGUES} different colleagues count in full."
    )
    assert mine.url == reverse("behaviours:recognitions")
    theirs = _signal(found, leader_person)  # in use, not recognised: zero
    assert theirs.share == 0.0
    assert theirs.detail.startswith("Not recognised by a colleague this quarter")
    # More colleagues than the full count: capped at 1.
    extra = [_person(organisation=org, employee_id=f"X{i}") for i in range(4)]
    _recognise(extra, coachee)
    assert _signal(evidence.peer_recognition(_q1(org, [coachee])), coachee).share == 1.0


def test_recognitions_of_another_organisation_are_not_counted(
    org, other_org, leader_person, coachee
) -> None:
    a = _person(organisation=other_org, employee_id="A1")
    b = _person(organisation=other_org, employee_id="A2")
    _recognise([a], b)
    found = evidence.peer_recognition(_q1(org, [leader_person, coachee]))
    assert _signal(found, coachee).share is None


def test_the_source_reads_a_whole_cycle_of_leaders_in_one_query(org, unit, bystander) -> None:
    few = [_person(organisation=org, leader_level=LeaderLevel.SENIOR) for _ in range(2)]
    many = few + [
        _person(organisation=org, org_unit=unit, leader_level=LeaderLevel.OPERATIONAL)
        for _ in range(10)
    ]
    _recognise([bystander], many[-1])
    for people in (few, many):
        with CaptureQueriesContext(connection) as queries:
            found = evidence.peer_recognition(_q1(org, people))
        assert len(queries) == 1
        assert set(found) == {p.pk for p in people}


def test_the_prefilled_team_score_rises_with_recognitions(
    org, members, leader_person, coachee, bystander
) -> None:
    quiet = services.open_cycle(organisation=org, quarter="2026-Q1", actor=None)
    before = Review.objects.get(cycle=quiet, person=coachee)
    quiet.delete()
    colleagues = [bystander] + [
        _person(organisation=org, employee_id=f"G{i}") for i in range(REVIEW_RECOGNITION_COLLEAGUES)
    ]
    _recognise(colleagues, coachee)
    cycle = services.open_cycle(organisation=org, quarter="2026-Q1", actor=None)
    after = Review.objects.get(cycle=cycle, person=coachee)
    by_signal = {e["signal"]: e for e in after.evidence}
    assert by_signal[SIGNAL]["share"] == 1.0
    assert by_signal[SIGNAL]["component"] == TEAM
    assert after.team > before.team
    assert after.total == after.personal + after.team + after.organisational
    # The leader nobody recognised scores zero on this signal now it is in use.
    lena = Review.objects.get(cycle=cycle, person=leader_person)
    assert {e["signal"]: e for e in lena.evidence}[SIGNAL]["share"] == 0.0


def test_the_review_page_shows_the_recognitions_beside_the_team_score(
    org, members, client_for, coachee, bystander
) -> None:
    _recognise([bystander], coachee)
    cycle = services.open_cycle(organisation=org, quarter="2026-Q1", actor=None)
    review = Review.objects.get(cycle=cycle, person=coachee)
    text = client_for("reviewer").get(reverse("reviews:review", args=[review.pk])).content.decode()
    assert "Peer recognition (behaviours)" in text
    assert "Recognised 1 time(s) by 1 different colleague(s) this quarter" in text
    assert f"{REVIEW_RECOGNITION_COLLEAGUES} different colleagues count in full" in text
