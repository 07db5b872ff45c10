"""Reads: the organisation's SCIM tokens, Users and Groups, and how each reads as a
SCIM resource (a plain dict, validated by the caller through scim2-models)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import Q, QuerySet

from bellwether.core.models import Organisation
from bellwether.integrations.scim import resources
from bellwether.integrations.scim.models import ScimGroup, ScimToken, ScimUser
from bellwether.people.models import OrgUnit, Person


def tokens_for(organisation: Organisation) -> QuerySet[ScimToken]:
    return ScimToken.objects.filter(organisation=organisation).select_related("created_by")


def live_users(organisation: Organisation, query: Q | None = None) -> QuerySet[ScimUser]:
    users = ScimUser.objects.filter(organisation=organisation, deleted_at__isnull=True)
    if query is not None:
        users = users.filter(query)
    return users.select_related("person", "person__org_unit", "person__manager").order_by(
        "created_at", "id"
    )


def live_groups(organisation: Organisation, query: Q | None = None) -> QuerySet[ScimGroup]:
    groups = ScimGroup.objects.filter(organisation=organisation, deleted_at__isnull=True)
    if query is not None:
        groups = groups.filter(query)
    return groups.select_related("org_unit").order_by("created_at", "id")


def user_by_id(organisation: Organisation, scim_id: str) -> ScimUser | None:
    return live_users(organisation).filter(scim_id=scim_id).first()


def group_by_id(organisation: Organisation, scim_id: str) -> ScimGroup | None:
    return live_groups(organisation).filter(scim_id=scim_id).first()


def live_user_for_person(person_id: int) -> ScimUser | None:
    return ScimUser.objects.filter(person_id=person_id, deleted_at__isnull=True).first()


def live_group_for_unit(org_unit_id: int) -> ScimGroup | None:
    return ScimGroup.objects.filter(org_unit_id=org_unit_id, deleted_at__isnull=True).first()


def person_by_employee_id(organisation: Organisation, employee_id: str) -> Person | None:
    return Person.objects.filter(organisation=organisation, employee_id=employee_id).first()


def unit_for_department(organisation: Organisation, department: str) -> OrgUnit | None:
    """The org unit a department names: by code, else by name (case-insensitively)."""
    units = OrgUnit.objects.filter(organisation=organisation)
    return (
        units.filter(code=department).first()
        or units.filter(name__iexact=department).order_by("path", "id").first()
    )


def _user_ids_of_people(person_ids: set[int]) -> dict[int, str]:
    rows = ScimUser.objects.filter(person_id__in=person_ids, deleted_at__isnull=True)
    return {
        person_id: str(scim_id) for person_id, scim_id in rows.values_list("person_id", "scim_id")
    }


def _groups_of_units(unit_ids: set[int]) -> dict[int, str]:
    rows = ScimGroup.objects.filter(org_unit_id__in=unit_ids, deleted_at__isnull=True)
    return {
        unit_id: str(scim_id) for unit_id, scim_id in rows.values_list("org_unit_id", "scim_id")
    }


def user_payloads(users: Sequence[ScimUser], base_url: str) -> list[dict[str, Any]]:
    """Each User as SCIM reads it, in a fixed number of queries for the whole page."""
    managers = _user_ids_of_people(
        {user.person.manager_id for user in users if user.person.manager_id is not None}
    )
    groups = _groups_of_units(
        {user.person.org_unit_id for user in users if user.person.org_unit_id is not None}
    )
    return [_user_payload(user, base_url, managers, groups) for user in users]


def _user_payload(
    link: ScimUser, base_url: str, managers: dict[int, str], groups: dict[int, str]
) -> dict[str, Any]:
    person = link.person
    stored = dict(link.attributes)
    extension = dict(stored.pop(resources.ENTERPRISE, {}) or {})
    location = f"{base_url}/Users/{link.scim_id}"
    shown = set(stored.pop("_shown", []))
    department = stored.pop("_department", "")
    payload: dict[str, Any] = {
        **stored,
        "schemas": [resources.USER_SCHEMA, resources.ENTERPRISE],
        "id": str(link.scim_id),
        "userName": link.user_name,
    }
    # displayName and active are shown once a client has written them: a client that
    # removes one reads it as removed (the person keeps a name and a state).
    if "displayName" in shown:
        payload["displayName"] = person.name
    if "active" in shown:
        payload["active"] = person.active
    if link.external_id:
        payload["externalId"] = link.external_id
    if person.title:
        payload["title"] = person.title
    emails = resources.emails_with(stored.get("emails"), person.email)
    if emails:
        payload["emails"] = emails
    else:
        payload.pop("emails", None)
    unit = person.org_unit
    if unit is not None:
        if department:
            extension["department"] = (
                department if department in {unit.code, unit.name} else unit.name
            )
        if unit.pk in groups:
            payload["groups"] = [
                {
                    "value": groups[unit.pk],
                    "$ref": f"{base_url}/Groups/{groups[unit.pk]}",
                    "display": unit.name,
                    "type": "direct",
                }
            ]
    if person.manager_id is not None and person.manager_id in managers:
        manager_id = managers[person.manager_id]
        extension["manager"] = {"value": manager_id, "$ref": f"{base_url}/Users/{manager_id}"}
    if extension:
        payload[resources.ENTERPRISE] = extension
    modified = max(link.updated_at, person.updated_at)
    payload["meta"] = resources.meta("User", location, link.created_at, modified)
    return payload


def group_payloads(groups: Sequence[ScimGroup], base_url: str) -> list[dict[str, Any]]:
    unit_ids = {group.org_unit_id for group in groups}
    members: dict[int, list[tuple[str, str]]] = {unit_id: [] for unit_id in unit_ids}
    rows = (
        ScimUser.objects.filter(person__org_unit_id__in=unit_ids, deleted_at__isnull=True)
        .order_by("created_at", "id")
        .values_list("person__org_unit_id", "scim_id", "person__name")
    )
    for unit_id, scim_id, name in rows:
        members[unit_id].append((str(scim_id), name))
    return [_group_payload(group, base_url, members[group.org_unit_id]) for group in groups]


def _group_payload(
    group: ScimGroup, base_url: str, members: list[tuple[str, str]]
) -> dict[str, Any]:
    location = f"{base_url}/Groups/{group.scim_id}"
    stored = dict(group.attributes)
    displays = stored.pop("_displays", {})
    payload: dict[str, Any] = {
        **stored,
        "schemas": [resources.GROUP_SCHEMA],
        "id": str(group.scim_id),
        "displayName": group.org_unit.name,
    }
    if group.external_id:
        payload["externalId"] = group.external_id
    if members:
        payload["members"] = [
            {
                "value": scim_id,
                "$ref": f"{base_url}/Users/{scim_id}",
                "type": "User",
                "display": displays.get(scim_id, name),
            }
            for scim_id, name in members
        ]
    modified = max(group.updated_at, group.org_unit.updated_at)
    payload["meta"] = resources.meta("Group", location, group.created_at, modified)
    return payload
