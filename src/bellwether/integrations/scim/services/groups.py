"""Provisioning Groups: each maps onto one org unit, and its members are the Users
placed in that unit (a person is in one unit, so adding them to a Group moves them).
Deleting a Group ends the link; the unit and everyone's placement stay (history)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from scim2_models import Context, InvalidValueException, UniquenessException

from bellwether.integrations.scim import resources, selectors
from bellwether.integrations.scim.models import ScimGroup, ScimToken, ScimUser
from bellwether.integrations.scim.services._people import (
    MAX_UNIT_NAME,
    audit_change,
    unit_code_for,
    upsert_people,
    upsert_unit,
)
from bellwether.people.models import OrgUnit

CONFLICT = "This org unit is already a Group, or the externalId is already used."


def _payload(resource: Any) -> dict[str, Any]:
    return resource.model_dump(scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)


def _stored(payload: dict[str, Any]) -> dict[str, Any]:
    """What the unit does not hold: other attributes, and the members' display names as
    the client sent them."""
    stored = resources.stored_group_attributes(payload)
    displays = {
        str(member["value"]): member["display"]
        for member in payload.get("members") or []
        if member.get("value") and member.get("display")
    }
    if displays:
        stored["_displays"] = displays
    return stored


def _member_links(token: ScimToken, payload: dict[str, Any]) -> list[ScimUser]:
    links: list[ScimUser] = []
    for member in payload.get("members") or []:
        value = str(member.get("value") or "")
        try:
            uuid.UUID(value)
        except ValueError:
            link = None
        else:
            link = selectors.user_by_id(token.organisation, value)
        if link is None:
            raise InvalidValueException(
                detail=f"members.value: “{value}” is not the id of a User of this organisation."
            )
        links.append(link)
    return links


def _check(token: ScimToken, payload: dict[str, Any], own: ScimGroup | None) -> None:
    name = str(payload.get("displayName") or "")
    if not name or len(name) > MAX_UNIT_NAME:
        raise InvalidValueException(detail=f"displayName: 1 to {MAX_UNIT_NAME} characters.")
    external_id = payload.get("externalId") or ""
    others = selectors.live_groups(token.organisation)
    if own is not None:
        others = others.exclude(pk=own.pk)
    if external_id and others.filter(external_id=external_id).exists():
        raise UniquenessException(
            detail=f"externalId “{external_id}” is already used by another Group."
        )


def _place_members(
    token: ScimToken, unit: OrgUnit, members: list[ScimUser], *, replace: bool
) -> None:
    """Put the members in the unit; with ``replace``, take the unit's other Users out."""
    wanted = {link.person_id for link in members}
    records: list[dict[str, object]] = [
        {"employee_id": link.person.employee_id, "name": link.person.name, "org_unit": unit.code}
        for link in members
        if link.person.org_unit_id != unit.pk
    ]
    if replace:
        for link in selectors.live_users(token.organisation).filter(person__org_unit=unit):
            if link.person_id not in wanted:
                records.append(
                    {
                        "employee_id": link.person.employee_id,
                        "name": link.person.name,
                        "org_unit": "",
                    }
                )
    upsert_people(token.organisation, records)


def _find_unit(token: ScimToken, payload: dict[str, Any]) -> OrgUnit | None:
    """An existing unit not yet a Group: by externalId as its code, else by name."""
    units = OrgUnit.objects.filter(organisation=token.organisation)
    external_id = payload.get("externalId") or ""
    candidates = []
    if external_id:
        candidates.append(units.filter(code=external_id).first())
    candidates.append(units.filter(name=payload["displayName"]).order_by("path", "id").first())
    for unit in candidates:
        if unit is not None and selectors.live_group_for_unit(unit.pk) is None:
            return unit
    return None


def create_group(*, token: ScimToken, resource: Any) -> ScimGroup:
    payload = _payload(resource)
    try:
        with transaction.atomic():
            return _create(token, payload)
    except IntegrityError:
        raise UniquenessException(detail=CONFLICT) from None


def _create(token: ScimToken, payload: dict[str, Any]) -> ScimGroup:
    _check(token, payload, None)
    members = _member_links(token, payload)
    unit = _find_unit(token, payload)
    name = str(payload["displayName"])
    if unit is None:
        external_id = payload.get("externalId") or ""
        code = unit_code_for(external_id) if external_id else "scim-" + uuid.uuid4().hex[:12]
        if OrgUnit.objects.filter(organisation=token.organisation, code=code).exists():
            code = "scim-" + uuid.uuid4().hex[:12]
        upsert_unit(token.organisation, code=code, name=name)
        unit = OrgUnit.objects.get(organisation=token.organisation, code=code)
    elif unit.name != name:
        upsert_unit(token.organisation, code=unit.code, name=name)
    group = ScimGroup.objects.create(
        organisation=token.organisation,
        org_unit=unit,
        external_id=payload.get("externalId") or "",
        attributes=_stored(payload),
    )
    _place_members(token, unit, members, replace=False)
    audit_change(token, group, "scim.group_created", {"members": len(members)})
    return group


def replace_group(*, token: ScimToken, group: ScimGroup, resource: Any) -> ScimGroup:
    payload = _payload(resource)
    try:
        with transaction.atomic():
            return _replace(token, group, payload)
    except IntegrityError:
        raise UniquenessException(detail=CONFLICT) from None


def _replace(token: ScimToken, group: ScimGroup, payload: dict[str, Any]) -> ScimGroup:
    group = ScimGroup.objects.select_for_update().select_related("org_unit").get(pk=group.pk)
    _check(token, payload, group)
    members = _member_links(token, payload)
    unit = group.org_unit
    if unit.name != payload["displayName"]:
        upsert_unit(token.organisation, code=unit.code, name=str(payload["displayName"]))
    _place_members(token, unit, members, replace=True)
    group.external_id = payload.get("externalId") or ""
    group.attributes = _stored(payload)
    group.save()
    audit_change(token, group, "scim.group_updated", {"members": len(members)})
    return group


def delete_group(*, token: ScimToken, group: ScimGroup) -> None:
    with transaction.atomic():
        group = ScimGroup.objects.select_for_update().get(pk=group.pk)
        if group.deleted_at is None:
            group.deleted_at = timezone.now()
            group.save(update_fields=["deleted_at", "updated_at"])
            audit_change(token, group, "scim.group_deleted", {})
