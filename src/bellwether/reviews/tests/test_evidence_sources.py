"""The review's evidence from the programme's other modules: peer forums, coaching,
learning and behaviours each become a signal with its figures in words."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bellwether.behaviours.services import checkins
from bellwether.framework.catalogue import CATALOGUE
from bellwether.peers import services as peers
from bellwether.reviews import evidence

pytestmark = pytest.mark.django_db


def _context(org, people) -> evidence.Context:
    today = timezone.localdate()
    return evidence.Context(org, list(people), today - dt.timedelta(days=80), today)


def _by_signal(found, person) -> dict[str, evidence.Item]:
    return {i.signal: i for i in found[person.pk]}


def test_peer_attendance_is_the_share_of_forums_attended(org, leader_person, coachee) -> None:
    now = timezone.now()
    events = []
    for days in (30, 10):
        start = now - dt.timedelta(days=days)
        events.append(
            peers.schedule_event(
                organisation=org,
                actor=None,
                kind="peer.roundtable",
                topic=f"Forum {days}",
                starts_at=start,
                ends_at=start + dt.timedelta(hours=2),
                invitee_ids=[leader_person.pk],
            )
        )
    peers.record_attendance(event=events[0], actor=None, attended_ids=[leader_person.pk])
    peers.record_attendance(event=events[1], actor=None, attended_ids=[])
    found = evidence.collect(_context(org, [leader_person, coachee]))
    mine = _by_signal(found, leader_person)["signal.peer_attendance"]
    assert mine.share == 0.5
    assert mine.detail == "Attended 1 of 2 peer forums."
    assert _by_signal(found, coachee)["signal.peer_attendance"].share is None


def test_behaviour_consistency_counts_only_when_the_module_is_in_use(
    org, leader_person, coachee
) -> None:
    found = evidence.collect(_context(org, [leader_person, coachee]))
    assert _by_signal(found, leader_person)["signal.behaviour_consistency"].share is None
    today = timezone.localdate()
    daily = [b.key for b in CATALOGUE.behaviours if b.frequency == "daily"]
    for back in range(14):
        day = today - dt.timedelta(days=back)
        checkins.record_check_in(
            person=leader_person, day=day, behaviours=daily, actor=None, today=day
        )
    found = evidence.collect(_context(org, [leader_person, coachee]))
    mine = _by_signal(found, leader_person)["signal.behaviour_consistency"]
    theirs = _by_signal(found, coachee)["signal.behaviour_consistency"]
    assert mine.share is not None
    assert mine.share > 0.3
    assert theirs.share == 0.0
    assert "of 100" in mine.detail
