"""Who may see and change communication plans, deliveries and the rhythm views.

================================  =====================================================
rule                              who
================================  =====================================================
``communications.home``           admins, sponsors, coaches, leaders, assistants
``communications.view_org``       admins, sponsors: the organisation's calendar and the
                                  rhythm view with its exports
``communications.view_leader``    a leader's plan, slots and calendar: admins, sponsors,
                                  the leader's coach, the leader (own), their assistants
``communications.edit_leader``    editing the plan, asking for ratings, naming
                                  assistants: admins, the leader (own)
``communications.log_for``        logging deliveries: admins, the leader (own), the
                                  leader's assistants (a live delegation)
``communications.record_measures`` a quarter's behaviour change and business impact
                                  (Template 2): admins
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
from bellwether.communications.models import Delegation, Delivery
from bellwether.core.access import ObjectRule, Rule, refuse
from bellwether.people.access import is_admin, is_own_leader, leaders_visible_to, may_view_leader
from bellwether.people.models import Person


def _may_edit_leader(membership: Membership, person: Person) -> bool:
    return is_admin(membership) or is_own_leader(membership, person)


def _delegations(membership: Membership) -> QuerySet[Delegation]:
    return Delegation.objects.filter(
        assistant=membership, organisation_id=membership.organisation_id, revoked_at__isnull=True
    )


def is_assistant_of(membership: Membership, person: Person) -> bool:
    """The member is an assistant of this leader (a live delegation)."""
    return _delegations(membership).filter(leader=person).exists()


def _may_view(membership: Membership, person: Person) -> bool:
    return may_view_leader(membership, person) or is_assistant_of(membership, person)


def _may_log(membership: Membership, person: Person) -> bool:
    return _may_edit_leader(membership, person) or is_assistant_of(membership, person)


def _admin_only(membership: Membership, person: Person) -> bool:
    return is_admin(membership)


_staff = roles(Role.ADMIN, Role.SPONSOR, Role.COACH, Role.LEADER)


def _home(membership: Membership) -> bool:
    """Admins, sponsors, coaches, leaders, and members who assist a leader."""
    return _staff(membership) or _delegations(membership).exists()


def _has_own_slots(membership: Membership) -> bool:
    return membership.has_role(Role.LEADER) and membership.person_id is not None


HOME = Rule("communications.home", _home)
VIEW_ORG = Rule("communications.view_org", roles(Role.ADMIN, Role.SPONSOR))
VIEW_LEADER = ObjectRule("communications.view_leader", _may_view)
EDIT_LEADER = ObjectRule("communications.edit_leader", _may_edit_leader)
LOG_FOR = ObjectRule("communications.log_for", _may_log)
RECORD_MEASURES = ObjectRule("communications.record_measures", _admin_only)
FEED = Rule("communications.feed", _has_own_slots)
PREFERENCES = Rule("communications.preferences", anyone)


def visible_leaders(membership: Membership) -> QuerySet[Person]:
    """The leaders whose communications the member may see (``VIEW_LEADER`` as a query)."""
    leaders = Person.objects.exclude(leader_level="")
    assisted = leaders.filter(
        organisation_id=membership.organisation_id,
        pk__in=_delegations(membership).values("leader_id"),
    )
    return leaders_visible_to(membership, leaders) | assisted


def get_leader_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    edit: bool = False,
    log: bool = False,
) -> Person:
    """A leader whose communications the member may see: 403 for roles without the pages,
    404 (audited) for another organisation's or a hidden person, 403 for an edit (or a
    delivery to log, ``log``) the member may only read."""
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
    if log:
        LOG_FOR.require(request, membership, person)
    return person


def logs_as_assistant(membership: Membership, person: Person) -> bool:
    """The member logs for this leader as their assistant (not as an admin or the
    leader): the delivery says "logged by X for Y"."""
    return not _may_edit_leader(membership, person) and is_assistant_of(membership, person)


def get_delivery_for(
    request: HttpRequest | None,
    membership: Membership | None,
    person_pk: int,
    pk: int,
    *,
    edit: bool = True,
) -> Delivery:
    """One of a leader's deliveries, for a member who may edit (``edit``) or see that
    leader's communications: 404 (audited) for another leader's or organisation's."""
    person = get_leader_for(request, membership, person_pk, edit=edit)
    delivery = (
        Delivery.objects.filter(person=person, pk=pk)
        .select_related("person__org_unit", "organisation")
        .first()
    )
    if delivery is None:
        refuse(request, membership, rule=EDIT_LEADER.name, target=f"delivery {pk}", not_found=True)
    return delivery


def get_delegation_for(
    request: HttpRequest | None, membership: Membership | None, person: Person, pk: int
) -> Delegation:
    """One of the leader's delegations (the caller has checked ``EDIT_LEADER``): 404
    (audited) for another leader's."""
    row = (
        Delegation.objects.filter(leader=person, pk=pk)
        .select_related("leader", "assistant__user")
        .first()
    )
    if row is None:
        refuse(
            request, membership, rule=EDIT_LEADER.name, target=f"delegation {pk}", not_found=True
        )
    return row


def leader_for_api(
    request: HttpRequest, person_id: int, *, edit: bool = False, log: bool = False
) -> Person:
    """``get_leader_for`` for an API call: 401 without a token, then as the pages."""
    membership = HOME.check(request)
    return get_leader_for(request, membership, person_id, edit=edit, log=log)
