"""Plans: generation, lifecycle, progress and refusals that save nothing."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bellwether.accounts.models import Membership
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent, Organisation
from bellwether.development import selectors, services
from bellwether.development.models import LearningPlan, PlanItem, PlanStatus
from bellwether.development.tests.factories import peer_circle
from bellwether.people.models import Person

START = datetime.date(2026, 1, 5)
LATER = datetime.date(2026, 2, 1)


def _agreed(members: dict[str, Membership], person: Person) -> LearningPlan:
    plan = services.generate_plan(person=person, actor=None, start=START)
    services.agree_plan(plan=plan, membership=members["coach"])
    LearningPlan.objects.filter(pk=plan.pk).update(
        status=PlanStatus.ACTIVE
    )  # the leader agreed too
    plan.refresh_from_db()
    return plan


def _state() -> tuple[int, int, list[tuple[object, ...]]]:
    return (
        LearningPlan.objects.count(),
        AuditEvent.objects.filter(action__startswith="development.").count(),
        list(PlanItem.objects.values_list("id", "completed_on", "hours_spent", "removed_at")),
    )


def test_generating_a_plan_lays_out_template_3_with_the_coach_linked(
    members: dict[str, Membership], coachee: Person
) -> None:
    plan = services.generate_plan(person=coachee, actor=None, start=START)
    assert plan.status == PlanStatus.DRAFT
    assert plan.tiers == ["tier.literacy"]
    assert plan.coach == members["coach"]
    assert plan.items.count() > 15
    assert list(plan.milestones.values_list("due", flat=True)) == [
        datetime.date(2026, 2, 4),
        datetime.date(2026, 3, 6),
        datetime.date(2026, 4, 5),
    ]
    assert AuditEvent.objects.filter(action="development.plan_generated").count() == 1


def test_a_sponsor_gets_tier_3(members: dict[str, Membership], leader_person: Person) -> None:
    sponsor = members["sponsor"]
    sponsor.person = leader_person
    sponsor.save()
    plan = services.generate_plan(person=leader_person, actor=None, start=START)
    assert plan.tiers == ["tier.literacy", "tier.leadership", "tier.championship"]


def test_an_admin_override_needs_a_reason_and_saves_nothing_without_one(
    members: dict[str, Membership], coachee: Person
) -> None:
    before = _state()
    with pytest.raises(DomainError, match="why"):
        services.generate_plan(person=coachee, actor=None, start=START, tiers=["tier.championship"])
    assert _state() == before
    plan = services.generate_plan(
        person=coachee,
        actor=None,
        start=START,
        tiers=["tier.championship"],
        reason="AI sponsor elect",
    )
    assert plan.tiers == ["tier.championship"]
    assert plan.tier_override_reason == "AI sponsor elect"


def test_a_plan_for_someone_who_is_not_a_leader_is_refused(bystander: Person, db: None) -> None:
    with pytest.raises(DomainError, match="not an active leader"):
        services.generate_plan(person=bystander, actor=None, start=START)
    assert not LearningPlan.objects.exists()


def test_agreement_needs_the_leader_and_a_coach_then_the_plan_runs_to_completion(
    members: dict[str, Membership], coachee: Person
) -> None:
    plan = services.generate_plan(person=coachee, actor=None, start=START)
    coachee_member = members["leader"]
    coachee_member.person = coachee
    coachee_member.save()
    plan = services.agree_plan(plan=plan, membership=members["coach"])
    assert plan.status == PlanStatus.DRAFT
    plan = services.agree_plan(plan=plan, membership=coachee_member)
    assert plan.status == PlanStatus.AGREED
    plan = services.change_status(plan=plan, status="active", actor=None)
    item = plan.items.first()
    assert item is not None
    services.complete_item(
        plan=plan, item_id=item.pk, actor=None, completed_on=LATER, hours_spent=3.5
    )
    plan = services.change_status(plan=plan, status="completed", actor=None)
    assert plan.status == PlanStatus.COMPLETED
    with pytest.raises(DomainError, match="closed"):
        services.remove_item(plan=plan, item_id=item.pk, actor=None)
    item.refresh_from_db()
    assert (item.completed_on, item.hours_spent) == (LATER, 3.5)
    assert AuditEvent.objects.filter(action="development.plan_status_changed").count() == 2


@pytest.mark.parametrize(
    ("hours", "when", "link", "message"),
    [
        (-1, LATER, "", "Hours must be"),
        (500, LATER, "", "Hours must be"),
        (float("nan"), LATER, "", "Hours must be"),
        (2, datetime.date(2025, 12, 1), "", "before the plan started"),
        (2, datetime.date(2099, 1, 1), "", "in the future"),
        (2, LATER, "javascript:alert(1)", "https://"),
    ],
)
def test_bad_progress_is_refused_and_saves_nothing(
    members: dict[str, Membership],
    coachee: Person,
    hours: float,
    when: datetime.date,
    link: str,
    message: str,
) -> None:
    plan = _agreed(members, coachee)
    item = plan.items.first()
    assert item is not None
    before = _state()
    with pytest.raises(DomainError, match=message):
        services.complete_item(
            plan=plan,
            item_id=item.pk,
            actor=None,
            completed_on=when,
            hours_spent=hours,
            evidence_link=link,
        )
    assert _state() == before


def test_swapping_keeps_the_old_item_and_refuses_an_unknown_module(
    members: dict[str, Membership], coachee: Person
) -> None:
    plan = services.generate_plan(person=coachee, actor=None, start=START)
    item = plan.items.get(key="plan.month_1.peer_learning")
    before = _state()
    with pytest.raises(DomainError, match="Unknown module"):
        services.swap_item(plan=plan, item_id=item.pk, module_key="tier.nope.x", actor=None)
    assert _state() == before
    own = peer_circle(coachee.organisation)
    new = services.swap_item(plan=plan, item_id=item.pk, module_key=own.key, actor=None)
    item.refresh_from_db()
    assert item.removed_at is not None
    assert item.replaced_by == new
    assert new.month == 1
    assert new.planned_hours == 2


def test_a_vendor_module_needs_its_address_and_positive_hours(org: Organisation) -> None:
    with pytest.raises(DomainError) as caught:
        services.add_org_module(
            organisation=org,
            actor=None,
            title="Course",
            kind="vendor",
            hours=0,
            tier_key="tier.literacy",
        )
    assert "url" in caught.value.field_errors


def test_add_plan_item_puts_a_goal_on_the_open_plan_or_refuses(
    members: dict[str, Membership], coachee: Person, bystander: Person
) -> None:
    def add_goal(title: str, due: datetime.date | None) -> PlanItem:
        return services.add_plan_item(
            organisation=coachee.organisation,
            person=coachee,
            title=title,
            source="review",
            due=due,
            actor=None,
        )

    with pytest.raises(DomainError, match="no open learning plan"):
        add_goal("Goal", None)
    services.generate_plan(person=coachee, actor=None, start=START)
    item = add_goal("Lead the AI pilot", LATER)
    assert item.source == "review"
    assert item.month == 1
    with pytest.raises(DomainError, match="before the plan starts"):
        add_goal("x", datetime.date(2025, 1, 1))


def test_milestone_reviews_are_recorded_once(
    members: dict[str, Membership], coachee: Person
) -> None:
    plan = _agreed(members, coachee)

    def review(rating: str, notes: str = "") -> None:
        services.record_milestone(
            plan=plan,
            key="milestone.day_30",
            actor=None,
            rating=rating,
            notes=notes,
            reviewed_on=LATER,
        )

    with pytest.raises(DomainError, match="rating"):
        review("great")
    review("milestone_rating.on_track", notes="Good")
    with pytest.raises(DomainError, match="already recorded"):
        review("milestone_rating.behind")


def test_learning_hours_for_counts_completed_and_planned_hours_in_the_period(
    members: dict[str, Membership], coachee: Person
) -> None:
    plan = _agreed(members, coachee)
    item = plan.items.filter(month=1).first()
    assert item is not None
    services.complete_item(
        plan=plan, item_id=item.pk, actor=None, completed_on=LATER, hours_spent=2
    )
    hours = selectors.learning_hours_for(
        organisation=coachee.organisation,
        person_ids=[coachee.pk],
        start=START,
        end=datetime.date(2026, 2, 3),
    )
    month_1 = sum(i.planned_hours for i in plan.items.filter(month=1))
    assert hours == {coachee.pk: (2.0, month_1)}


def test_cohort_generation_skips_leaders_with_a_plan_and_the_cohort_view_is_a_few_queries(
    members: dict[str, Membership],
    coachee: Person,
    leader_person: Person,
    django_capture_on_commit_callbacks: Any,
) -> None:
    services.generate_plan(person=coachee, actor=None, start=START)
    with django_capture_on_commit_callbacks(execute=True):
        job = services.start_generation(organisation=coachee.organisation, actor=None, start=START)
    job.refresh_from_db()
    assert (job.status, job.created_count, job.skipped_count) == ("succeeded", 1, 1)
    assert LearningPlan.objects.filter(person=leader_person).exists()
    with CaptureQueriesContext(connection) as ctx:
        data = selectors.cohort(coachee.organisation, LATER)
    assert data.total.plans == 2
    assert len(ctx.captured_queries) <= 3
