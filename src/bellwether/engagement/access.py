"""Who may see and edit barriers and engagement plans (moved from accounts/permissions.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, refuse

if TYPE_CHECKING:
    from bellwether.people.models import Person
from bellwether.people.access import is_admin, is_coach_of, person_for

# --- barriers and engagement plans (issue 5) ----------------------------------------------
# Admins see and edit every plan; sponsors read them; a coach sees and edits their
# coachees' plans and barriers; a leader sees their own plan and fills their own barriers.


def can_view_engagement_plans(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(
        Role.ADMIN, Role.SPONSOR, Role.COACH, Role.LEADER
    )


def can_view_barrier_frequency(membership: Membership | None) -> bool:
    """The organisation-wide barrier counts: admins and executive sponsors."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def can_view_engagement_of(membership: Membership | None, person: Person) -> bool:
    """A leader's plan and barrier checklist: admins and sponsors all, a coach their
    coachees', a leader their own."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.has_role(Role.LEADER) and membership.person_id == person.pk:
        return True
    return is_coach_of(membership, person.pk)


def can_edit_engagement_plan(membership: Membership | None, person: Person) -> bool:
    """Generate and edit a plan: admins, and a coach for their coachees."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    return is_admin(membership) or is_coach_of(membership, person.pk)


def can_edit_barriers(membership: Membership | None, person: Person) -> bool:
    """Fill the barrier checklist: admins, the leader's coach, the leader (own)."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if is_admin(membership) or is_coach_of(membership, person.pk):
        return True
    return membership.has_role(Role.LEADER) and membership.person_id == person.pk


def visible_engagement_people(
    membership: Membership | None, people: QuerySet[Person]
) -> QuerySet[Person]:
    """The people whose plans and checklists the member may see."""
    if membership is None or not can_view_engagement_plans(membership):
        return people.none()
    people = people.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return people
    allowed = Q(pk__in=[])
    if membership.has_role(Role.COACH):
        allowed |= Q(
            pk__in=Assignment.objects.filter(
                membership=membership, kind=Assignment.Kind.COACHEE
            ).values("person_id")
        )
    if membership.has_role(Role.LEADER) and membership.person_id is not None:
        allowed |= Q(pk=membership.person_id)
    return people.filter(allowed)


# Asked through people.access.person_for.
VIEW_ENGAGEMENT_OF = ObjectRule("can_view_engagement_of", can_view_engagement_of)


def get_engagement_person_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    edit: str = "",
) -> Person:
    """The leader whose plan or checklist is asked for: 403 for roles without plans,
    404 (audited) for someone of another organisation or whom the member may not see,
    403 when ``edit`` ("plan" or "barriers") is asked and the member may only read."""
    from bellwether.people.models import Person

    if membership is not None and not can_view_engagement_plans(membership):
        refuse(request, membership, rule="can_view_engagement_plans")
    person = person_for(
        request,
        membership,
        pk,
        rule=VIEW_ENGAGEMENT_OF,
        people=Person.objects.select_related("org_unit", "organisation"),
    )
    if edit == "plan" and not can_edit_engagement_plan(membership, person):
        refuse(request, membership, rule="can_edit_engagement_plan", target=f"person {pk}")
    if edit == "barriers" and not can_edit_barriers(membership, person):
        refuse(request, membership, rule="can_edit_barriers", target=f"person {pk}")
    return person


# (end of barriers and engagement plans section)
