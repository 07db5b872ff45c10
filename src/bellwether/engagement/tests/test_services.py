"""Services: the barrier checklist with its history, plan generation from live data
(bands, failure modes, influencers, messengers, sponsors), edits, status and reviews."""

from __future__ import annotations

import datetime

import pytest

from bellwether.assessments.tests.factories import record_result
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.engagement import selectors, services
from bellwether.engagement.models import BarrierChange, BarrierMark, PlanRevision, PlanStatus
from bellwether.influence.tests.factories import make_profile, make_tie
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db

START = datetime.date(2026, 1, 5)
S = "engagement_strategy."


def test_the_checklist_records_who_changed_what(org, leader_person, members):
    actor = members["admin"].user
    services.set_barriers(
        person=leader_person,
        actor=actor,
        marks={"barrier.risk_aversion": "primary", "concern.senior.change_burden": "secondary"},
    )
    services.set_barriers(
        person=leader_person,
        actor=actor,
        marks={"barrier.risk_aversion": "secondary", "concern.senior.change_burden": ""},
    )
    assert selectors.marks_for(leader_person) == {"barrier.risk_aversion": "secondary"}
    history = [(c.key, c.before, c.after) for c in BarrierChange.objects.order_by("id")]
    assert history == [
        ("barrier.risk_aversion", "", "primary"),
        ("concern.senior.change_burden", "", "secondary"),
        ("barrier.risk_aversion", "primary", "secondary"),
        ("concern.senior.change_burden", "secondary", ""),
    ]
    assert set(BarrierChange.objects.values_list("changed_by_label", flat=True)) == {
        "admin@acme.test"
    }
    assert AuditEvent.objects.filter(action="engagement.barriers_updated").count() == 2


def test_a_concern_of_another_level_or_a_bad_weight_changes_nothing(leader_person):
    with pytest.raises(DomainError) as error:
        services.set_barriers(
            person=leader_person,
            actor=None,
            marks={
                "barrier.risk_aversion": "primary",
                "concern.executive.investor_skepticism": "primary",
            },
        )
    assert "concern.executive.investor_skepticism" in error.value.field_errors
    with pytest.raises(DomainError):
        services.set_barriers(
            person=leader_person, actor=None, marks={"barrier.risk_aversion": "urgent"}
        )
    assert not BarrierMark.objects.exists()


def test_the_plan_reads_band_failure_modes_influencers_and_messengers(org, leader_person, unit):
    record_result(
        organisation=org, person=leader_person, total=50, failure_modes=["failure.fearful"]
    )
    skeptic = PersonFactory(
        organisation=org, name="Sam Skeptic", org_unit=unit, leader_level=LeaderLevel.SENIOR
    )
    champion = PersonFactory(
        organisation=org, name="Cleo Champion", org_unit=unit, leader_level=LeaderLevel.SENIOR
    )
    record_result(organisation=org, person=skeptic, total=45)
    record_result(organisation=org, person=champion, total=92)
    make_tie(organisation=org, source=skeptic, target=leader_person, strength=3)
    make_tie(organisation=org, source=champion, target=leader_person, strength=3)
    make_profile(organisation=org, person=champion, peer_respect="high")
    make_profile(organisation=org, person=leader_person, motivated_by="Career advancement")
    services.set_barriers(
        person=leader_person, actor=None, marks={"barrier.skill_gap_anxiety": "primary"}
    )
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    content = plan.content
    assert (content["current_label"], content["target_label"]) == ("Skeptical", "Cautious")
    assert content["obstacles"]["influencer_resistance"] == [
        {"name": "Sam Skeptic", "band": "Skeptical"}
    ]
    assert content["obstacles"]["primary_barriers"][0]["name"] == "Skill Gap Anxiety"
    mix = {s["key"]: s["rules"] for s in content["strategies"] if s["chosen"]}
    assert "engagement_rule.influencer_resistance_peers" in mix[S + "peer_influence"]
    assert "engagement_rule.fearful_coaching" in mix[S + "executive_coaching"]
    assert "engagement_rule.motivated_by_advancement" in mix[S + "recognition"]
    assert [m["name"] for m in content["messengers"]] == ["Cleo Champion"]
    assert any("Cleo Champion" in a["text"] for a in content["actions"])
    assert plan.band_key == "band.skeptical"
    assert plan.next_review_due == datetime.date(2026, 1, 12)
    assert plan.status == PlanStatus.DRAFT


def test_a_leader_without_a_result_is_not_assessed(org, leader_person):
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    assert plan.content["current_label"] == "Not assessed"
    assert plan.content["target_band"] is None


def test_an_initiative_sponsor_aims_at_champion(org, leader_person):
    from bellwether.initiatives import services as initiatives

    record_result(organisation=org, person=leader_person, total=60)
    initiatives.create_initiative(
        organisation=org,
        actor=None,
        name="Claims triage",
        archetype="archetype.other",
        sponsor=leader_person,
    )
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    assert plan.content["target_label"] == "Champion"
    assert plan.content["target_rule"] == "target.sponsor_champion"


def test_regenerating_keeps_history_status_and_start(org, leader_person, members):
    actor = members["admin"].user
    plan = services.generate_plan(person=leader_person, actor=actor, start=START)
    services.set_status(plan=plan, actor=actor, status=PlanStatus.ACTIVE)
    services.set_barriers(
        person=leader_person, actor=actor, marks={"barrier.risk_aversion": "primary"}
    )
    plan = services.generate_plan(person=leader_person, actor=actor)
    assert plan.status == PlanStatus.ACTIVE
    assert plan.start_date == START
    revisions = list(PlanRevision.objects.filter(plan=plan).order_by("number"))
    assert [r.action for r in revisions] == ["generated", "status", "generated"]
    assert revisions[2].diff["strategies"][1] != revisions[2].diff["strategies"][0]
    assert revisions[0].snapshot != revisions[2].snapshot
    assert plan.revision == 3


def test_edits_are_kept_with_their_diff(org, leader_person, members):
    actor = members["coach"].user
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    first = plan.content["actions"][0]["id"]
    second = plan.content["actions"][1]["id"]
    plan = services.edit_plan(
        plan=plan,
        actor=actor,
        fields={"resource_constraints": "Two hours a week", "target_band": "band.supporter"},
        add_actions=[("action_period.month_2", "Visit the claims pilot")],
        complete_actions=[first],
        remove_actions=[second],
        strategies=[S + "business_case"],
    )
    content = plan.content
    assert content["obstacles"]["resource_constraints"] == "Two hours a week"
    assert content["target_label"] == "Supporter"
    assert content["actions"][0]["done"] is True
    assert second not in {a["id"] for a in content["actions"]}
    added = content["actions"][-1]
    assert (added["text"], added["rule"], added["period"]) == (
        "Visit the claims pilot",
        "manual",
        "action_period.month_2",
    )
    business = next(s for s in content["strategies"] if s["key"] == S + "business_case")
    assert business["chosen"]
    assert business["rules"][-1] == "manual"
    revision = plan.revisions.order_by("-number").first()
    assert revision.actor_label == "coach@acme.test"
    assert revision.diff["actions"]["added"] == ["Visit the claims pilot"]
    assert revision.diff["target_band"] == [None, "band.supporter"]
    assert revision.snapshot == content


def test_an_edit_that_changes_nothing_adds_no_revision(leader_person):
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    services.edit_plan(plan=plan, actor=None, fields={"role": plan.content["role"]})
    assert plan.revisions.count() == 1


@pytest.mark.parametrize(
    "kwargs",
    [
        {"fields": {"target_band": "band.legendary"}},
        {"fields": {"colour": "blue"}},
        {"add_actions": [("action_period.year_5", "x")]},
        {"add_actions": [("action_period.month_2", "   ")]},
        {"remove_actions": ["nope"]},
        {"strategies": ["engagement_strategy.bribery"]},
    ],
)
def test_invalid_edits_are_refused_and_change_nothing(leader_person, kwargs):
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    before = plan.content
    with pytest.raises(DomainError):
        services.edit_plan(plan=plan, actor=None, **kwargs)
    plan.refresh_from_db()
    assert plan.content == before
    assert plan.revisions.count() == 1


def test_recording_reviews_moves_the_next_review_and_overdue(leader_person):
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    assert selectors.is_overdue(plan, today=datetime.date(2026, 1, 13))
    assert not selectors.is_overdue(plan, today=datetime.date(2026, 1, 12))
    services.record_review(
        plan=plan,
        actor=None,
        cadence_key="engagement_review.weekly_check_in",
        due_date=datetime.date(2026, 1, 12),
    )
    plan.refresh_from_db()
    assert plan.next_review_due == datetime.date(2026, 1, 19)
    with pytest.raises(DomainError):
        services.record_review(
            plan=plan,
            actor=None,
            cadence_key="engagement_review.weekly_check_in",
            due_date=datetime.date(2026, 1, 12),
        )
    with pytest.raises(DomainError):
        services.record_review(
            plan=plan,
            actor=None,
            cadence_key="engagement_review.weekly_check_in",
            due_date=datetime.date(2026, 1, 13),
        )


def test_status_must_be_one_of_the_three(leader_person):
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    with pytest.raises(DomainError):
        services.set_status(plan=plan, actor=None, status="archived")
    services.set_status(plan=plan, actor=None, status=PlanStatus.UNDER_REVIEW)
    plan.refresh_from_db()
    assert plan.status == PlanStatus.UNDER_REVIEW


def test_a_person_who_is_not_a_leader_gets_no_plan(bystander):
    with pytest.raises(DomainError, match="not a leader"):
        services.generate_plan(person=bystander, actor=None)


def test_barrier_frequency_counts_by_level(org, leader_person, coachee):
    services.set_barriers(
        person=leader_person, actor=None, marks={"barrier.risk_aversion": "primary"}
    )
    services.set_barriers(person=coachee, actor=None, marks={"barrier.risk_aversion": "secondary"})
    data = selectors.barrier_frequency(org)
    row = next(r for r in data["rows"] if r.key == "barrier.risk_aversion")
    assert row.counts == {"executive": 0, "senior": 1, "operational": 1}
    assert (row.primary, row.total) == (1, 2)
    assert data["leaders"]["senior"] == 1
