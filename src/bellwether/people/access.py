"""Who may see and change people, org units and imports.

The rules, declared once (rule name → who); pages ask ``@page(RULE)``, the API
``RULE.check(request)``, objects come through the ``get_<thing>_for`` helpers (404 for
another organisation or someone the member may not see, audited).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from bellwether.accounts.access import is_admin, roles
from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import ObjectRule, Rule

if TYPE_CHECKING:
    from bellwether.people.models import ImportJob, OrgUnit, Person

__all__ = [
    "BROWSE_PEOPLE",
    "EXPORT_PEOPLE",
    "IMPORT_PEOPLE",
    "OPEN_IMPORT_JOB",
    "VIEW_ORG_CHART",
    "VIEW_ORG_UNIT",
    "VIEW_PERSON",
    "can_view_person",
    "get_import_job_for",
    "get_org_unit_for",
    "get_person_for",
    "is_admin",
    "is_coach_of",
    "leaders_visible_to",
    "person_for",
    "pickable_people",
    "picks_in_detail",
    "visible_people",
]


def _assignment_kinds(membership: Membership) -> list[str]:
    """The assignments through which a coach or reviewer sees people."""
    kinds: list[str] = []
    if membership.has_role(Role.COACH):
        kinds.append(Assignment.Kind.COACHEE)
    if membership.has_role(Role.REVIEWER):
        kinds.append(Assignment.Kind.REVIEWEE)
    return kinds


def can_view_person(membership: Membership | None, person: Person) -> bool:
    """Admins and sponsors see everyone; others themselves, their coachees and reviewees."""
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR) or membership.person_id == person.pk:
        return True
    kinds = _assignment_kinds(membership)
    return (
        bool(kinds)
        and Assignment.objects.filter(membership=membership, person=person, kind__in=kinds).exists()
    )


# --- the rules ---------------------------------------------------------------------------

#: The people directory: everyone for admins and sponsors, coachees for coaches,
#: reviewees for reviewers.
BROWSE_PEOPLE = Rule(
    "people.browse_people", roles(Role.ADMIN, Role.SPONSOR, Role.COACH, Role.REVIEWER)
)
#: The person pickers' type-ahead: every member with a role picks people somewhere
#: (raters, owners, invitees); a few matches at a time, never the directory.
SEARCH_PEOPLE = Rule(
    "people.search_people",
    roles(Role.ADMIN, Role.SPONSOR, Role.LEADER, Role.COACH, Role.REVIEWER),
)
VIEW_ORG_CHART = Rule("people.view_org_chart", roles(Role.ADMIN, Role.SPONSOR))
IMPORT_PEOPLE = Rule("people.import_people", roles(Role.ADMIN))
EXPORT_PEOPLE = Rule("people.export_people", roles(Role.ADMIN))

VIEW_PERSON: ObjectRule[Membership, Person] = ObjectRule("people.view_person", can_view_person)
VIEW_ORG_UNIT: ObjectRule[Membership, OrgUnit] = ObjectRule(
    "people.view_org_unit", lambda membership, unit: VIEW_ORG_CHART.allows(membership)
)
OPEN_IMPORT_JOB: ObjectRule[Membership, ImportJob] = ObjectRule(
    "people.open_import_job", lambda membership, job: IMPORT_PEOPLE.allows(membership)
)


# --- rows the member may see ---------------------------------------------------------------


def visible_people(membership: Membership | None, people: QuerySet[Person]) -> QuerySet[Person]:
    """Restrict a queryset of people to those the member may see (``can_view_person``)."""
    if membership is None:
        return people.none()
    people = people.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return people
    assigned = Assignment.objects.filter(
        membership=membership, kind__in=_assignment_kinds(membership)
    ).values("person_id")
    if membership.person_id is not None:
        return people.filter(Q(pk__in=assigned) | Q(pk=membership.person_id))
    return people.filter(pk__in=assigned)


def pickable_people(membership: Membership, people: QuerySet[Person]) -> QuerySet[Person]:
    """Those of ``people`` a person picker may suggest to the member, by the pickers
    they can use. Admins and sponsors pick across the organisation (raters, owners,
    signatories, successors, invitees); a member linked to a person may recognise any
    colleague, so picks among the organisation's people too; a member with no person
    of their own (an external coach, a reviewer's account) has no organisation-wide
    picker and is offered only the people assigned to them. Never another tenant's."""
    people = people.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR) or membership.person_id is not None:
        return people
    return people.filter(
        pk__in=Assignment.objects.filter(
            membership=membership,
            kind__in=_assignment_kinds(membership),
            organisation_id=membership.organisation_id,
        ).values("person_id")
    )


def picks_in_detail(membership: Membership) -> bool:
    """Whether the picker shows a suggestion's title and e-mail beside its name (those
    who manage people: admins, sponsors) or only the name and unit (everyone else)."""
    return membership.has_role(Role.ADMIN, Role.SPONSOR)


def is_coach_of(membership: Membership | None, person_id: int) -> bool:
    """The member coaches this person (a coachee assignment in the same organisation)."""
    return (
        membership is not None
        and membership.has_role(Role.COACH)
        and Assignment.objects.filter(
            membership=membership,
            person_id=person_id,
            kind=Assignment.Kind.COACHEE,
            organisation_id=membership.organisation_id,
        ).exists()
    )


# --- objects, or 404 (audited) -------------------------------------------------------------


def is_own_leader(membership: Membership, person: Person) -> bool:
    """The member is this leader (a leader looking at their own records)."""
    return membership.has_role(Role.LEADER) and membership.person_id == person.pk


def may_view_leader(membership: Membership, person: Person) -> bool:
    """A leader's own programme records (plans, communications): admins, sponsors, the
    leader themselves and their coach."""
    if membership.has_role(Role.ADMIN, Role.SPONSOR) or is_own_leader(membership, person):
        return True
    return is_coach_of(membership, person.pk)


def leaders_visible_to(membership: Membership, people: QuerySet[Person]) -> QuerySet[Person]:
    """``may_view_leader`` as a query: those of ``people`` (in the member's organisation)
    whose own programme records the member may see."""
    people = people.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return people
    allowed = Q(pk__in=[])
    if membership.has_role(Role.COACH):
        allowed |= Q(
            pk__in=Assignment.objects.filter(
                membership=membership, kind=Assignment.Kind.COACHEE
            ).values("person_id")
        )
    if membership.has_role(Role.LEADER) and membership.person_id is not None:
        allowed |= Q(pk=membership.person_id)
    return people.filter(allowed)


def person_for(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    rule: ObjectRule[Any, Person],
    people: QuerySet[Person] | None = None,
) -> Person:
    """The person with this id in the member's organisation (among ``people``, default
    everyone) if ``rule`` allows the member; otherwise 404 (audited). Other apps' rules
    about a person (a readiness report, an influence profile, a plan) ask through this."""
    from bellwether.people.models import Person

    rows = people if people is not None else Person.objects.all()
    return rule.get(request, membership, rows, pk, label="person")


def get_person_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Person:
    """The person with this id if the member may see them; otherwise 404 (audited)."""
    from bellwether.people import selectors

    return person_for(
        request, membership, pk, rule=VIEW_PERSON, people=selectors.people_with_placement()
    )


def get_org_unit_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> OrgUnit:
    """An org unit of the member's organisation if they may see the chart; otherwise 404."""
    from bellwether.people.models import OrgUnit

    return VIEW_ORG_UNIT.get(request, membership, OrgUnit.objects.all(), pk, label="org unit")


def get_import_job_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> ImportJob:
    """An import job of the member's organisation if they may import; otherwise 404
    (audited). The uploaded file itself is not loaded."""
    from bellwether.people import selectors

    return OPEN_IMPORT_JOB.get(request, membership, selectors.import_jobs(), pk, label="import job")
