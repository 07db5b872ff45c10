"""Who may run readiness cycles and read readiness reports.

Admins run cycles and see every report; executive sponsors follow cycles and see every
report and the organisation views; a leader sees their own report and nominates their
own raters; a coach sees their coachees' reports. Nobody sees an individual rater's
answers.

Rule name → who:

====================================  =====================================================
``assessments.take_part``             every member (a page whose object rule decides)
``assessments.view_readiness``        admins, sponsors, leaders, coaches (the home page)
``assessments.manage_readiness``      admins: launch and close cycles, choose raters,
                                      approve nominations, send reminders, adapt wording
``assessments.follow_cycles``         admins, sponsors: the cycles and their progress
                                      (completion counts only, never answers)
``assessments.view_organisation``     admins, sponsors: distribution, heatmap, transitions,
                                      the export
``assessments.open_cycle``            a cycle of the member's organisation (404 otherwise)
``assessments.choose_cycle_leader``   admins: a leader assessed in the cycle
``assessments.nominate_raters``       a leader assessed in a "nominated" cycle
``assessments.change_rater``          admins any rater row; a leader their own nominations
``assessments.view_report``           admins, sponsors all; a leader their own; a coach
                                      their coachees'
``assessments.view_band``             admins, sponsors all; a leader their own; a coach
                                      their coachees'
====================================  =====================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

from bellwether.accounts.access import MemberRule, anyone, is_admin, roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.assessments import selectors
from bellwether.assessments.models import Rater, RaterMode, ReadinessCycle
from bellwether.core.access import ObjectRule, Rule
from bellwether.people.access import is_coach_of

if TYPE_CHECKING:
    from bellwether.people.models import Person


def _may_view_report(membership: Membership, person: Person) -> bool:
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.person_id == person.pk and VIEW_READINESS.allows(membership):
        return True
    return is_coach_of(membership, person.pk)


def _may_view_band(membership: Membership, person: Person) -> bool:
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.person_id == person.pk and membership.has_role(Role.LEADER):
        return True
    return is_coach_of(membership, person.pk)


def _may_nominate(membership: Membership, cycle: ReadinessCycle) -> bool:
    return (
        membership.person_id is not None
        and cycle.rater_mode == RaterMode.NOMINATED
        and membership.has_role(Role.LEADER)
        and selectors.is_cycle_leader(cycle, membership.person_id)
    )


def _may_change_rater(membership: Membership, rater: Rater) -> bool:
    return is_admin(membership) or rater.leader_id == membership.person_id


def _in_organisation(membership: Membership, obj: object) -> bool:
    """The organisation itself is checked by ``ObjectRule``: nothing more to ask."""
    return True


TAKE_PART: MemberRule = Rule("assessments.take_part", anyone)
VIEW_READINESS: MemberRule = Rule(
    "assessments.view_readiness", roles(Role.ADMIN, Role.SPONSOR, Role.LEADER, Role.COACH)
)
MANAGE_READINESS: MemberRule = Rule("assessments.manage_readiness", roles(Role.ADMIN))
FOLLOW_CYCLES: MemberRule = Rule("assessments.follow_cycles", roles(Role.ADMIN, Role.SPONSOR))
VIEW_ORGANISATION: MemberRule = Rule(
    "assessments.view_organisation", roles(Role.ADMIN, Role.SPONSOR)
)
OPEN_CYCLE: ObjectRule[Membership, ReadinessCycle] = ObjectRule(
    "assessments.open_cycle", _in_organisation
)
CHOOSE_CYCLE_LEADER: ObjectRule[Membership, Person] = ObjectRule(
    "assessments.choose_cycle_leader", lambda membership, _person: is_admin(membership)
)
# The tests below name their object's type: the rules' types are theirs.
NOMINATE_RATERS = ObjectRule("assessments.nominate_raters", _may_nominate)
CHANGE_RATER = ObjectRule("assessments.change_rater", _may_change_rater)
VIEW_REPORT = ObjectRule("assessments.view_report", _may_view_report)
VIEW_BAND = ObjectRule("assessments.view_band", _may_view_band)


# --- the objects, or 404 (audited) ------------------------------------------------------------


def get_readiness_cycle_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> ReadinessCycle:
    """A cycle of the member's organisation; otherwise 404 (audited). The page or endpoint
    asks the role rule (``FOLLOW_CYCLES``, ``MANAGE_READINESS``, ``NOMINATE_RATERS``) too."""
    return OPEN_CYCLE.get(request, membership, selectors.cycles(), pk, label="readiness cycle")


def get_cycle_leader_for(
    request: HttpRequest | None, membership: Membership | None, cycle: ReadinessCycle, pk: int
) -> Person:
    """A leader assessed in ``cycle``, for an admin choosing their raters; otherwise 404
    (audited)."""
    return CHOOSE_CYCLE_LEADER.get(
        request, membership, selectors.cycle_leader_people(cycle), pk, label="readiness leader"
    )


def get_readiness_rater_for(
    request: HttpRequest | None, membership: Membership | None, cycle: ReadinessCycle, pk: int
) -> Rater:
    """A rater row of this cycle: admins any; a leader their own nominations; otherwise
    404 (audited)."""
    return CHANGE_RATER.get(
        request, membership, selectors.raters_of(cycle), pk, label="readiness rater"
    )


def get_readiness_person_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Person:
    """The leader whose readiness report the member may open; otherwise 404 (audited)."""
    return VIEW_REPORT.get(request, membership, selectors.people(), pk, label="person")


def get_band_person_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> Person:
    """The leader whose current band the member may read; otherwise 404 (audited)."""
    return VIEW_BAND.get(request, membership, selectors.people(), pk, label="person")
