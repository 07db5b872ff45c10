"""Who may check in, see consistency, observe and recognise.

=================================  ================================================
rule                               who
=================================  ================================================
``behaviours.home``                admins, sponsors, leaders
``behaviours.any_member``          every member (pages about one person, whose
                                   object rule answers 404 to the others)
``behaviours.check_in``            leaders linked to their person (own check-in and
                                   own consistency only)
``behaviours.view_organisation``   admins, sponsors (aggregates by unit and level)
``behaviours.view_leader``         a leader's consistency and observation aggregates:
                                   admins, sponsors, the leader's coach, the leader
``behaviours.take_part``           members linked to a person: observe their manager
                                   and peers, give and read recognitions
``behaviours.observe``             a subject the member may observe (manager or peer);
                                   anyone else is reported missing (404)
=================================  ================================================

Individual observations are never shown to anyone but the observer; a leader sees the
aggregates of at least the 360 minimum (``selectors.observation_summary``). A
recognition is read by the recognised person, their manager and the giver
(``selectors.recognitions_visible_to``). The one-tap link page is not a member page: the
signed token is its key (``services.check_link``).
"""

from __future__ import annotations

from django.http import HttpRequest

from bellwether.accounts.access import anyone, roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.behaviours.services.observations import relation_between
from bellwether.core.access import ObjectRule, Rule, refuse
from bellwether.people.access import is_coach_of
from bellwether.people.models import Person


def _leader_with_person(membership: Membership) -> bool:
    return membership.has_role(Role.LEADER) and membership.person_id is not None


def _has_person(membership: Membership) -> bool:
    return membership.person_id is not None


def _may_view_leader(membership: Membership, person: Person) -> bool:
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if _leader_with_person(membership) and membership.person_id == person.pk:
        return True
    return is_coach_of(membership, person.pk)


def _may_observe(membership: Membership, person: Person) -> bool:
    me = membership.person
    return me is not None and relation_between(me, person) is not None


HOME = Rule("behaviours.home", roles(Role.ADMIN, Role.SPONSOR, Role.LEADER))
#: Pages about one person: who may see them is the object rule's question (404 otherwise).
ANY_MEMBER = Rule("behaviours.any_member", anyone)
CHECK_IN = Rule("behaviours.check_in", _leader_with_person)
VIEW_ORGANISATION = Rule("behaviours.view_organisation", roles(Role.ADMIN, Role.SPONSOR))
TAKE_PART = Rule("behaviours.take_part", _has_person)
VIEW_LEADER: ObjectRule[Membership, Person] = ObjectRule("behaviours.view_leader", _may_view_leader)
OBSERVE: ObjectRule[Membership, Person] = ObjectRule("behaviours.observe", _may_observe)


def get_leader_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Person:
    """A leader whose consistency the member may see; otherwise 404 (audited)."""
    return VIEW_LEADER.get(
        request,
        membership,
        Person.objects.select_related("org_unit", "organisation"),
        pk,
        label="person",
    )


def get_subject_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Person:
    """Someone the member may observe (their manager or a peer); anyone else is reported
    missing (404, audited)."""
    return OBSERVE.get(
        request, membership, Person.objects.select_related("organisation"), pk, label="person"
    )


def own_person(request: HttpRequest | None, membership: Membership) -> Person:
    """The member's own person (the rule asked already guarantees one)."""
    person = membership.person
    if person is None:  # pragma: no cover (CHECK_IN and TAKE_PART require one)
        refuse(request, membership, rule=TAKE_PART.name)
    return person
