"""Who may see and change people, org units and imports (moved from accounts/permissions.py;
to be declared as rules)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import HttpRequest

from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.core.access import refuse

if TYPE_CHECKING:
    from bellwether.people.models import ImportJob, OrgUnit, Person


# --- role-level questions ------------------------------------------------------


def is_admin(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN)


def can_view_organisation_home(membership: Membership | None) -> bool:
    return membership is not None and membership.is_active


def can_view_framework(membership: Membership | None) -> bool:
    return can_view_organisation_home(membership)


def can_browse_people(membership: Membership | None) -> bool:
    """The people directory: everyone for admins and sponsors, coachees for coaches,
    reviewees for reviewers."""
    return membership is not None and membership.has_role(
        Role.ADMIN, Role.SPONSOR, Role.COACH, Role.REVIEWER
    )


def can_view_org_chart(membership: Membership | None) -> bool:
    return membership is not None and membership.has_role(Role.ADMIN, Role.SPONSOR)


def can_import_people(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_export_people(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_view_audit_log(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_manage_members(membership: Membership | None) -> bool:
    return is_admin(membership)


def can_use_api(membership: Membership | None) -> bool:
    return membership is not None and membership.is_active


# --- object-level questions ----------------------------------------------------


def visible_people(membership: Membership | None, people: QuerySet[Person]) -> QuerySet[Person]:
    """Restrict a queryset of people to those the member may see."""
    if membership is None:
        return people.none()
    people = people.filter(organisation_id=membership.organisation_id)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return people
    kinds = []
    if membership.has_role(Role.COACH):
        kinds.append(Assignment.Kind.COACHEE)
    if membership.has_role(Role.REVIEWER):
        kinds.append(Assignment.Kind.REVIEWEE)
    assigned = Assignment.objects.filter(membership=membership, kind__in=kinds).values("person_id")
    if membership.person_id is not None:
        return people.filter(Q(pk__in=assigned) | Q(pk=membership.person_id))
    return people.filter(pk__in=assigned)


def can_view_person(membership: Membership | None, person: Person) -> bool:
    if membership is None or person.organisation_id != membership.organisation_id:
        return False
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return True
    if membership.person_id == person.pk:
        return True
    kinds = []
    if membership.has_role(Role.COACH):
        kinds.append(Assignment.Kind.COACHEE)
    if membership.has_role(Role.REVIEWER):
        kinds.append(Assignment.Kind.REVIEWEE)
    return (
        bool(kinds)
        and Assignment.objects.filter(membership=membership, person=person, kind__in=kinds).exists()
    )


def can_edit_person(membership: Membership | None, person: Person) -> bool:
    return (
        membership is not None
        and is_admin(membership)
        and person.organisation_id == membership.organisation_id
    )


def can_view_org_unit(membership: Membership | None, unit: OrgUnit) -> bool:
    return (
        membership is not None
        and unit.organisation_id == membership.organisation_id
        and can_view_org_chart(membership)
    )


def _person_or_404(
    request: HttpRequest | None,
    membership: Membership | None,
    pk: int,
    *,
    allowed: Callable[[Membership | None, Person], bool],
    rule: str,
    people: QuerySet[Person] | None = None,
) -> Person:
    """The person with this id in the member's organisation (among ``people``, default
    everyone) if ``allowed`` says the member may see them; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    rows = people if people is not None else Person.objects.all()
    person = (
        rows.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    if person is None or not allowed(membership, person):
        refuse(request, membership, rule=rule, target=f"person {pk}", not_found=True)
    assert person is not None
    return person


def get_person_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Person:
    """The person with this id if the member may see them; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    return _person_or_404(
        request,
        membership,
        pk,
        allowed=can_view_person,
        rule="can_view_person",
        people=Person.objects.select_related("org_unit", "manager"),
    )


def get_org_unit_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> OrgUnit:
    from bellwether.people.models import OrgUnit

    unit = (
        OrgUnit.objects.filter(pk=pk, organisation_id=membership.organisation_id).first()
        if membership is not None
        else None
    )
    if unit is None or not can_view_org_unit(membership, unit):
        refuse(
            request, membership, rule="can_view_org_unit", target=f"org unit {pk}", not_found=True
        )
    return unit


def get_import_job_for(
    request: HttpRequest | None, membership: Membership | None, pk: int
) -> ImportJob:
    """An import job of the member's organisation if they may import; otherwise 404 (audited).

    The uploaded file itself is not loaded.
    """
    from bellwether.people.models import ImportJob

    job = None
    if membership is not None:
        job = (
            ImportJob.objects.defer("content")
            .select_related("created_by")
            .filter(pk=pk, organisation_id=membership.organisation_id)
            .first()
        )
    if job is None or not can_import_people(membership):
        refuse(
            request,
            membership,
            rule="can_import_people",
            target=f"import job {pk}",
            not_found=True,
        )
    return job


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
