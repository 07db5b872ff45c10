"""Provisioning Users: each maps onto one person, written through the people app's
single-person upsert with the CSV import's checks. Deleting a User deactivates the person and ends
the link; nobody is ever deleted."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from scim2_models import (
    Context,
    InvalidValueException,
    UniquenessException,
)

from bellwether.integrations.scim import resources, selectors
from bellwether.integrations.scim.models import ScimToken, ScimUser
from bellwether.integrations.scim.services._people import (
    audit_change,
    department_unit_code,
    upsert_person,
)

MAX_EMPLOYEE_ID = 64
CONFLICT = "A User with this userName, externalId or employeeNumber already exists."


def _conflict(detail: str = CONFLICT) -> UniquenessException:
    return UniquenessException(detail=detail)


def request_payload(resource: Any) -> dict[str, Any]:
    """A validated User as a request body (the attributes the client may write)."""
    return resource.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)


def _manager_employee_id(token: ScimToken, value: str | None, own: ScimUser | None) -> str:
    if not value:
        return ""
    manager = selectors.user_by_id(token.organisation, value) if _is_uuid(value) else None
    if manager is None:
        raise InvalidValueException(
            detail=f"manager.value: “{value}” is not the id of a User of this organisation."
        )
    if own is not None and manager.pk == own.pk:
        raise InvalidValueException(detail="manager.value: a person cannot be their own manager.")
    return manager.person.employee_id


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _person_record(
    token: ScimToken,
    payload: dict[str, Any],
    before: dict[str, Any] | None,
    employee_id: str,
    own: ScimUser | None,
) -> dict[str, object]:
    """The people import's record for a User. An optional attribute the User leaves out
    is cleared only when it was there before (replace semantics); otherwise the person
    keeps what the CSV import gave them."""
    extension = payload.get(resources.ENTERPRISE) or {}
    previous = (before or {}).get(resources.ENTERPRISE) or {}
    record: dict[str, object] = {"employee_id": employee_id, "name": resources.person_name(payload)}
    email = resources.primary_email(payload)
    if email or (before and before.get("emails")):
        record["email"] = email
    if payload.get("title") or (before and before.get("title")):
        record["title"] = payload.get("title") or ""
    if payload.get("active") is not None:
        record["active"] = "true" if payload["active"] else "false"
    manager = (extension.get("manager") or {}).get("value")
    if manager or previous.get("manager"):
        record["manager"] = _manager_employee_id(token, manager, own)
    department = extension.get("department")
    if department:
        record["org_unit"] = department_unit_code(token.organisation, department)
    elif previous.get("department"):
        record["org_unit"] = ""
    return record


def _employee_id(payload: dict[str, Any]) -> str:
    extension = payload.get(resources.ENTERPRISE) or {}
    employee_id = str(
        extension.get("employeeNumber") or payload.get("externalId") or payload["userName"]
    )
    if len(employee_id) > MAX_EMPLOYEE_ID:
        raise InvalidValueException(
            detail=f"employeeNumber: the employee id is at most {MAX_EMPLOYEE_ID} characters "
            "(without employeeNumber, the externalId or else the userName is used)."
        )
    return employee_id


def _check_unique(token: ScimToken, payload: dict[str, Any], own: ScimUser | None) -> None:
    others = selectors.live_users(token.organisation)
    if own is not None:
        others = others.exclude(pk=own.pk)
    if others.filter(user_name_key=str(payload["userName"]).casefold()).exists():
        raise _conflict(f"userName “{payload['userName']}” is already used by another User.")
    external_id = payload.get("externalId") or ""
    if external_id and others.filter(external_id=external_id).exists():
        raise _conflict(f"externalId “{external_id}” is already used by another User.")


def _stored(payload: dict[str, Any]) -> dict[str, Any]:
    stored = resources.stored_user_attributes(payload)
    department = (payload.get(resources.ENTERPRISE) or {}).get("department")
    if department:
        stored["_department"] = department
    stored["_shown"] = [key for key in ("displayName", "active") if payload.get(key) is not None]
    return stored


def create_user(*, token: ScimToken, resource: Any) -> ScimUser:
    """A new User: a new person, or an existing one (matched by employee id, as the CSV
    import matches) not yet provisioned. 409 ``uniqueness`` when the userName,
    externalId or person is already a User, even under a concurrent request."""
    payload = request_payload(resource)
    try:
        with transaction.atomic():
            return _create(token, payload)
    except IntegrityError:
        raise _conflict() from None


def _create(token: ScimToken, payload: dict[str, Any]) -> ScimUser:
    organisation = token.organisation
    _check_unique(token, payload, None)
    employee_id = _employee_id(payload)
    person = selectors.person_by_employee_id(organisation, employee_id)
    adopted = person is not None
    if person is not None and selectors.live_user_for_person(person.pk) is not None:
        raise _conflict(f"The person with employee id “{employee_id}” is already a User.")
    person = upsert_person(
        organisation,
        _person_record(token, payload, None, employee_id, None),
        actor_label=token.label,
    )
    link = ScimUser.objects.create(
        organisation=organisation,
        person=person,
        user_name=payload["userName"],
        user_name_key=str(payload["userName"]).casefold(),
        external_id=payload.get("externalId") or "",
        attributes=_stored(payload),
    )
    audit_change(token, link, "scim.user_created", {"employee_id": employee_id, "adopted": adopted})
    return link


def replace_user(
    *, token: ScimToken, link: ScimUser, resource: Any, before: dict[str, Any]
) -> ScimUser:
    """PUT (and PATCH, once applied): the User becomes ``resource``."""
    payload = request_payload(resource)
    try:
        with transaction.atomic():
            return _replace(token, link, payload, before)
    except IntegrityError:
        raise _conflict() from None


def _replace(
    token: ScimToken, link: ScimUser, payload: dict[str, Any], before: dict[str, Any]
) -> ScimUser:
    link = ScimUser.objects.select_for_update().select_related("person").get(pk=link.pk)
    if link.deleted_at is not None:
        raise InvalidValueException(detail="This User has been deleted.")
    _check_unique(token, payload, link)
    # The employee id is chosen when the User is created; a later employeeNumber is
    # kept on the User, the person keeps the key the CSV import matches.
    employee_id = link.person.employee_id
    upsert_person(
        token.organisation,
        _person_record(token, payload, before, employee_id, link),
        actor_label=token.label,
    )
    link.user_name = payload["userName"]
    link.user_name_key = str(payload["userName"]).casefold()
    link.external_id = payload.get("externalId") or ""
    link.attributes = _stored(payload)
    link.save()
    audit_change(
        token,
        link,
        "scim.user_updated",
        {"employee_id": employee_id, "active": payload.get("active")},
    )
    return link


def delete_user(*, token: ScimToken, link: ScimUser) -> None:
    """DELETE: the person is deactivated (their history stays) and the User is gone:
    404 from now on, and a later POST may provision the person again."""
    with transaction.atomic():
        link = ScimUser.objects.select_for_update().select_related("person").get(pk=link.pk)
        if link.deleted_at is not None:
            return
        upsert_person(
            token.organisation,
            {"employee_id": link.person.employee_id, "active": "false"},
            actor_label=token.label,
        )
        link.deleted_at = timezone.now()
        link.save(update_fields=["deleted_at", "updated_at"])
        audit_change(token, link, "scim.user_deleted", {"employee_id": link.person.employee_id})
