"""Who may see and change learning plans and visioning workshops.

A leader sees only their own plan; a coach their coachees' plans; sponsors (the
executives' view) see the cohort's aggregates and the workshops, not one leader's plan;
admins see and do everything.

==============================  ===========================================================
rule                            who
==============================  ===========================================================
``development.home``            every role but reviewers (the Development menu)
``development.my_plan``         leaders (their own plan)
``development.open_plan``       admins, coaches, leaders (a plan page; which plan: below)
``development.view_plans``      admins, coaches (the coachees' plans)
``development.view_cohort``     admins, sponsors (completion by tier, unit and level)
``development.manage``          admins (cohort generation, the organisation's modules)
``development.view_plan``       a plan: admins, the leader's coach, the leader (own)
``development.edit_plan``       admins, the leader's coach (support, modules, reviews)
``development.progress``        admins, the leader's coach, the leader (tick modules, agree)
``development.view_workshops``  admins, sponsors, leaders
``development.view_workshop``   a workshop, vision version or resource commitment: the same
                                roles, in the member's organisation (otherwise 404)
``development.manage_workshops``  admins
==============================  ===========================================================
"""

from __future__ import annotations

from typing import Any, Literal, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from bellwether.accounts.access import is_admin, roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.assessments.selectors import coachees
from bellwether.core.access import ObjectRule, Rule
from bellwether.development.models import LearningPlan
from bellwether.people.access import is_coach_of
from bellwether.people.models import Person


def is_own(membership: Membership, person_id: int) -> bool:
    return membership.has_role(Role.LEADER) and membership.person_id == person_id


def _may_edit(membership: Membership, person: Person) -> bool:
    return is_admin(membership) or is_coach_of(membership, person.pk)


def _may_progress(membership: Membership, person: Person) -> bool:
    return _may_edit(membership, person) or is_own(membership, person.pk)


HOME = Rule("development.home", roles(Role.ADMIN, Role.SPONSOR, Role.COACH, Role.LEADER))
MY_PLAN = Rule("development.my_plan", roles(Role.LEADER))
OPEN_PLAN = Rule("development.open_plan", roles(Role.ADMIN, Role.COACH, Role.LEADER))
VIEW_PLANS = Rule("development.view_plans", roles(Role.ADMIN, Role.COACH))
VIEW_COHORT = Rule("development.view_cohort", roles(Role.ADMIN, Role.SPONSOR))
MANAGE = Rule("development.manage", roles(Role.ADMIN))
VIEW_PLAN = ObjectRule("development.view_plan", _may_progress)
EDIT_PLAN = ObjectRule("development.edit_plan", _may_edit)
PROGRESS = ObjectRule("development.progress", _may_progress)
VIEW_WORKSHOPS = Rule("development.view_workshops", roles(Role.ADMIN, Role.SPONSOR, Role.LEADER))
MANAGE_WORKSHOPS = Rule("development.manage_workshops", roles(Role.ADMIN))


T = TypeVar("T", bound=Model)

# A workshop and its outcome rows (vision versions, resource commitments): one of the
# member's organisation, for those who see the workshops; otherwise 404, like an unknown id.
WORKSHOP_ROW: ObjectRule[Membership, Any] = ObjectRule(
    "development.view_workshop", lambda membership, _row: VIEW_WORKSHOPS.allows(membership)
)


def get_workshop_row_for(
    request: HttpRequest | None, membership: Membership | None, rows: QuerySet[T], pk: int
) -> T:
    """The workshop (or outcome row) ``pk`` among ``rows``: 404 (audited) for another
    organisation's or an unknown one."""
    return WORKSHOP_ROW.get(request, membership, rows, pk)


def visible_people(membership: Membership, people: QuerySet[Person]) -> QuerySet[Person]:
    """The leaders whose plans the member may open (``VIEW_PLAN`` as a query)."""
    people = people.filter(organisation_id=membership.organisation_id)
    if is_admin(membership):
        return people
    ids = {p.pk for p in coachees(membership)} if membership.has_role(Role.COACH) else set()
    if membership.has_role(Role.LEADER) and membership.person_id is not None:
        ids.add(membership.person_id)
    return people.filter(pk__in=sorted(ids))


def get_person_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    edit: Literal["", "plan", "progress"] = "",
) -> Person:
    """The leader asked for: 404 (audited) for someone the member may not see or of
    another organisation; 403 when ``edit`` is asked and the member may only read."""
    person = VIEW_PLAN.get(request, membership, Person.objects.all(), pk, label="person")
    if edit == "plan":
        EDIT_PLAN.require(request, membership, person)
    elif edit == "progress":
        PROGRESS.require(request, membership, person)
    return person


def get_plan_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    edit: Literal["", "plan", "progress"] = "",
) -> LearningPlan:
    """The plan asked for, under the same rules as its leader (``get_person_for``)."""
    plan = PLAN_OF_PERSON.get(
        request,
        membership,
        LearningPlan.objects.select_related("person__org_unit", "coach__user", "organisation"),
        pk,
        label="learning plan",
    )
    if edit == "plan":
        EDIT_PLAN.require(request, membership, plan.person)
    elif edit == "progress":
        PROGRESS.require(request, membership, plan.person)
    return plan


PLAN_OF_PERSON: ObjectRule[Membership, LearningPlan] = ObjectRule(
    "development.view_plan_row", lambda m, plan: _may_progress(m, plan.person)
)
