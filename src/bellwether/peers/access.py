"""Who may do what in peer networks.

Admins run the matcher, review and publish proposals, schedule roundtables and summits
and record attendance. Leaders see the events they are invited to and answer them, and
their own published pairs (as mentor or mentee), where either partner records check-ins
and ends the pairing. Sponsors see every event. A proposed pair is seen by admins only.

=========================  ===========================================================
rule                       who
=========================  ===========================================================
``peers.manage``           admins (matching, scheduling, attendance, notes)
``peers.view``             admins, sponsors, leaders (events list, my mentoring)
``peers.view_event``       admins, sponsors, a leader invited to it
``peers.view_pair``        admins; the mentor and mentee once published
``peers.edit_pair``        admins; the mentor and mentee once published
``peers.manage_run``       admins (a match run of their organisation)
=========================  ===========================================================
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from bellwether.accounts.access import is_admin, roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule
from bellwether.peers.models import EventInvitation, MatchRun, Pairing, PairStatus, PeerEvent


def own_person_id(membership: Membership) -> int | None:
    """The person the member is, when they hold the leader role."""
    return membership.person_id if membership.has_role(Role.LEADER) else None


def _is_partner(membership: Membership, pairing: Pairing) -> bool:
    person_id = own_person_id(membership)
    return (
        person_id is not None
        and person_id in (pairing.mentor_id, pairing.mentee_id)
        and pairing.status in (PairStatus.ACTIVE, PairStatus.ENDED)
    )


def _may_see_pair(membership: Membership, pairing: Pairing) -> bool:
    return is_admin(membership) or _is_partner(membership, pairing)


def _may_see_event(membership: Membership, event: PeerEvent) -> bool:
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    person_id = own_person_id(membership)
    return (
        person_id is not None
        and EventInvitation.objects.filter(event=event, person_id=person_id).exists()
    )


MANAGE = Rule("peers.manage", roles(Role.ADMIN))
VIEW = Rule("peers.view", roles(Role.ADMIN, Role.SPONSOR, Role.LEADER))
VIEW_EVENT = ObjectRule("peers.view_event", _may_see_event)
VIEW_PAIR = ObjectRule("peers.view_pair", _may_see_pair)
EDIT_PAIR = ObjectRule("peers.edit_pair", _may_see_pair)


def _may_manage_run(membership: Membership, run: MatchRun) -> bool:
    return is_admin(membership)


MANAGE_RUN = ObjectRule("peers.manage_run", _may_manage_run)


def visible_events(membership: Membership) -> QuerySet[PeerEvent]:
    """``VIEW_EVENT`` as a query."""
    rows = PeerEvent.objects.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return rows
    person_id = own_person_id(membership)
    if person_id is None:
        return rows.none()
    return rows.filter(invitations__person_id=person_id)


def visible_pairs(membership: Membership) -> QuerySet[Pairing]:
    """Published pairs the member may see (``VIEW_PAIR`` as a query, proposals aside)."""
    rows = Pairing.objects.filter(
        organisation_id=membership.organisation_id,
        status__in=(PairStatus.ACTIVE, PairStatus.ENDED),
    )
    if is_admin(membership):
        return rows
    person_id = own_person_id(membership)
    if person_id is None:
        return rows.none()
    return rows.filter(Q(mentor_id=person_id) | Q(mentee_id=person_id))


def get_event_for(request: HttpRequest | None, membership: Membership, pk: int) -> PeerEvent:
    """The event, or 404 (audited) for one of another organisation or not invited to."""
    VIEW.require(request, membership)
    return VIEW_EVENT.get(request, membership, PeerEvent.objects.all(), pk, label="event")


def get_managed_event_for(
    request: HttpRequest | None, membership: Membership, pk: int
) -> PeerEvent:
    """The event an admin changes: 403 for other roles, 404 for another organisation."""
    MANAGE.require(request, membership)
    return VIEW_EVENT.get(request, membership, PeerEvent.objects.all(), pk, label="event")


def get_pair_for(
    request: HttpRequest | None, membership: Membership, pk: int, *, edit: bool = False
) -> Pairing:
    """The pair, or 404 (audited) for another organisation's or someone else's pair."""
    VIEW.require(request, membership)
    rule = EDIT_PAIR if edit else VIEW_PAIR
    rows = Pairing.objects.select_related(
        "mentor", "mentee", "mentor__org_unit", "mentee__org_unit"
    )
    return rule.get(request, membership, rows, pk, label="pair")


def get_run_for(request: HttpRequest | None, membership: Membership, pk: int) -> MatchRun:
    """A match run, for admins: 403 for other roles, 404 for another organisation's."""
    MANAGE.require(request, membership)
    return MANAGE_RUN.get(request, membership, MatchRun.objects.all(), pk, label="match run")
