"""Who may see and edit barriers and engagement plans.

Admins see and edit every plan; sponsors read them; a coach sees and edits their
coachees' plans and barriers; a leader sees their own plan and fills their own barriers.

=================================  ================================================
rule                               who
=================================  ================================================
``engagement.view_plans``          admins, sponsors, coaches, leaders (the list)
``engagement.view_barrier_freq…``  admins, sponsors (organisation-wide counts)
``engagement.view_leader``         a leader's plan and checklist: admins, sponsors,
                                   the leader's coach, the leader (own)
``engagement.edit_plan``           admins, the leader's coach
``engagement.edit_barriers``       admins, the leader's coach, the leader (own)
``engagement.view_influencer_b…``  the bands of the people who influence a leader,
                                   named in their plan: admins, sponsors, the
                                   leader's coach (never the leader: leaders see
                                   their own band only)
=================================  ================================================
"""

from __future__ import annotations

from typing import Literal

from django.db.models import QuerySet
from django.http import HttpRequest

from bellwether.accounts.access import roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule
from bellwether.people.access import (
    is_admin,
    is_coach_of,
    is_own_leader,
    leaders_visible_to,
    may_view_leader,
)
from bellwether.people.models import Person


def _may_edit_plan(membership: Membership, person: Person) -> bool:
    return is_admin(membership) or is_coach_of(membership, person.pk)


def _may_edit_barriers(membership: Membership, person: Person) -> bool:
    return _may_edit_plan(membership, person) or is_own_leader(membership, person)


def _may_see_influencer_bands(membership: Membership, person: Person) -> bool:
    # Leaders see their own band only: the plan of a leader names the bands of the
    # people who influence them, which the leader themselves must not read.
    return membership.has_role(Role.ADMIN, Role.SPONSOR) or is_coach_of(membership, person.pk)


VIEW_PLANS = Rule("engagement.view_plans", roles(Role.ADMIN, Role.SPONSOR, Role.COACH, Role.LEADER))
VIEW_BARRIER_FREQUENCY = Rule("engagement.view_barrier_frequency", roles(Role.ADMIN, Role.SPONSOR))
VIEW_LEADER = ObjectRule("engagement.view_leader", may_view_leader)
EDIT_PLAN = ObjectRule("engagement.edit_plan", _may_edit_plan)
EDIT_BARRIERS = ObjectRule("engagement.edit_barriers", _may_edit_barriers)
VIEW_INFLUENCER_BANDS = ObjectRule("engagement.view_influencer_bands", _may_see_influencer_bands)


def visible_engagement_people(
    membership: Membership | None, people: QuerySet[Person]
) -> QuerySet[Person]:
    """The people whose plans and checklists the member may see (``VIEW_LEADER`` as a
    query)."""
    if membership is None or not VIEW_PLANS.allows(membership):
        return people.none()
    return leaders_visible_to(membership, people)


def get_engagement_person_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    edit: Literal["", "plan", "barriers"] = "",
) -> Person:
    """The leader whose plan or checklist is asked for: 403 for roles without plans,
    404 (audited) for someone of another organisation or whom the member may not see,
    403 when ``edit`` ("plan" or "barriers") is asked and the member may only read."""
    VIEW_PLANS.require(request, membership)
    person = VIEW_LEADER.get(
        request,
        membership,
        Person.objects.select_related("org_unit", "organisation"),
        pk,
        label="person",
    )
    if edit == "plan":
        EDIT_PLAN.require(request, membership, person)
    elif edit == "barriers":
        EDIT_BARRIERS.require(request, membership, person)
    return person
