"""People and org units over the JSON API: list, read, and batch upsert.

Each endpoint parses, asks its ``access`` rule, then calls a selector or the
importer's service; refusals use the house error format (``core.api``).
"""

from __future__ import annotations

import datetime
from functools import partial
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from bellwether.accounts.access import membership_of
from bellwether.accounts.models import Membership
from bellwether.core import cursor, exports
from bellwether.core.api import answers, batch_answer, batch_of, named_if, page_of
from bellwether.core.errors import DomainError
from bellwether.core.schema import (
    BatchCounts,
    CellValue,
    ErrorOut,
    PathId,
    QueryId,
    QueryInput,
    StrictInput,
)
from bellwether.people import access, selectors, services
from bellwether.people.models import OrgUnit, Person
from bellwether.people.selectors import PEOPLE_ORDER, LevelFilter, PeopleFilters, StatusFilter

router = Router(tags=["people"])

MAX_OFFSET = 10_000_000
MAX_PAGE = 500
DEFAULT_PAGE = 50
MAX_BATCH = 5000


# --- schemas ---------------------------------------------------------------------------


class OrgUnitRef(Schema):
    id: int
    code: str
    name: str


class PersonRef(Schema):
    id: int
    employee_id: str
    name: str


class PersonOut(Schema):
    id: int
    employee_id: str
    name: str
    email: str
    title: str
    org_unit: OrgUnitRef | None
    manager: PersonRef | None
    leader_level: str = Field(
        description='"executive", "senior", "operational" or "" (not a leader)'
    )
    location: str
    start_date: datetime.date | None
    active: bool


class PeoplePage(Schema):
    count: int = Field(description="How many people match, across all pages")
    limit: int
    offset: int
    items: list[PersonOut]
    next: str | None = Field(
        None, description="Cursor of the next page (pass it as `cursor`); null on the last page"
    )


class PeopleQuery(QueryInput):
    q: str = Field(
        "", max_length=200, description="Words to find in name, email, employee id or title"
    )
    org_unit: QueryId | None = Field(
        None, description="An org unit id; its descendants are included"
    )
    leader_level: LevelFilter | None = Field(
        None, description='A level, "leaders" (any level) or "none" (not a leader)'
    )
    active: Literal["true", "false", "all"] = "true"
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    # Bounded so the database is never asked for a row number it cannot represent.
    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    cursor: str = Field(
        "",
        max_length=500,
        description="The `next` of the previous page: the page after it, as fast as the first",
    )


class OrgUnitOut(Schema):
    id: int
    code: str
    name: str
    parent_id: int | None
    path: str
    depth: int


class OrgUnitDetail(OrgUnitOut):
    people: int = Field(description="Active people in this unit and every unit below it")
    leaders: int = Field(description="Active leaders in this unit and every unit below it")
    children: int = Field(description="Units directly below this one")
    head: PersonRef | None = Field(
        description="The most senior leader placed in this unit (see the org chart's rule)"
    )


class OrgUnitPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrgUnitOut]


class OrgUnitQuery(QueryInput):
    q: str = Field("", max_length=200, description="Words to find in the unit's name or code")
    parent: QueryId | None = Field(None, description="Only the units directly below this unit id")
    roots: bool = Field(False, description="Only the top-level units")
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE)
    # Bounded so the database is never asked for a row number it cannot represent.
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


class BatchIn(StrictInput):
    records: list[dict[str, CellValue]] = Field(
        description=f"Up to {MAX_BATCH:,} records, each an object of column → value as in an import"
    )
    dry_run: bool = Field(False, description="Check and count, but change nothing")


class BatchOut(BatchCounts):
    deactivated: int


# --- people ---------------------------------------------------------------------------


def _person_out(person: Person) -> dict[str, Any]:
    unit = person.org_unit
    manager = person.manager
    return {
        "id": person.pk,
        "employee_id": person.employee_id,
        "name": person.name,
        "email": person.email,
        "title": person.title,
        "org_unit": {"id": unit.pk, "code": unit.code, "name": unit.name} if unit else None,
        "manager": (
            {"id": manager.pk, "employee_id": manager.employee_id, "name": manager.name}
            if manager
            else None
        ),
        "leader_level": person.leader_level,
        "location": person.location,
        "start_date": person.start_date,
        "active": person.active,
    }


def _unit_named(membership: Membership, pk: int | None, field: str) -> OrgUnit | None:
    """The org unit a filter names (None when it names none); 400 on ``field`` when the
    organisation has no such unit."""
    return named_if(
        pk,
        partial(selectors.org_unit_in, membership.organisation),
        field,
        "There is no such org unit.",
    )


_ACTIVE = {"true": StatusFilter.ACTIVE, "false": StatusFilter.INACTIVE, "all": StatusFilter.ALL}


@router.get("/people", **answers(PeoplePage, "list_people", "List people"))
def list_people(request: HttpRequest, filters: Query[PeopleQuery]) -> dict[str, Any]:
    """People the token's member may see, by name, with filters and limit/offset pages."""
    membership = access.BROWSE_PEOPLE.check(request)
    org_unit = _unit_named(membership, filters.org_unit, "org_unit")
    people = selectors.people_for(
        membership,
        PeopleFilters(
            q=filters.q.strip(),
            org_unit=org_unit,
            level=filters.leader_level,
            status=_ACTIVE[filters.active],
        ),
    )
    if filters.cursor and filters.offset:
        raise DomainError(
            "Give either a cursor or an offset, not both.", field_errors={"offset": ["Use 0."]}
        )
    keyset = (
        cursor.page(
            people,
            order=PEOPLE_ORDER,
            limit=filters.limit,
            cursor=filters.cursor or None,
            scope="people",
        )
        if filters.cursor or not filters.offset
        else None
    )
    page = keyset.rows if keyset else list(people[filters.offset : filters.offset + filters.limit])
    # A bulk read of personal data: audited like an export (who, which filters, when).
    exports.record_export(
        action="people.listed",
        organisation=membership.organisation,
        actor=membership.user,
        request=request,
        fmt="json",
        filters={
            "q": filters.q.strip(),
            "org_unit": filters.org_unit,
            "leader_level": filters.leader_level,
            "active": filters.active,
            "limit": filters.limit,
            "offset": filters.offset,
        },
        rows=len(page),
    )
    return {**page_of(people, filters, _person_out, chosen=page), "next": keyset and keyset.next}


@router.get("/people/{int:person_id}", **answers(PersonOut, "get_person", "Get a person"))
def get_person(request: HttpRequest, person_id: PathId) -> dict[str, Any]:
    membership = membership_of(request)
    return _person_out(access.get_person_for(request, membership, person_id))


def _batch(request: HttpRequest, payload: BatchIn, *, kind: str) -> dict[str, Any]:
    membership = access.IMPORT_PEOPLE.check(request)
    upsert = (
        services.upsert_people_records if kind == "people" else services.upsert_org_unit_records
    )
    records: list[dict[str, object]] = [dict(r) for r in batch_of(payload.records, MAX_BATCH)]
    result = upsert(
        organisation=membership.organisation,
        actor=membership.user,
        records=records,
        dry_run=payload.dry_run,
    )
    return batch_answer(result)


@router.post(
    "/people/batch",
    **answers(BatchOut, "batch_people", "Create or update people", also={413: ErrorOut}),
)
def batch_people(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    """Create or update people by employee id, all or nothing. Admins only.

    A record that fails validation refuses the whole call (400) with each problem
    under ``error.fields`` keyed ``records[<n>].<field>``, ``n`` counting from 1.
    Fields: employee_id, name (both required), email, title, org_unit (a unit
    code), manager (an employee id), leader_level, location, start_date, active.
    A field left out keeps its stored value.
    """
    return _batch(request, payload, kind="people")


# --- org units --------------------------------------------------------------------------


def _unit_out(unit: OrgUnit) -> dict[str, Any]:
    return {
        "id": unit.pk,
        "code": unit.code,
        "name": unit.name,
        "parent_id": unit.parent_id,
        "path": unit.path,
        "depth": unit.depth,
    }


@router.get("/org-units", **answers(OrgUnitPage, "list_org_units", "List org units"))
def list_org_units(request: HttpRequest, filters: Query[OrgUnitQuery]) -> dict[str, Any]:
    """Org units in tree order (by path), with limit/offset pages."""
    membership = access.VIEW_ORG_CHART.check(request)
    parent = _unit_named(membership, filters.parent, "parent")
    units = selectors.org_units_for(
        membership.organisation, parent=parent, roots=filters.roots, q=filters.q
    )
    return page_of(units, filters, _unit_out)


@router.get(
    "/org-units/{int:unit_id}",
    **answers(OrgUnitDetail, "get_org_unit", "Get an org unit with its counts and head"),
)
def get_org_unit(request: HttpRequest, unit_id: PathId) -> dict[str, Any]:
    membership = membership_of(request)
    unit = access.get_org_unit_for(request, membership, unit_id)
    node = selectors.unit_node(membership.organisation, unit)
    head = node.head
    return {
        **_unit_out(unit),
        "people": node.people,
        "leaders": node.leaders,
        "children": node.child_count,
        "head": (
            {"id": head.person_id, "employee_id": head.employee_id, "name": head.name}
            if head
            else None
        ),
    }


@router.post(
    "/org-units/batch",
    **answers(BatchOut, "batch_org_units", "Create or update org units", also={413: ErrorOut}),
)
def batch_org_units(request: HttpRequest, payload: BatchIn) -> dict[str, Any]:
    """Create or update org units by code, all or nothing. Admins only.

    Fields: code, name (both required), parent_code. Errors as for people.
    """
    return _batch(request, payload, kind="org_units")
