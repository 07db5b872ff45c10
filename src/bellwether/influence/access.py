"""Who may see and edit the influence map (moved from accounts/permissions.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, refuse

if TYPE_CHECKING:
    from bellwether.people.models import Person
from bellwether.people.access import is_admin, is_coach_of, person_for

# --- influence map (issue 5) --------------------------------------------------------------
# Admins see and edit the map; executive sponsors see it; coaches see and edit their
# coachees' influence profiles. Leaders do not see the map (it labels their peers).


def can_view_influence_map(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


if TYPE_CHECKING:
    from bellwether.influence.models import PlannerRun, Tie


def can_edit_influence_map(membership: Membership | None) -> bool:
    """Ties, tie imports, recomputing the analytics and running the planner."""
    return is_admin(membership)


def can_open_influence_profiles(membership: Membership | None) -> bool:
    """The role may open profile pages at all (which ones: ``can_view_influence_profile``)."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR, Role.COACH)


def can_view_influence_profile(membership: Membership | None, person: Person) -> bool:
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    return is_coach_of(membership, person.pk)


def can_edit_influence_profile(membership: Membership | None, person: Person) -> bool:
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    return is_admin(membership) or is_coach_of(membership, person.pk)


# Asked through people.access.person_for.
VIEW_INFLUENCE_PROFILE = ObjectRule("can_view_influence_profile", can_view_influence_profile)


def get_influence_person_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Person:
    """An active leader whose influence profile the member may see; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    return person_for(
        request,
        membership,
        pk,
        rule=VIEW_INFLUENCE_PROFILE,
        people=Person.objects.select_related("org_unit")
        .filter(active=True)
        .exclude(leader_level=""),
    )


def get_tie_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Tie:
    """A tie of the member's organisation if they may see the map; otherwise 404 (audited)."""
    from bellwether.influence.models import Tie

    tie = (
        Tie.objects.select_related("source", "target")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if tie is None or not can_view_influence_map(membership):
        refuse(
            request, membership, rule="can_view_influence_map", target=f"tie {pk}", not_found=True
        )
    return tie


def get_planner_run_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> PlannerRun:
    from bellwether.influence.models import PlannerRun

    run = (
        PlannerRun.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    if run is None or not can_view_influence_map(membership):
        refuse(
            request,
            membership,
            rule="can_view_influence_map",
            target=f"planner run {pk}",
            not_found=True,
        )
    return run


# (end of influence map section)
