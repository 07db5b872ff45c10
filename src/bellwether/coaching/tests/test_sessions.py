"""Programmes and sessions: start, plan, sessions in order, carried items and the
coach's decision, the pre-session form, and the summaries other apps read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.coaching import selectors, services
from bellwether.coaching.models import ActionItem, Milestone, Session
from bellwether.coaching.tests.factories import programme_for
from bellwether.core.errors import DomainError
from bellwether.testing.factories import make_member

pytestmark = pytest.mark.django_db

PLAN = {
    "focus_areas": [],
    "notes": "",
    "notes_shared": False,
    "next_session_goals": [],
    "metrics": {},
}


@pytest.fixture
def programme(members):
    return programme_for(members["admin"], start=timezone.localdate() - dt.timedelta(days=7))


def _record(programme, session, items=(), **extra):
    values = PLAN | extra
    return services.record_session(
        actor=programme.coach, session=session, new_items=list(items), **values
    )


def _carried(session):
    carried, _ = selectors.items_in_session(Session.objects.get(pk=session.pk))
    return [(i.text, i.carries) for i in carried]


def test_only_the_current_coach_starts_a_programme_once(members, programme):
    with pytest.raises(DomainError, match="already has a programme"):
        services.start_programme(
            actor=programme.coach, person=programme.person, start_date=programme.start_date
        )
    with pytest.raises(DomainError, match="Only the leader's coach"):
        services.start_programme(
            actor=members["coach"], person=programme.person, start_date=programme.start_date
        )


def test_a_session_before_the_programme_starts_is_refused_and_not_saved(programme):
    with pytest.raises(DomainError) as refused:
        services.add_session(
            actor=programme.coach,
            programme=programme,
            date=programme.start_date - dt.timedelta(days=1),
        )
    assert "cannot be before the programme starts" in refused.value.message
    assert refused.value.field_errors.keys() == {"date"}
    assert not Session.objects.exists()


def test_sessions_are_numbered_in_date_order(programme):
    start = programme.start_date
    first = services.add_session(
        actor=programme.coach, programme=programme, date=start + dt.timedelta(days=7)
    )
    with pytest.raises(DomainError, match="the next comes after it"):
        services.add_session(
            actor=programme.coach, programme=programme, date=start + dt.timedelta(days=3)
        )
    second = services.add_session(
        actor=programme.coach, programme=programme, date=start + dt.timedelta(days=14)
    )
    assert (first.number, second.number) == (1, 2)


def test_open_items_carry_into_every_later_session_until_closed(programme):
    start = programme.start_date
    one = services.add_session(actor=programme.coach, programme=programme, date=start)
    _record(programme, one, ["Use AI daily", "Share a win"])
    two = services.add_session(
        actor=programme.coach, programme=programme, date=start + dt.timedelta(days=7)
    )
    assert _carried(two) == [("Use AI daily", 1), ("Share a win", 1)]
    share = ActionItem.objects.get(text="Share a win")
    share.programme = programme
    services.close_item(actor=programme.coach, item=share, status="done")
    three = services.add_session(
        actor=programme.coach, programme=programme, date=start + dt.timedelta(days=14)
    )
    # The closed item stays in the session it was closed in, not later ones.
    assert _carried(two) == [("Use AI daily", 2), ("Share a win", 1)]
    assert _carried(three) == [("Use AI daily", 2)]


def test_after_two_carries_the_coach_must_decide_with_a_reason(programme):
    start = programme.start_date
    one = services.add_session(actor=programme.coach, programme=programme, date=start)
    _record(programme, one, ["Use AI daily"])
    for week in (1, 2):
        services.add_session(
            actor=programme.coach, programme=programme, date=start + dt.timedelta(weeks=week)
        )
    item = ActionItem.objects.get()
    assert item.carries == 2
    with pytest.raises(DomainError, match="Decide first whether to keep, change or drop"):
        services.add_session(
            actor=programme.coach, programme=programme, date=start + dt.timedelta(weeks=3)
        )
    assert Session.objects.count() == 3
    item.programme = programme
    with pytest.raises(DomainError, match="Give a reason"):
        services.decide_item(actor=programme.coach, item=item, decision="keep", reason="")
    services.decide_item(
        actor=programme.coach,
        item=item,
        decision="change",
        reason="Too broad",
        text="Use AI for the weekly report",
    )
    item.refresh_from_db()
    assert (item.text, item.carries, item.decision, item.status) == (
        "Use AI for the weekly report",
        0,
        "change",
        "open",
    )
    services.add_session(
        actor=programme.coach, programme=programme, date=start + dt.timedelta(weeks=3)
    )
    item.programme = programme
    services.decide_item(
        actor=programme.coach, item=item, decision="drop", reason="Done another way"
    )
    item.refresh_from_db()
    assert (item.status, item.closed_in.number) == ("dropped", 4)


def test_a_session_record_follows_the_template_limits(programme):
    session = services.add_session(
        actor=programme.coach, programme=programme, date=programme.start_date
    )
    with pytest.raises(DomainError, match="At most 3 action items"):
        _record(programme, session, ["a", "b", "c", "d"])
    with pytest.raises(DomainError, match="Rate each metric from 1 to 5"):
        _record(programme, session, metrics={"coaching.metric.decision_confidence": 9})
    with pytest.raises(DomainError, match="Unknown focus areas"):
        _record(programme, session, focus_areas=["coaching.focus.nope"])
    assert not ActionItem.objects.exists()
    _record(
        programme,
        session,
        ["a"],
        focus_areas=["coaching.focus.communication"],
        metrics={"coaching.metric.decision_confidence": 4},
        next_session_goals=["Plan the workshop"],
        notes="Between us",
    )
    session.refresh_from_db()
    assert session.metrics == {"coaching.metric.decision_confidence": 4}
    assert session.next_session_goals == ["Plan the workshop"]


def test_someone_else_cannot_write_a_session(members, programme):
    session = services.add_session(
        actor=programme.coach, programme=programme, date=programme.start_date
    )
    with pytest.raises(DomainError, match="Only the leader's coach"):
        services.record_session(actor=members["coach"], session=session, new_items=["x"], **PLAN)
    with pytest.raises(DomainError, match="Only the leader's coach"):
        services.add_session(actor=members["admin"], programme=programme, date=programme.start_date)


def test_the_coachee_fills_the_pre_session_form_before_the_session(org, programme):
    leader = make_member(org, Role.LEADER, person=programme.person)
    today = timezone.localdate()
    past = services.add_session(
        actor=programme.coach, programme=programme, date=today - dt.timedelta(days=1)
    )
    future = services.add_session(
        actor=programme.coach, programme=programme, date=today + dt.timedelta(days=2)
    )
    future.programme = past.programme = programme
    with pytest.raises(DomainError, match="form is closed"):
        services.submit_pre_session(
            actor=leader, session=past, answers={"coaching.pre_session.wins": "x"}
        )
    with pytest.raises(DomainError, match="Only the coachee"):
        services.submit_pre_session(
            actor=programme.coach, session=future, answers={"coaching.pre_session.wins": "x"}
        )
    with pytest.raises(DomainError, match="Answer at least one"):
        services.submit_pre_session(actor=leader, session=future, answers={})
    services.submit_pre_session(
        actor=leader, session=future, answers={"coaching.pre_session.wins": "Shipped a pilot"}
    )
    future.refresh_from_db()
    assert future.pre_session["coaching.pre_session.wins"] == "Shipped a pilot"
    assert future.pre_session_at is not None


def test_the_plan_is_defined_in_weeks_one_and_two_only(programme):
    services.define_plan(
        actor=programme.coach,
        programme=programme,
        focus_areas=["coaching.focus.communication"],
        success_metrics=["coaching.metric.employee_engagement"],
        milestones=[services.MilestoneIn("Plan agreed", 2), services.MilestoneIn("Team pilot", 9)],
    )
    assert list(Milestone.objects.values_list("phase_key", "due_week")) == [
        ("coaching.assessment_planning", 2),
        ("coaching.application_integration", 9),
    ]
    with pytest.raises(DomainError, match="defined in weeks 1–2; this programme is in week 4"):
        services.define_plan(
            actor=programme.coach,
            programme=programme,
            focus_areas=[],
            success_metrics=[],
            milestones=[],
            today=programme.start_date + dt.timedelta(days=21),
        )
    assert Milestone.objects.count() == 2


def test_the_summary_for_other_apps_has_counts_dates_and_off_track(org, members):
    today = timezone.localdate()
    quiet = programme_for(members["admin"], start=today - dt.timedelta(weeks=5))
    busy = programme_for(members["admin"], start=today - dt.timedelta(weeks=2))
    for days in (14, 7, 0):
        services.add_session(actor=busy.coach, programme=busy, date=today - dt.timedelta(days=days))
    services.add_session(actor=busy.coach, programme=busy, date=today + dt.timedelta(days=7))
    summary = selectors.coaching_summary_for(
        organisation=org,
        person_ids=[quiet.person_id, busy.person_id, members["admin"].pk + 999],
        start=today - dt.timedelta(days=10),
        end=today,
    )
    assert summary == {
        quiet.person_id: selectors.CoachingSummary(0, None, 0, True),
        busy.person_id: selectors.CoachingSummary(2, today, 0, False),
    }
    assert selectors.coach_of(busy.person) == busy.coach
    rows = selectors.programmes_of_organisation(org, today)
    assert {(r.programme.pk, r.sessions_held, r.next_session, bool(r.off_track)) for r in rows} == {
        (quiet.pk, 0, None, True),
        (busy.pk, 3, today + dt.timedelta(days=7), False),
    }


def test_only_notes_the_coach_shares_reach_the_review(programme):
    start = programme.start_date
    one = services.add_session(actor=programme.coach, programme=programme, date=start)
    _record(programme, one, notes="Private")
    two = services.add_session(
        actor=programme.coach, programme=programme, date=start + dt.timedelta(days=7)
    )
    _record(programme, two, notes="For the review", notes_shared=True)
    shared = selectors.shared_notes_for(
        programme.person, start=start, end=start + dt.timedelta(days=30)
    )
    assert shared == [selectors.SharedNote(2, two.date, "For the review")]
