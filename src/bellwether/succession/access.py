"""Who may see and change pathways, succession and learnings.

=================================  =====================================================
rule                               who
=================================  =====================================================
``succession.view_succession``     admins and executive sponsors ONLY: critical positions,
                                   successors, high-potential flags, pipeline depth,
                                   knowledge transfer (everyone else: 403, or 404 for an
                                   object)
``succession.view_pathways``       admins, sponsors, coaches, leaders (each sees the
                                   placements of the people they may see)
``succession.place_on_pathway``    admins, sponsors
``succession.view_placement``      admins, sponsors, the leader (own), their coach
``succession.learnings``           every member: read, search and add learnings
=================================  =====================================================
"""

from __future__ import annotations

from django.http import HttpRequest

from bellwether.accounts.access import anyone, roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule
from bellwether.people.access import is_coach_of
from bellwether.succession.models import CriticalPosition, PathwayPlacement, PlanItem

VIEW_SUCCESSION = Rule("succession.view_succession", roles(Role.ADMIN, Role.SPONSOR))
VIEW_PATHWAYS = Rule(
    "succession.view_pathways", roles(Role.ADMIN, Role.SPONSOR, Role.COACH, Role.LEADER)
)
PLACE_ON_PATHWAY = Rule("succession.place_on_pathway", roles(Role.ADMIN, Role.SPONSOR))
LEARNINGS = Rule("succession.learnings", anyone)


def _may_view_placement(membership: Membership, placement: PathwayPlacement) -> bool:
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.has_role(Role.LEADER) and membership.person_id == placement.person_id:
        return True
    return is_coach_of(membership, placement.person_id)


VIEW_POSITION: ObjectRule[Membership, CriticalPosition] = ObjectRule(
    "succession.view_position", lambda membership, position: VIEW_SUCCESSION.allows(membership)
)
VIEW_PLACEMENT: ObjectRule[Membership, PathwayPlacement] = ObjectRule(
    "succession.view_placement", _may_view_placement
)
EDIT_PLAN_ITEM: ObjectRule[Membership, PlanItem] = ObjectRule(
    "succession.edit_plan_item",
    lambda membership, item: _may_view_placement(membership, item.placement),
)


def get_position_for(
    request: HttpRequest | None, membership: Membership, pk: int
) -> CriticalPosition:
    from bellwether.succession import selectors

    VIEW_SUCCESSION.require(request, membership)
    return VIEW_POSITION.get(request, membership, selectors.positions(), pk, label="position")


def get_placement_for(
    request: HttpRequest | None, membership: Membership, pk: int
) -> PathwayPlacement:
    from bellwether.succession import selectors

    VIEW_PATHWAYS.require(request, membership)
    return VIEW_PLACEMENT.get(request, membership, selectors.placements(), pk, label="placement")


def get_plan_item_for(request: HttpRequest | None, membership: Membership, pk: int) -> PlanItem:
    from bellwether.succession import selectors

    VIEW_PATHWAYS.require(request, membership)
    return EDIT_PLAN_ITEM.get(request, membership, selectors.plan_items(), pk, label="plan item")
