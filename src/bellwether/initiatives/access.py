"""Who may see and change AI initiatives.

Admins and executive sponsors see and edit every initiative; a leader sees the ones they
sponsor, own or are asked to sign (and edits the ones they sponsor); coaches and
reviewers see none. Executives who are members endorse gates and record alignment; only
the initiative's sponsor may start work beyond a bottleneck team's cap.

Pages ask ``@page(RULE)``, the API ``RULE.check(request)``; both reach an initiative, one
of its parts, a decision or a team through the ``get_<thing>_for`` helpers below, which
answer 404 (audited) for another organisation's rows and for rows the member may not see.
"""

from __future__ import annotations

from typing import TypeVar, cast

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from bellwether.accounts.access import anyone, is_admin, roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule, refuse
from bellwether.initiatives.models import (
    BottleneckTeam,
    ChangeImpact,
    DecisionLogEntry,
    DecisionRight,
    GateReview,
    Initiative,
    Metric,
    Signatory,
)
from bellwether.people.models import LeaderLevel, Person

# --- the rules: name → who ----------------------------------------------------------------

#: The portfolio and the initiatives a member takes part in.
VIEW_INITIATIVES = Rule[Membership](
    "initiatives.view_initiatives", roles(Role.ADMIN, Role.SPONSOR, Role.LEADER)
)
#: Register initiatives, the whole portfolio, capacity caps, the decision log.
MANAGE_INITIATIVES = Rule[Membership](
    "initiatives.manage_initiatives", roles(Role.ADMIN, Role.SPONSOR)
)
#: The POST-only forms of an initiative's page: any member reaches the handler (a GET is
#: 405 for everyone), which then asks the initiative's own rules below.
SUBMIT_INITIATIVE_FORM = Rule[Membership]("initiatives.submit_initiative_form", anyone)

#: One initiative: managers, and the leaders who sponsor, own or sign it.
VIEW_INITIATIVE = ObjectRule[Membership, Initiative](
    "initiatives.view_initiative", lambda m, i: _sees(m, i)
)
#: Its alignment package, metrics, registers and gate evidence: managers and its sponsor.
EDIT_INITIATIVE = ObjectRule[Membership, Initiative](
    "initiatives.edit_initiative",
    lambda m, i: _sees(m, i) and (MANAGE_INITIATIVES.allows(m) or _sponsors(m, i)),
)
#: A metric, change impact or decision right of an initiative the member may edit.
EDIT_PACKAGE_PART = ObjectRule[Membership, Metric | ChangeImpact | DecisionRight](
    "initiatives.edit_package_part", lambda m, part: EDIT_INITIATIVE.allows(m, part.initiative)
)
#: A gate of an initiative the member may see.
VIEW_GATE = ObjectRule[Membership, GateReview](
    "initiatives.view_gate", lambda m, gate: VIEW_INITIATIVE.allows(m, gate.initiative)
)
#: Moving the initiative between stages: admins and its sponsor.
CHANGE_STAGE = ObjectRule[Membership, Initiative](
    "initiatives.change_stage", lambda m, i: _sees(m, i) and (is_admin(m) or _sponsors(m, i))
)
#: Endorsing or waiving a gate, and recording alignment: executives who are members.
ENDORSE_GATES = ObjectRule[Membership, Initiative](
    "initiatives.endorse_gates", lambda m, i: _is_executive(m) and _sees(m, i)
)
#: Starting work beyond a bottleneck team's cap: the initiative's sponsor only.
OVERRIDE_CAPACITY = ObjectRule[Membership, Initiative](
    "initiatives.override_capacity", lambda m, i: _sponsors(m, i)
)
#: A bottleneck team of the member's organisation (the initiative's rule is asked first).
USE_TEAM = ObjectRule[Membership, BottleneckTeam]("initiatives.use_team", lambda m, t: True)
#: An entry of the AI decision log: managers.
VIEW_DECISION = ObjectRule[Membership, DecisionLogEntry](
    "initiatives.view_decision", lambda m, entry: MANAGE_INITIATIVES.allows(m)
)


# --- the questions the rules are declared from --------------------------------------------


def _sponsors(membership: Membership, initiative: Initiative) -> bool:
    return membership.person_id is not None and membership.person_id == initiative.sponsor_id


def _is_executive(membership: Membership) -> bool:
    person = membership.person
    return person is not None and person.leader_level == LeaderLevel.EXECUTIVE


def _sees(membership: Membership, initiative: Initiative) -> bool:
    if initiative.organisation_id != membership.organisation_id:
        return False
    if MANAGE_INITIATIVES.allows(membership):
        return True
    person = membership.person_id
    if not VIEW_INITIATIVES.allows(membership) or person is None:
        return False
    if person in {
        initiative.sponsor_id,
        initiative.business_owner_id,
        initiative.model_owner_id,
        initiative.operational_owner_id,
    }:
        return True
    return Signatory.objects.filter(initiative=initiative, person_id=person).exists()


def visible_initiatives(
    membership: Membership | None, initiatives: QuerySet[Initiative] | None = None
) -> QuerySet[Initiative]:
    """The initiatives (of ``initiatives``, by default all) this member may see: the list
    form of ``VIEW_INITIATIVE``."""
    rows = Initiative.objects.all() if initiatives is None else initiatives
    if membership is None or not VIEW_INITIATIVES.allows(membership):
        return rows.none()
    rows = rows.filter(organisation_id=membership.organisation_id)
    if MANAGE_INITIATIVES.allows(membership):
        return rows
    person = membership.person_id
    if person is None:
        return rows.none()
    signed = Signatory.objects.filter(person_id=person).values("initiative_id")
    return rows.filter(
        Q(sponsor_id=person)
        | Q(business_owner_id=person)
        | Q(model_owner_id=person)
        | Q(operational_owner_id=person)
        | Q(pk__in=signed)
    )


# --- reaching one row: 404 (audited) for what the member may not see ------------------------

PartT = TypeVar("PartT", Metric, ChangeImpact, DecisionRight)


def get_initiative_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    to: ObjectRule[Membership, Initiative] | None = None,
) -> Initiative:
    """The initiative if the member may see it: 403 for roles that see no initiatives, 404
    (audited) for one of another organisation or one they don't take part in. With ``to``,
    also 403 (audited) unless that rule allows them to act on it (``to=EDIT_INITIATIVE``)."""
    VIEW_INITIATIVES.require(request, membership)
    initiative = VIEW_INITIATIVE.get(
        request,
        membership,
        Initiative.objects.select_related(
            "sponsor", "business_owner", "model_owner", "operational_owner"
        ),
        pk,
        label="initiative",
    )
    if to is not None:
        to.require(request, membership, initiative)
    return initiative


def get_part_for(
    request: HttpRequest | None,
    membership: Membership,
    initiative: Initiative,
    model: type[PartT],
    pk: int,
) -> PartT:
    """A metric, change impact or decision right of ``initiative`` the member may edit."""
    part = EDIT_PACKAGE_PART.get(
        request,
        membership,
        model.objects.filter(initiative=initiative).select_related("initiative"),
        pk,
    )
    return cast(PartT, part)


def get_gate_for(
    request: HttpRequest | None, membership: Membership, initiative: Initiative, key: str
) -> GateReview:
    """A gate (or non-negotiable) of ``initiative`` by its catalogue key."""
    gate = (
        GateReview.objects.filter(initiative=initiative, key=key)
        .select_related("endorsed_by", "initiative")
        .first()
    )
    if gate is None or not VIEW_GATE.allows(membership, gate):
        refuse(request, membership, rule=VIEW_GATE.name, target=f"gate {key}", not_found=True)
    return gate


def get_team_for(request: HttpRequest | None, membership: Membership, pk: int) -> BottleneckTeam:
    """A bottleneck team of the member's organisation."""
    return USE_TEAM.get(request, membership, BottleneckTeam.objects.all(), pk, label="team")


def get_decision_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> DecisionLogEntry:
    """An entry of the AI decision log, for members who manage initiatives: 403 for other
    roles, 404 (audited) for one of another organisation."""
    MANAGE_INITIATIVES.require(request, membership)
    return VIEW_DECISION.get(
        request,
        membership,
        DecisionLogEntry.objects.select_related("decided_by", "initiative"),
        pk,
        label="decision",
    )


def executive_for(
    request: HttpRequest | None, membership: Membership, initiative: Initiative
) -> Person:
    """The member's own person record, if they may endorse gates and align on
    ``initiative``; otherwise 403 (audited)."""
    ENDORSE_GATES.require(request, membership, initiative)
    person = membership.person
    if person is None:  # ENDORSE_GATES allows only members with a person record
        refuse(request, membership, rule=ENDORSE_GATES.name)
    return person
