"""Writing people and org units for SCIM: through the people app's services, with the
CSV import's checks, and their problems as SCIM errors."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import models
from scim2_models import InvalidValueException, SCIMException, UniquenessException

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.integrations.scim import selectors
from bellwether.integrations.scim.models import ScimGroup, ScimToken, ScimUser
from bellwether.people import services as people_services
from bellwether.people.models import Person

# The import's field → the SCIM attribute a client sent it as.
ATTRIBUTE_OF = {
    "employee_id": "employeeNumber",
    "name": "displayName",
    "email": "emails",
    "title": "title",
    "org_unit": "department",
    "manager": "manager",
    "active": "active",
    "code": "externalId",
    "parent_code": "externalId",
}
MAX_CODE = 64
MAX_UNIT_NAME = 200


def audit_change(
    token: ScimToken, resource: ScimUser | ScimGroup, action: str, details: dict[str, Any]
) -> None:
    """Audit a change the identity provider made to a User (its person) or a Group (its
    org unit): in the token's organisation, by the token, as SCIM has no user to name."""
    if isinstance(resource, ScimUser):
        target: models.Model = resource.person
        names = {"user_name": resource.user_name}
    else:
        target = resource.org_unit
        names = {"code": resource.org_unit.code}
    audit.record(
        action=action,
        organisation=token.organisation,
        actor_label=token.label,
        target=target,
        details={"scim_id": str(resource.scim_id), **names, **details},
    )


def upsert_people(organisation: Organisation, records: Sequence[Mapping[str, object]]) -> None:
    """Create or update people by employee id, all or nothing; the import's first problem
    as an ``invalidValue`` error."""
    if not records:
        return
    result = people_services.upsert_people_records(
        organisation=organisation, actor=None, records=[dict(record) for record in records]
    )
    _raise_refusal(result)


def upsert_person(
    organisation: Organisation, record: Mapping[str, object], *, actor_label: str
) -> Person:
    """Create or update one person by employee id (the people app's single-person
    upsert, with the import's checks); its refusal as an ``invalidValue`` error."""
    try:
        return people_services.upsert_person(
            organisation=organisation,
            actor=None,
            actor_label=actor_label,
            record=dict(record),
            source="scim",
        ).person
    except DomainError as error:
        if error.code == "conflict":
            raise UniquenessException(detail=error.message) from None
        column = next(iter(error.field_errors), "")
        attribute = ATTRIBUTE_OF.get(column, column)
        raise InvalidValueException(
            detail=f"{attribute}: {error.message}" if attribute else error.message
        ) from None


def upsert_unit(organisation: Organisation, *, code: str, name: str) -> None:
    result = people_services.upsert_org_unit_records(
        organisation=organisation, actor=None, records=[{"code": code, "name": name}]
    )
    _raise_refusal(result)


def _raise_refusal(result: people_services.ImportResult) -> None:
    if result.ok:
        return
    error = result.errors[0]
    attribute = ATTRIBUTE_OF.get(error.column, error.column)
    raise InvalidValueException(detail=f"{attribute}: {error.message}")


def unit_code_for(text: str) -> str:
    """The code of a unit made for a department or group name: the name itself when it
    fits, else a stable digest of it."""
    if 0 < len(text) <= MAX_CODE:
        return text
    return "scim-" + hashlib.sha256(text.encode()).hexdigest()[:20]


def department_unit_code(organisation: Organisation, department: str) -> str:
    """The code of the unit a department names; a new top-level unit when none does."""
    if len(department) > MAX_UNIT_NAME:
        raise InvalidValueException(detail=f"department: at most {MAX_UNIT_NAME} characters.")
    unit = selectors.unit_for_department(organisation, department)
    if unit is not None:
        return unit.code
    code = unit_code_for(department)
    upsert_unit(organisation, code=code, name=department)
    return code


__all__ = [
    "SCIMException",
    "department_unit_code",
    "unit_code_for",
    "upsert_people",
    "upsert_person",
    "upsert_unit",
]
