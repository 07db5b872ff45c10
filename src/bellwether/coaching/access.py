"""Who may see and change coaching.

Session content is private to the coach and the coachee: admins assign coaches and
reviewers and see that sessions happened (counts and dates), never what was said.
An external coach holds only the coach role, so they see their own coachees and
nothing else.

=================================  ================================================
rule                               who
=================================  ================================================
``coaching.view_home``             coaches (their coachees), leaders (their own
                                   programme), admins (links to their screens)
``coaching.manage_assignments``    admins: coaches, reviewers, capacity, CSV
``coaching.view_overview``         admins: off-track list, session counts and dates
``coaching.view_programme``        the programme's coach, the coachee
``coaching.edit_programme``        the programme's coach
``coaching.prepare_session``       the coachee (pre-session form)
=================================  ================================================
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import HttpRequest

from bellwether.accounts.access import roles
from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.coaching.models import ActionItem, Programme, Session
from bellwether.core.access import ObjectRule, Rule
from bellwether.people.models import Person


def is_programme_coach(membership: Membership, programme: Programme) -> bool:
    return membership.has_role(Role.COACH) and programme.coach_id == membership.pk


def is_coachee(membership: Membership, programme: Programme) -> bool:
    return membership.person_id is not None and membership.person_id == programme.person_id


VIEW_HOME = Rule("coaching.view_home", roles(Role.ADMIN, Role.COACH, Role.LEADER))
MANAGE_ASSIGNMENTS = Rule("coaching.manage_assignments", roles(Role.ADMIN))
VIEW_OVERVIEW = Rule("coaching.view_overview", roles(Role.ADMIN))

VIEW_PROGRAMME: ObjectRule[Membership, Programme] = ObjectRule(
    "coaching.view_programme", lambda m, p: is_programme_coach(m, p) or is_coachee(m, p)
)
EDIT_PROGRAMME: ObjectRule[Membership, Programme] = ObjectRule(
    "coaching.edit_programme", is_programme_coach
)
PREPARE_SESSION: ObjectRule[Membership, Programme] = ObjectRule(
    "coaching.prepare_session", is_coachee
)
#: A member of the admin's organisation (to assign, or to set a coach's capacity).
MANAGE_ASSIGNEE: ObjectRule[Membership, Membership] = ObjectRule(
    "coaching.manage_assignee", lambda m, member: MANAGE_ASSIGNMENTS.allows(m)
)
MANAGE_ASSIGNED: ObjectRule[Membership, Person] = ObjectRule(
    "coaching.manage_assigned", lambda m, person: MANAGE_ASSIGNMENTS.allows(m)
)


def get_assignee_for(request: HttpRequest | None, membership: Membership, pk: int) -> Membership:
    """A member of the admin's organisation; another organisation's is 404 (audited)."""
    rows = Membership.objects.select_related("user").prefetch_related("role_grants")
    return MANAGE_ASSIGNEE.get(request, membership, rows, pk, label="membership")


def get_people_for(
    request: HttpRequest | None, membership: Membership, ids: Iterable[int]
) -> list[Person]:
    """The people with these ids in the admin's organisation; if any is missing or of
    another organisation, 404 (audited) for the first such id."""
    wanted = list(dict.fromkeys(ids))
    found = {
        p.pk: p
        for p in Person.objects.filter(pk__in=wanted, organisation_id=membership.organisation_id)
    }
    for pk in wanted:
        if pk not in found:
            MANAGE_ASSIGNED.get(request, membership, Person.objects.all(), pk, label="person")
    return [found[pk] for pk in wanted]


def _programmes() -> QuerySet[Programme]:
    return Programme.objects.select_related("person", "coach__user", "organisation")


def get_programme_for(
    request: HttpRequest | None, membership: Membership | None, pk: int, *, edit: bool = False
) -> Programme:
    """A programme its coach (or, to read, its coachee) may open; anyone else's, and
    another organisation's, is 404 (audited); the coachee asking to edit gets 403."""
    programme = VIEW_PROGRAMME.get(request, membership, _programmes(), pk, label="programme")
    if edit:
        EDIT_PROGRAMME.require(request, membership, programme)
    return programme


def get_session_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    edit: bool = False,
    prepare: bool = False,
) -> Session:
    """A session of a programme the member may open (``get_programme_for``); ``edit``
    needs its coach, ``prepare`` (the pre-session form) its coachee: 403 otherwise."""
    session = (
        Session.objects.select_related("programme__person", "programme__coach__user")
        .filter(pk=pk)
        .first()
    )
    programme = get_programme_for(
        request, membership, session.programme_id if session else 0, edit=edit
    )
    if session is None:  # pragma: no cover - the line above already refused
        raise AssertionError
    if prepare:
        PREPARE_SESSION.require(request, membership, programme)
    session.programme = programme
    return session


def get_item_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> ActionItem:
    """An action item its programme's coach may change; otherwise 404/403 as above."""
    item = ActionItem.objects.filter(pk=pk).first()
    programme = get_programme_for(request, membership, item.programme_id if item else 0, edit=True)
    assert item is not None  # get_programme_for refused a missing item
    item.programme = programme
    return item
