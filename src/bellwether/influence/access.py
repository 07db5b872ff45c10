"""Who may see and edit the influence map.

Admins see and edit the map; executive sponsors see it; coaches see and edit their
coachees' influence profiles. Leaders do not see the map (it labels their peers).

===============================  =================================================
rule                             who
===============================  =================================================
``influence.view_map``           admins, sponsors (network, grid, messengers,
                                 planner, ties)
``influence.edit_map``           admins (ties, tie imports, recomputing, planner)
``influence.open_profiles``      admins, sponsors, coaches (which profiles: below)
``influence.view_profile``       a leader's profile: admins, sponsors, their coach
``influence.edit_profile``       admins, the leader's coach
``influence.view_tie``           a tie: whoever sees the map
``influence.view_planner_run``   a planner run: whoever sees the map
===============================  =================================================
"""

from __future__ import annotations

from django.db.models import Model
from django.http import HttpRequest

from bellwether.accounts.access import roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule
from bellwether.influence.models import PlannerRun, Tie
from bellwether.people.access import is_admin, is_coach_of
from bellwether.people.models import Person

VIEW_MAP = Rule("influence.view_map", roles(Role.ADMIN, Role.SPONSOR))
EDIT_MAP = Rule("influence.edit_map", roles(Role.ADMIN))
OPEN_PROFILES = Rule("influence.open_profiles", roles(Role.ADMIN, Role.SPONSOR, Role.COACH))


def _may_view_profile(membership: Membership, person: Person) -> bool:
    return membership.has_role(Role.ADMIN, Role.SPONSOR) or is_coach_of(membership, person.pk)


def _may_edit_profile(membership: Membership, person: Person) -> bool:
    return is_admin(membership) or is_coach_of(membership, person.pk)


def _sees_map(membership: Membership, obj: Model) -> bool:
    return VIEW_MAP.allows(membership)


VIEW_PROFILE = ObjectRule("influence.view_profile", _may_view_profile)
EDIT_PROFILE = ObjectRule("influence.edit_profile", _may_edit_profile)
VIEW_TIE = ObjectRule[Membership, Tie]("influence.view_tie", _sees_map)
VIEW_PLANNER_RUN = ObjectRule[Membership, PlannerRun]("influence.view_planner_run", _sees_map)


def get_influence_person_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Person:
    """An active leader whose influence profile the member may see: 403 for roles that
    open no profiles, otherwise 404 (audited) for anyone else."""
    OPEN_PROFILES.require(request, membership)
    leaders = Person.objects.select_related("org_unit").filter(active=True).exclude(leader_level="")
    return VIEW_PROFILE.get(request, membership, leaders, pk, label="person")


def get_tie_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Tie:
    """A tie of the member's organisation if they may see the map; otherwise 404 (audited)."""
    return VIEW_TIE.get(
        request, membership, Tie.objects.select_related("source", "target"), pk, label="tie"
    )


def get_planner_run_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> PlannerRun:
    """A planner run of the member's organisation if they may see the map; otherwise 404
    (audited)."""
    return VIEW_PLANNER_RUN.get(
        request, membership, PlannerRun.objects.all(), pk, label="planner run"
    )
