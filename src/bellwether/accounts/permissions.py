"""Every permission decision in Bellwether is made here.

Views, API endpoints and commands ask these functions; they never inspect roles
themselves. Two kinds of refusal:

* an object outside the member's organisation, or one they may not see, is
  reported as missing (404), so nobody learns what exists elsewhere;
* a page or action their role does not allow is refused outright (403).

Both are written to the audit log by ``deny``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.core import audit

if TYPE_CHECKING:
    from django.http import HttpRequest

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


# --- enforcement -----------------------------------------------------------------


def deny(
    request: HttpRequest | None,
    membership: Membership | None,
    *,
    check: str,
    target: str = "",
    not_found: bool = False,
) -> NoReturn:
    """Record a refused permission check and raise 403 (or 404 for hidden objects)."""
    user = membership.user if membership is not None else None
    if user is None and request is not None and request.user.is_authenticated:
        user = request.user
    audit.record(
        action="permission.denied",
        organisation=membership.organisation if membership is not None else None,
        actor=user,
        target_label=target,
        details={
            "check": check,
            "path": request.path if request is not None else "",
            "method": request.method if request is not None else "",
            "refused_as": "404" if not_found else "403",
        },
        request=request,
    )
    if not_found:
        raise Http404("Not found")
    raise PermissionDenied("You do not have access to this page.")


def require(
    request: HttpRequest | None, membership: Membership | None, allowed: bool, *, check: str
) -> None:
    """Refuse with 403 (audited) unless ``allowed``."""
    if not allowed:
        deny(request, membership, check=check)


def get_person_for(request: HttpRequest | None, membership: Membership | None, pk: int) -> Person:
    """The person with this id if the member may see them; otherwise 404 (audited)."""
    from bellwether.people.models import Person

    person = (
        Person.objects.select_related("org_unit", "manager")
        .filter(pk=pk, organisation_id=membership.organisation_id)
        .first()
        if membership is not None
        else None
    )
    if person is None or not can_view_person(membership, person):
        deny(request, membership, check="can_view_person", target=f"person {pk}", not_found=True)
    return person


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
        deny(
            request, membership, check="can_view_org_unit", target=f"org unit {pk}", not_found=True
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
        deny(
            request,
            membership,
            check="can_import_people",
            target=f"import job {pk}",
            not_found=True,
        )
    return job
