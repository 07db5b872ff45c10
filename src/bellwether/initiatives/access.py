"""Who may see and change AI initiatives (moved from accounts/permissions.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import refuse

if TYPE_CHECKING:
    pass
from bellwether.people.access import is_admin

# --- AI initiatives (issue 6) ---------------------------------------------------------
# Admins and executive sponsors see and edit every initiative; a leader sees the ones
# they sponsor, own or are asked to sign; coaches and reviewers see none.

if TYPE_CHECKING:
    from bellwether.initiatives.models import DecisionLogEntry, Initiative


def can_view_initiatives(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR, Role.LEADER)


def can_manage_initiatives(membership: Membership | None) -> bool:
    """Create initiatives, configure bottleneck teams, see the whole portfolio."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def visible_initiatives(
    membership: Membership | None, initiatives: QuerySet[Initiative]
) -> QuerySet[Initiative]:
    if membership is None or not can_view_initiatives(membership):
        return initiatives.none()
    initiatives = initiatives.filter(organisation_id=membership.organisation_id)
    if can_manage_initiatives(membership):
        return initiatives
    person = membership.person_id
    if person is None:
        return initiatives.none()
    from bellwether.initiatives.models import Signatory

    signed = Signatory.objects.filter(person_id=person).values("initiative_id")
    return initiatives.filter(
        Q(sponsor_id=person)
        | Q(business_owner_id=person)
        | Q(model_owner_id=person)
        | Q(operational_owner_id=person)
        | Q(pk__in=signed)
    )


def can_view_initiative(membership: Membership | None, initiative: Initiative) -> bool:
    if membership is None or initiative.organisation_id != membership.organisation_id:
        return False
    if can_manage_initiatives(membership):
        return True
    if not can_view_initiatives(membership) or membership.person_id is None:
        return False
    person = membership.person_id
    if person in {
        initiative.sponsor_id,
        initiative.business_owner_id,
        initiative.model_owner_id,
        initiative.operational_owner_id,
    }:
        return True
    from bellwether.initiatives.models import Signatory

    return Signatory.objects.filter(initiative=initiative, person_id=person).exists()


def is_initiative_sponsor(membership: Membership | None, initiative: Initiative) -> bool:
    return (
        membership is not None
        and membership.person_id is not None
        and membership.person_id == initiative.sponsor_id
    )


def can_edit_initiative(membership: Membership | None, initiative: Initiative) -> bool:
    return can_view_initiative(membership, initiative) and (
        can_manage_initiatives(membership) or is_initiative_sponsor(membership, initiative)
    )


def can_change_initiative_stage(membership: Membership | None, initiative: Initiative) -> bool:
    return can_view_initiative(membership, initiative) and (
        is_admin(membership) or is_initiative_sponsor(membership, initiative)
    )


def is_executive_member(membership: Membership | None) -> bool:
    return (
        membership is not None
        and membership.is_active
        and membership.person is not None
        and membership.person.leader_level == "executive"
    )


def can_endorse_gates(membership: Membership | None, initiative: Initiative) -> bool:
    """Endorsing or waiving a gate, and recording alignment: executives who are members."""
    return is_executive_member(membership) and can_view_initiative(membership, initiative)


def can_override_capacity(membership: Membership | None, initiative: Initiative) -> bool:
    """Only the initiative's sponsor may start work beyond a bottleneck team's cap."""
    return is_initiative_sponsor(membership, initiative)


def get_initiative_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Initiative:
    """The initiative if the member may see it: 403 for roles that see no initiatives,
    404 (audited) for one of another organisation or one they don't sign."""
    from bellwether.initiatives.models import Initiative

    if membership is not None and not can_view_initiatives(membership):
        refuse(request, membership, rule="can_view_initiatives")
    initiative = (
        Initiative.objects.select_related(
            "sponsor", "business_owner", "model_owner", "operational_owner"
        )
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if initiative is None or not can_view_initiative(membership, initiative):
        refuse(
            request,
            membership,
            rule="can_view_initiative",
            target=f"initiative {pk}",
            not_found=True,
        )
    return initiative


def get_decision_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> DecisionLogEntry:
    """An entry of the AI decision log, for members who manage initiatives; 404 (audited)
    for one of another organisation."""
    from bellwether.initiatives.models import DecisionLogEntry

    if membership is not None and not can_manage_initiatives(membership):
        refuse(request, membership, rule="can_manage_initiatives")
    entry = (
        DecisionLogEntry.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    if entry is None:
        refuse(
            request, membership, rule="get_decision_for", target=f"decision {pk}", not_found=True
        )
    return entry
