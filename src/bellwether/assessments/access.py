"""Who may run readiness cycles and read reports (moved from accounts/permissions.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, refuse

if TYPE_CHECKING:
    from bellwether.people.models import Person
from bellwether.people.access import is_admin, is_coach_of, person_for

# --- readiness assessment (issue 4) -------------------------------------------------------
# Admins run cycles and see every report; executive sponsors see every report and the
# organisation views; a leader sees their own report; a coach their coachees' reports.
# Nobody sees an individual rater's answers.


def can_view_readiness(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(
        Role.ADMIN, Role.SPONSOR, Role.LEADER, Role.COACH
    )


if TYPE_CHECKING:
    from bellwether.assessments.models import Rater, ReadinessCycle


def can_manage_readiness(membership: Membership | None) -> bool:
    """Launch and close cycles, choose raters, approve nominations, send reminders."""
    return is_admin(membership)


def can_view_readiness_cycles(membership: Membership | None) -> bool:
    """The cycles list and progress pages (completion counts only, never answers)."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def can_view_readiness_band(membership: Membership | None, person_id: int) -> bool:
    """A leader's current band: admins and sponsors all, a leader their own, a coach their
    coachees'."""
    if membership is None:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.person_id == person_id and membership.has_role(Role.LEADER):
        return True
    return is_coach_of(membership, person_id)


def can_nominate_readiness_raters(membership: Membership | None, cycle: ReadinessCycle) -> bool:
    """A leader nominates raters for their own assessment in a "nominated" cycle."""
    if membership is None or membership.person_id is None:
        return False
    if cycle.organisation_id != membership.organisation_id or cycle.rater_mode != "nominated":
        return False
    return (
        membership.has_role(Role.LEADER)
        and cycle.leaders.filter(person_id=membership.person_id).exists()
    )


def get_readiness_cycle_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> ReadinessCycle:
    """A cycle of the member's organisation; otherwise 404 (audited). Pages check the
    role (``can_view_readiness_cycles``, ``can_nominate_readiness_raters``) themselves."""
    from bellwether.assessments.models import ReadinessCycle

    cycle = (
        ReadinessCycle.objects.select_related("campaign", "organisation")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if cycle is None:
        refuse(
            request,
            membership,
            rule="get_readiness_cycle_for",
            target=f"readiness cycle {pk}",
            not_found=True,
        )
    return cycle


def get_readiness_rater_for(
    request: HttpRequest | None, membership: Membership | None, cycle: ReadinessCycle, pk: int
) -> Rater:
    """A rater row of this cycle: admins any; a leader their own nominations."""
    from bellwether.assessments.models import Rater

    rater = (
        Rater.objects.select_related("cycle__organisation", "invitation")
        .filter(pk=pk, cycle=cycle)
        .first()
    )
    allowed = rater is not None and (
        can_manage_readiness(membership)
        or (membership is not None and rater.leader_id == membership.person_id)
    )
    if not allowed:
        refuse(
            request,
            membership,
            rule="can_manage_readiness",
            target=f"readiness rater {pk}",
            not_found=True,
        )
    assert rater is not None
    return rater


def can_view_readiness_report(membership: Membership | None, person: Person) -> bool:
    """A leader's individual readiness report: admins and sponsors all, a leader their own,
    a coach their coachees'; reviewers none."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.person_id == person.pk and can_view_readiness(membership):
        return True
    return is_coach_of(membership, person.pk)


def can_view_readiness_organisation(membership: Membership | None) -> bool:
    """The organisation views (distribution, heatmap, transitions, export)."""
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


# Asked through people.access.person_for.
VIEW_READINESS_REPORT = ObjectRule("can_view_readiness_report", can_view_readiness_report)


def get_readiness_person_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Person:
    """The leader whose readiness report the member may open; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    return person_for(
        request,
        membership,
        pk,
        rule=VIEW_READINESS_REPORT,
        people=Person.objects.select_related("org_unit"),
    )


# (end of readiness assessment section)
