"""Opening a quarter, pre-filling from evidence, adjusting with a reason, sharing,
acknowledging and reminding."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from bellwether.assessments.tests.factories import make_cycle, record_result
from bellwether.core.errors import DomainError
from bellwether.initiatives import services as initiative_services
from bellwether.reviews import selectors, services
from bellwether.reviews.models import (
    Review,
    ReviewCycle,
    ReviewStatus,
    ScoreEntry,
    ScoreEntryIsAppendOnly,
)

pytestmark = pytest.mark.django_db

PERSONAL = "review.personal_development"
TEAM = "review.team_leadership"
IMPACT = "review.organisational_impact"


def _state(review: Review) -> tuple[object, ...]:
    review.refresh_from_db()
    entries = list(
        ScoreEntry.objects.filter(review=review).values_list("component", "value", "kind")
    )
    return (
        review.personal,
        review.team,
        review.organisational,
        review.total,
        review.status,
        entries,
    )


def test_a_cycle_reviews_every_active_leader_with_the_assigned_reviewer_or_the_manager(
    cycle, members, leader_person, coachee, bystander
) -> None:
    reviews = {r.person_id: r for r in Review.objects.filter(cycle=cycle)}
    assert set(reviews) == {leader_person.pk, coachee.pk}  # the bystander is no leader
    # The coachee has an assigned reviewer, which wins over their manager.
    assert reviews[coachee.pk].reviewer_member_id == members["reviewer"].pk
    assert reviews[coachee.pk].reviewer_person_id is None
    assert reviews[leader_person.pk].reviewer_member_id is None
    assert cycle.starts_on == dt.date(2026, 1, 1)
    assert cycle.ends_on == dt.date(2026, 3, 31)


def test_without_an_assignment_the_manager_reviews(org, members, coachee, leader_person) -> None:
    members["reviewer"].assignments.all().delete()
    cycle = services.open_cycle(organisation=org, quarter="2026-Q2", actor=None)
    review = Review.objects.get(cycle=cycle, person=coachee)
    assert review.reviewer_person_id == leader_person.pk
    assert review.reviewer_member_id is None
    assert cycle.due_on == dt.date(2026, 7, 14)  # 14 days after the quarter by default


def test_scores_are_prefilled_from_readiness_and_the_evidence_is_listed(
    org, members, leader_person, coachee
) -> None:
    first = make_cycle(organisation=org, name="Spring", opens_at=_at(2025, 3, 1))
    second = make_cycle(organisation=org, name="Autumn", opens_at=_at(2025, 9, 1))
    record_result(organisation=org, person=leader_person, total=60, cycle=first)
    record_result(organisation=org, person=leader_person, total=100, cycle=second)
    cycle = services.open_cycle(organisation=org, quarter="2026-Q1", actor=None)
    review = Review.objects.get(cycle=cycle, person=leader_person)
    by_signal = {e["signal"]: e for e in review.evidence}
    assert by_signal["signal.readiness_level"]["share"] == 1.0  # 100, the top of the scale
    assert "60 (Spring) → 100 (Autumn): +40" in by_signal["signal.readiness_change"]["detail"]
    assert by_signal["signal.readiness_change"]["url"].endswith(
        f"/leaders/{leader_person.pk}/report/"
    )
    # No learning plan and no check-ins: both neutral, so the personal component is the
    # mean of the two readiness signals only.
    assert by_signal["signal.learning_hours"]["share"] is None
    assert "No learning due this quarter." in by_signal["signal.learning_hours"]["detail"]
    assert by_signal["signal.behaviour_consistency"]["share"] is None
    assert review.personal == 25
    prefilled = ScoreEntry.objects.filter(review=review, kind=ScoreEntry.Kind.PREFILLED)
    assert {(e.component, e.value) for e in prefilled} == {
        (PERSONAL, review.personal),
        (TEAM, review.team),
        (IMPACT, review.organisational),
    }
    assert review.total == review.personal + review.team + review.organisational


def test_initiatives_owned_are_evidence_of_organisational_impact(
    org, members, leader_person
) -> None:
    initiative = initiative_services.create_initiative(
        organisation=org,
        actor=None,
        name="Claims triage assistant",
        archetype="archetype.genai_customer_facing",
        sponsor=leader_person,
        problem="Slow triage",
    )
    cycle = services.open_cycle(organisation=org, quarter="2026-Q1", actor=None)
    review = Review.objects.get(cycle=cycle, person=leader_person)
    gates = next(e for e in review.evidence if e["signal"] == "signal.initiative_gates")
    assert gates["share"] == 0.0
    assert "Claims triage assistant: 0/8 gates endorsed" in gates["detail"]
    assert gates["url"] == f"/initiatives/{initiative.pk}/"
    guardrails = next(e for e in review.evidence if e["signal"] == "signal.initiative_guardrails")
    assert guardrails["share"] == 1.0
    # Communication effectiveness is still to come: neutral, so impact is the mean of two.
    assert review.organisational == 20


def _at(year: int, month: int, day: int) -> dt.datetime:
    return dt.datetime(year, month, day, 9, tzinfo=dt.UTC)


@pytest.mark.parametrize("quarter", ["2026-Q5", "2026Q1", "", "1999-Q1", "Q1-2026"])
def test_a_bad_quarter_is_refused_and_nothing_is_saved(org, members, quarter) -> None:
    with pytest.raises(DomainError, match="2026-Q1"):
        services.open_cycle(organisation=org, quarter=quarter, actor=None)
    assert not ReviewCycle.objects.exists()
    assert not Review.objects.exists()


def test_a_quarter_is_opened_once(cycle, org) -> None:
    with pytest.raises(DomainError, match="already open"):
        services.open_cycle(organisation=org, quarter="2026-Q1", actor=None)
    assert ReviewCycle.objects.count() == 1


def test_an_adjustment_needs_a_written_reason(coachee_review, members) -> None:
    before = _state(coachee_review)
    for reason in ("", "   "):
        with pytest.raises(DomainError, match="reason"):
            services.adjust_score(
                review=coachee_review, component=PERSONAL, value=10, reason=reason, actor=None
            )
    assert _state(coachee_review) == before


@pytest.mark.parametrize(
    ("component", "value"),
    [(PERSONAL, 26), (TEAM, 36), (IMPACT, 41), (PERSONAL, -1), (TEAM, "12"), ("review.x", 3)],
)
def test_scores_outside_the_components_weight_are_refused(coachee_review, component, value) -> None:
    before = _state(coachee_review)
    with pytest.raises(DomainError):
        services.adjust_score(
            review=coachee_review, component=component, value=value, reason="why", actor=None
        )
    assert _state(coachee_review) == before


def test_an_adjustment_keeps_the_prefilled_value_and_every_change(coachee_review, members) -> None:
    reviewer = members["reviewer"].user
    prefilled = coachee_review.team
    services.adjust_score(
        review=coachee_review, component=TEAM, value=30, reason="Ran AI clinics", actor=reviewer
    )
    services.adjust_score(
        review=coachee_review, component=TEAM, value=28, reason="Calibrated", actor=reviewer
    )
    history = [
        (e.value, e.kind, e.reason)
        for e in selectors.score_history(coachee_review)
        if e.component == TEAM
    ]
    assert history == [
        (prefilled, "prefilled", ""),
        (30, "adjusted", "Ran AI clinics"),
        (28, "adjusted", "Calibrated"),
    ]
    coachee_review.refresh_from_db()
    assert coachee_review.team == 28
    assert coachee_review.total == coachee_review.personal + 28 + coachee_review.organisational


def test_score_entries_are_append_only(coachee_review) -> None:
    entry = ScoreEntry.objects.filter(review=coachee_review).earliest("id")
    entry.value = 1
    with pytest.raises(ScoreEntryIsAppendOnly):
        entry.save()


def test_sharing_needs_priorities_and_goals_then_the_leader_acknowledges(own_review) -> None:
    with pytest.raises(DomainError, match="priority"):
        services.submit_review(review=own_review, actor=None)
    with pytest.raises(DomainError, match="not been shared"):
        services.acknowledge_review(review=own_review, actor=None)
    services.set_plan(
        review=own_review, priorities=["Prompting", "", "Data"], goals=["Two pilots"], actor=None
    )
    assert own_review.development_priorities == ["Prompting", "Data"]
    services.submit_review(review=own_review, actor=None)
    services.acknowledge_review(review=own_review, actor=None, note="Agreed")
    own_review.refresh_from_db()
    assert own_review.status == ReviewStatus.ACKNOWLEDGED
    assert own_review.acknowledgement_note == "Agreed"
    with pytest.raises(DomainError, match="acknowledged"):
        services.adjust_score(
            review=own_review, component=PERSONAL, value=3, reason="x", actor=None
        )


def test_too_many_priorities_are_refused(own_review) -> None:
    with pytest.raises(DomainError, match="at most 3"):
        services.set_plan(review=own_review, priorities=list("abcd"), goals=[], actor=None)
    own_review.refresh_from_db()
    assert own_review.development_priorities == []


def test_reminders_go_once_a_day_to_reviewers_of_unshared_reviews(cycle, members) -> None:
    assert services.send_reminders(cycle=cycle, today=dt.date(2026, 3, 1)) == 0  # too early
    today = dt.date(2026, 4, 10)
    assert services.send_reminders(cycle=cycle, today=today) == 1  # the leader's has no reviewer
    assert services.send_reminders(cycle=cycle, today=today) == 0  # rerun: nothing twice
    assert [m.to for m in mail.outbox] == [[members["reviewer"].user.email]]
    assert "is due on 14 April 2026" in mail.outbox[0].body
    assert services.send_reminders(cycle=cycle, today=today + dt.timedelta(days=5)) == 1


def test_review_scores_for_counts_shared_reviews_only(
    org, cycle, own_review, coachee_review
) -> None:
    services.set_plan(review=own_review, priorities=["a"], goals=["b"], actor=None)
    services.submit_review(review=own_review, actor=None)
    own_review.refresh_from_db()
    assert selectors.review_scores_for(organisation=org, quarter="2026-Q1") == {
        own_review.person_id: own_review.total
    }
    assert selectors.review_scores_for(organisation=org, quarter="2025-Q4") == {}


def test_calibration_aggregates_by_unit_and_level_in_one_query(
    cycle, coachee_review, own_review, django_assert_num_queries
) -> None:
    with django_assert_num_queries(1):
        rows = selectors.calibration(cycle)
    assert [(r.unit, r.level, r.count) for r in rows] == [
        ("Headquarters", "Operational", 1),
        ("Headquarters", "Senior", 1),
    ]
    assert sum(r.total for r in rows) == coachee_review.total + own_review.total


def test_the_daily_command_reminds_every_cycle_in_progress(cycle, members) -> None:
    from django.core.management import call_command

    assert services.remind_all_reviewers(today=dt.date(2026, 4, 9)) == 1
    assert services.remind_all_reviewers(today=dt.date(2026, 4, 9)) == 0
    call_command("remind_reviewers")  # today: long past due, reminded again once
    assert len(mail.outbox) == 2


def test_shared_priorities_and_goals_flow_out_for_the_development_plan(org, own_review) -> None:
    services.set_plan(review=own_review, priorities=["Prompting"], goals=["Pilot"], actor=None)
    assert selectors.shared_plans_for(organisation=org, person_ids=[own_review.person_id]) == {}
    services.submit_review(review=own_review, actor=None)
    assert selectors.shared_plans_for(organisation=org, person_ids=[own_review.person_id]) == {
        own_review.person_id: (["Prompting"], ["Pilot"])
    }
