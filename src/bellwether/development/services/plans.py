"""Generating learning plans (one leader or a whole cohort) and their lifecycle:
draft → agreed (by the leader and by a coach or an admin) → active → completed or
withdrawn. Every change is audited; nothing recorded on a plan is rewritten."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.db import transaction
from django.utils import timezone

from bellwether.accounts import selectors as accounts
from bellwether.accounts.models import Membership, User
from bellwether.accounts.roles import Role
from bellwether.assessments import selectors as assessments
from bellwether.core import audit, rawsql
from bellwether.core.bounds import year_problem
from bellwether.core.errors import DomainError
from bellwether.development import planner, selectors
from bellwether.development.models import (
    OPEN_STATUSES,
    LearningPlan,
    MilestoneReview,
    PlanItem,
    PlanStatus,
)
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.access import is_coach_of
from bellwether.people.models import Person

PRACTICE = list(CATALOGUE.development_plan.practice_opportunities)
METRICS = [m.key for m in CATALOGUE.development_plan.success_metrics]
MAX_REASON = 500
BATCH = 1000


def check_start(start: datetime.date) -> None:
    problem = year_problem(start, what="The start date")
    if problem:
        raise DomainError(problem, field_errors={"start": [problem]})


def _check_leader(person: Person) -> None:
    if not person.leader_level or not person.active:
        raise DomainError(
            f"{person.name} is not an active leader: learning plans are for leaders only.",
            code="not_a_leader",
        )


ITEM_COLUMNS = (
    "organisation_id",
    "created_at",
    "updated_at",
    "plan_id",
    "key",
    "title",
    "source",
    "tier_key",
    "month",
    "dimension",
    "position",
    "planned_hours",
    "due",
    "completed_on",
    "hours_spent",
    "evidence_link",
    "note",
    "completed_by_id",
    "removed_at",
    "replaced_by_id",
)
MILESTONE_COLUMNS = (
    "organisation_id",
    "created_at",
    "updated_at",
    "plan_id",
    "key",
    "due",
    "reviewed_on",
    "rating",
    "notes",
    "reviewer_id",
)


def _write_rows(plans: Sequence[LearningPlan], drafts: Sequence[planner.Draft]) -> None:
    """The plans' items and milestone reviews, written in bulk (``core.rawsql.copy_rows``:
    COPY on PostgreSQL): most of a cohort's rows, and no model instance is needed."""
    now = timezone.now()
    items = (
        (
            plan.organisation_id, now, now, plan.pk, i.key, i.title, i.source, i.tier,
            i.month, i.dimension, n, i.hours, i.due, None, None, "", "", None, None, None,
        )
        for plan, draft in zip(plans, drafts, strict=True)
        for n, i in enumerate(draft.items)
    )  # fmt: skip
    rawsql.copy_rows(PlanItem, ITEM_COLUMNS, items)
    milestones = (
        (plan.organisation_id, now, now, plan.pk, m.key, m.due, None, "", "", None)
        for plan, draft in zip(plans, drafts, strict=True)
        for m in draft.milestones
    )
    rawsql.copy_rows(MilestoneReview, MILESTONE_COLUMNS, milestones)


def build_plans(
    *,
    organisation_id: int,
    people: Sequence[Person],
    start: datetime.date,
    actor: User | None,
    tiers_override: dict[int, tuple[Sequence[str], str]] | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[LearningPlan]:
    """Draft plans for ``people`` (leaders without an open plan), with bulk inserts: the
    facts for every leader are read in a handful of queries, then plans, items and
    milestones are written ``BATCH`` leaders at a time. Call inside a transaction."""
    ids = [p.pk for p in people]
    sponsors = accounts.person_ids_with_role(organisation_id, Role.SPONSOR, person_ids=ids)
    coaches = accounts.coaches_of(organisation_id, person_ids=ids)
    scores = assessments.current_dimension_scores(organisation_id, person_ids=ids)
    own = selectors.own_modules_of(organisation_id)
    override = tiers_override or {}
    made: list[LearningPlan] = []
    for offset in range(0, len(people), BATCH):
        chunk = people[offset : offset + BATCH]
        plans: list[LearningPlan] = []
        drafts: list[planner.Draft] = []
        for person in chunk:
            chosen, reason = override.get(person.pk, ((), ""))
            draft = planner.plan(
                level=person.leader_level,
                sponsor=person.pk in sponsors,
                start=start,
                scores=scores.get(person.pk),
                tiers_override=chosen or None,
                own_modules=own,
            )
            coach = coaches.get(person.pk)
            plans.append(
                LearningPlan(
                    organisation_id=organisation_id,
                    person=person,
                    tiers_text=",".join(draft.tiers),
                    tier_rule=draft.tier_rule,
                    tier_override_reason=reason,
                    dimension_order=list(draft.dimension_order),
                    start_date=start,
                    coach=coach,
                    practice=PRACTICE,
                    success_metrics=METRICS,
                    created_by=actor,
                )
            )
            drafts.append(draft)
        LearningPlan.objects.bulk_create(plans)
        _write_rows(plans, drafts)
        made += plans
        if progress is not None:
            progress(offset + len(chunk))
    return made


@transaction.atomic
def generate_plan(
    *,
    person: Person,
    actor: User | None,
    start: datetime.date,
    tiers: Sequence[str] = (),
    reason: str = "",
) -> LearningPlan:
    """A draft plan for one leader. ``tiers`` overrides the tier rule (an admin's choice,
    with its ``reason``). A draft with nothing recorded on it is replaced; any other open
    plan must be completed or withdrawn first."""
    _check_leader(person)
    check_start(start)
    reason = reason.strip()
    if tiers:
        unknown = [t for t in tiers if t not in planner.TIER_KEYS]
        if unknown:
            raise DomainError(
                f"Unknown tier: {', '.join(unknown)}.", field_errors={"tiers": ["Unknown tier."]}
            )
        if not reason:
            raise DomainError(
                "Say why this leader's tiers differ from the rule.",
                field_errors={"reason": ["Give a reason for the override."]},
            )
        if len(reason) > MAX_REASON:
            raise DomainError(f"The reason is too long: at most {MAX_REASON} characters.")
    existing = (
        LearningPlan.objects.select_for_update()
        .filter(person=person, status__in=OPEN_STATUSES)
        .first()
    )
    if existing is not None:
        recorded = existing.items.filter(completed_on__isnull=False).exists() or (
            existing.milestones.filter(reviewed_on__isnull=False).exists()
        )
        if existing.status != PlanStatus.DRAFT or recorded:
            raise DomainError(
                f"{person.name} already has a plan ({existing.get_status_display().lower()}); "
                "complete or withdraw it before generating another.",
                code="conflict",
            )
        existing.delete()  # a draft nobody has worked on: nothing to keep
    (plan,) = build_plans(
        organisation_id=person.organisation_id,
        people=[person],
        start=start,
        actor=actor,
        tiers_override={person.pk: (tiers, reason)} if tiers else None,
    )
    audit.record(
        action="development.plan_generated",
        organisation=person.organisation,
        actor=actor,
        target=plan,
        details={"person": person.pk, "tiers": plan.tiers, "override": reason},
    )
    return plan


def _locked(plan: LearningPlan) -> LearningPlan:
    return LearningPlan.objects.select_for_update().select_related("person").get(pk=plan.pk)


def _audit(plan: LearningPlan, action: str, actor: User | None, **details: object) -> None:
    audit.record(
        action=f"development.{action}",
        organisation=plan.person.organisation,
        actor=actor,
        target=plan,
        details={"person": plan.person_id, **details},
    )


@transaction.atomic
def agree_plan(*, plan: LearningPlan, membership: Membership) -> LearningPlan:
    """Record the member's agreement: as the leader (their own plan) or as the reviewer
    (the leader's coach or an admin). With both, the plan is agreed."""
    plan = _locked(plan)
    if plan.status != PlanStatus.DRAFT:
        raise DomainError("Only a draft plan can be agreed.", code="conflict")
    now = timezone.now()
    as_leader = membership.has_role(Role.LEADER) and membership.person_id == plan.person_id
    as_reviewer = membership.has_role(Role.ADMIN) or is_coach_of(membership, plan.person_id)
    if not (as_leader or as_reviewer):
        raise DomainError(
            "Only the leader, their coach or an admin can agree this plan.", code="forbidden"
        )
    if as_leader:
        plan.leader_agreed_at = now
    if as_reviewer and not as_leader:
        plan.reviewer_agreed_at = now
        plan.reviewer_agreed_by = membership.user
    if plan.leader_agreed_at and plan.reviewer_agreed_at:
        plan.status = PlanStatus.AGREED
    plan.save()
    _audit(
        plan,
        "plan_agreed",
        membership.user,
        side="leader" if as_leader else "reviewer",
        status=plan.status,
    )
    return plan


_MOVES = {
    PlanStatus.ACTIVE: (PlanStatus.AGREED,),
    PlanStatus.COMPLETED: (PlanStatus.ACTIVE,),
    PlanStatus.WITHDRAWN: OPEN_STATUSES,
}


@transaction.atomic
def change_status(
    *, plan: LearningPlan, status: str, actor: User | None, reason: str = ""
) -> LearningPlan:
    """Start an agreed plan, complete an active one, or withdraw an open one (with a
    reason). Nothing recorded on the plan changes."""
    plan = _locked(plan)
    allowed_from = _MOVES.get(PlanStatus(status)) if status in PlanStatus.values else None
    if allowed_from is None:
        raise DomainError(
            "Choose active, completed or withdrawn.", field_errors={"status": ["Unknown status."]}
        )
    if plan.status not in allowed_from:
        raise DomainError(
            f"A {plan.get_status_display().lower()} plan cannot become {PlanStatus(status).label.lower()}.",
            code="conflict",
        )
    reason = reason.strip()
    if status == PlanStatus.WITHDRAWN and not reason:
        raise DomainError("Say why the plan is withdrawn.", field_errors={"reason": ["Required."]})
    if len(reason) > MAX_REASON:
        raise DomainError(f"The reason is too long: at most {MAX_REASON} characters.")
    before = plan.status
    plan.status = status
    now = timezone.now()
    if status == PlanStatus.ACTIVE:
        plan.activated_at = now
    else:
        plan.closed_at = now
        plan.closed_reason = reason
    plan.save()
    _audit(plan, "plan_status_changed", actor, before=before, after=status, reason=reason)
    return plan


@transaction.atomic
def update_support(
    *,
    plan: LearningPlan,
    actor: User | None,
    mentor: str,
    peer_group: str,
    practice: Sequence[str],
) -> LearningPlan:
    """The plan's mentor, peer group (free text until those exist as records) and
    practice opportunities."""
    plan = _locked(plan)
    if plan.status in (PlanStatus.COMPLETED, PlanStatus.WITHDRAWN):
        raise DomainError("A closed plan cannot be changed.", code="conflict")
    mentor, peer_group = mentor.strip(), peer_group.strip()
    lines = [p.strip() for p in practice if p.strip()]
    errors: dict[str, list[str]] = {}
    if len(mentor) > 200:
        errors["mentor"] = ["At most 200 characters."]
    if len(peer_group) > 200:
        errors["peer_group"] = ["At most 200 characters."]
    if len(lines) > 20 or any(len(line) > 300 for line in lines):
        errors["practice"] = ["At most 20 lines of 300 characters."]
    if errors:
        raise DomainError("Some fields are not valid.", field_errors=errors)
    before = {"mentor": plan.mentor, "peer_group": plan.peer_group, "practice": plan.practice}
    plan.mentor, plan.peer_group, plan.practice = mentor, peer_group, lines
    plan.save()
    _audit(plan, "plan_support_updated", actor, before=before)
    return plan
