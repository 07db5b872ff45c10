"""Who may see and change communication plans, deliveries and the rhythm views.

================================  =====================================================
rule                              who
================================  =====================================================
``communications.home``           admins, sponsors, coaches, leaders
``communications.view_org``       admins, sponsors: the organisation's calendar and the
                                  rhythm view with its exports
``communications.view_leader``    a leader's plan, slots and calendar: admins, sponsors,
                                  the leader's coach, the leader (own)
``communications.edit_leader``    editing the plan and logging deliveries: admins, the
                                  leader (own)
``communications.feed``           a calendar subscription of one's own slots: leaders
``communications.preferences``    one's own alert preferences: every member
================================  =====================================================
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest

from bellwether.accounts.access import anyone, roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.communications.models import Delivery
from bellwether.core.access import ObjectRule, Rule, refuse
from bellwether.people.access import is_admin, is_own_leader, leaders_visible_to, may_view_leader
from bellwether.people.models import Person


def _may_edit_leader(membership: Membership, person: Person) -> bool:
    return is_admin(membership) or is_own_leader(membership, person)


def _has_own_slots(membership: Membership) -> bool:
    return membership.has_role(Role.LEADER) and membership.person_id is not None


HOME = Rule("communications.home", roles(Role.ADMIN, Role.SPONSOR, Role.COACH, Role.LEADER))
VIEW_ORG = Rule("communications.view_org", roles(Role.ADMIN, Role.SPONSOR))
VIEW_LEADER = ObjectRule("communications.view_leader", may_view_leader)
EDIT_LEADER = ObjectRule("communications.edit_leader", _may_edit_leader)
FEED = Rule("communications.feed", _has_own_slots)
PREFERENCES = Rule("communications.preferences", anyone)


def visible_leaders(membership: Membership) -> QuerySet[Person]:
    """The leaders whose communications the member may see (``VIEW_LEADER`` as a query)."""
    return leaders_visible_to(membership, Person.objects.exclude(leader_level=""))


def get_leader_for(
    request: HttpRequest | None, membership: Membership | None, pk: int, *, edit: bool = False
) -> Person:
    """A leader whose communications the member may see: 403 for roles without the pages,
    404 (audited) for another organisation's or a hidden person, 403 for an edit the
    member may only read."""
    HOME.require(request, membership)
    person = VIEW_LEADER.get(
        request,
        membership,
        Person.objects.select_related("org_unit", "organisation").exclude(leader_level=""),
        pk,
        label="leader",
    )
    if edit:
        EDIT_LEADER.require(request, membership, person)
    return person


def get_delivery_for(
    request: HttpRequest | None, membership: Membership | None, person_pk: int, pk: int
) -> Delivery:
    """One of a leader's deliveries, for a member who may edit that leader's
    communications: 404 (audited) for another leader's or organisation's delivery."""
    person = get_leader_for(request, membership, person_pk, edit=True)
    delivery = (
        Delivery.objects.filter(person=person, pk=pk)
        .select_related("person__org_unit", "organisation")
        .first()
    )
    if delivery is None:
        refuse(request, membership, rule=EDIT_LEADER.name, target=f"delivery {pk}", not_found=True)
    return delivery
