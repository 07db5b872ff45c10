"""The programme calendar (pure): weeks, phases, milestones and off-track."""

from __future__ import annotations

from datetime import date, timedelta

from bellwether.coaching import schedule
from bellwether.coaching.schedule import MilestoneState
from bellwether.framework.catalogue import CATALOGUE

START = date(2026, 1, 5)
PHASES = CATALOGUE.coaching.phases


def _off(today: date, last: date | None = None, milestones=()) -> schedule.OffTrack:
    return schedule.off_track(
        today=today,
        start=START,
        weeks=12,
        last_session=last,
        milestones=milestones,
        weeks_without_session=3,
    )


def test_week_one_is_the_start_day_and_the_six_after_it():
    assert schedule.week_of(START, START - timedelta(days=1)) == 0
    assert schedule.week_of(START, START) == 1
    assert schedule.week_of(START, START + timedelta(days=6)) == 1
    assert schedule.week_of(START, START + timedelta(days=7)) == 2
    assert schedule.week_of(START, START + timedelta(days=84)) == 13


def test_the_phases_come_from_the_catalogue_by_week():
    names = [schedule.phase_for(w, PHASES) for w in (0, 1, 2, 3, 8, 9, 12, 13)]
    assert [p.key if p else None for p in names] == [
        None,
        "coaching.assessment_planning",
        "coaching.assessment_planning",
        "coaching.skill_development",
        "coaching.skill_development",
        "coaching.application_integration",
        "coaching.application_integration",
        None,
    ]
    assert schedule.phase_end(START, PHASES[0]) == date(2026, 1, 18)
    assert schedule.end_date(START, 12) == date(2026, 3, 29)


def test_three_weeks_without_a_session_is_off_track_counted_from_the_last_one():
    last = START + timedelta(days=7)
    assert not _off(last + timedelta(days=20), last)
    result = _off(last + timedelta(days=21), last)
    assert result
    assert result.days_without_session == 21
    assert result.reasons == ["no session for 21 days"]


def test_before_the_first_session_the_start_counts():
    assert not _off(START + timedelta(days=20))
    assert _off(START + timedelta(days=21)).days_without_session == 21


def test_a_future_session_does_not_count_as_held():
    assert _off(START + timedelta(days=30), last=START + timedelta(days=40))


def test_a_milestone_past_its_week_and_not_done_is_late():
    today = START + timedelta(days=14)  # week 3 begins: week 2 is over
    late = _off(
        today, today, [MilestoneState(2, False), MilestoneState(2, True), MilestoneState(3, False)]
    )
    assert late.late_milestones == 1
    assert late.reasons == ["1 milestone late"]


def test_a_programme_not_started_or_finished_is_never_off_track():
    assert not _off(START - timedelta(days=30))
    assert not _off(START + timedelta(days=200), milestones=[MilestoneState(2, False)])


def test_an_item_needs_a_decision_after_two_carries():
    assert [schedule.needs_decision(n, 2) for n in (0, 1, 2, 3)] == [False, False, True, True]
