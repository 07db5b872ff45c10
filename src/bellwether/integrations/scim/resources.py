"""The SCIM resources Bellwether serves, validated and written by scim2-models, and how
a person or an org unit reads as one.

A User is a person: ``displayName`` (or ``name``) is the person's name, the primary
email their email, ``title``, ``active``; the enterprise extension's ``employeeNumber``
is their employee id, ``department`` their org unit, ``manager.value`` the SCIM id of
their manager. A Group is an org unit; its members are the Users placed in it. What has
no column on the person (name parts, other emails…) is kept on the link as sent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from scim2_models import (
    URN,
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    Context,
    EnterpriseUser,
    ETag,
    Filter,
    Group,
    Patch,
    ResourceType,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)
from scim2_models import (
    Pagination as PaginationConfig,
)

UserResource = User[EnterpriseUser]
ENTERPRISE = str(EnterpriseUser.__schema__)
USER_SCHEMA = str(User.__schema__)
GROUP_SCHEMA = str(Group.__schema__)
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
CONTENT_TYPE = "application/scim+json"
#: A page of a list answers at most this many resources (RFC 7644 §3.4.2.4).
MAX_RESULTS = 200
DEFAULT_COUNT = 100

#: Microsoft Entra's PATCH dialect (a remove carrying a value; a filter that names the
#: entry to create) is accepted; everything else is read strictly, unknown attributes
#: refused.
POLICY = ScimPolicy(
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)

# The attributes a person stores; everything else a client sends is kept on the link.
USER_MAPPED = {"id", "meta", "schemas", "userName", "externalId", "displayName", "title", "active"}
USER_READ_ONLY = {"groups"}
ENTERPRISE_MAPPED = {"department", "manager"}
GROUP_MAPPED = {"id", "meta", "schemas", "displayName", "externalId", "members"}


def service_provider_config() -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        pagination=PaginationConfig(
            index=True, cursor=False, default_page_size=DEFAULT_COUNT, max_page_size=MAX_RESULTS
        ),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="SCIM bearer token",
                description=(
                    "A token an organisation admin creates under Settings → SCIM provisioning, "
                    "sent as Authorization: Bearer scim_…"
                ),
                primary=True,
            )
        ],
    )


PROVIDER = ScimProvider(
    models=[User, EnterpriseUser, Group],
    resource_types=[
        ResourceType.from_resource(UserResource),
        ResourceType.from_resource(Group),
    ],
    config=service_provider_config(),
    policy=POLICY,
)


def schemas() -> list[dict[str, Any]]:
    """What ``/Schemas`` publishes: the core User and Group and the enterprise User."""
    return [
        schema.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE) for schema in PROVIDER.schemas
    ]


def schema_urn(value: str) -> URN:
    return URN(value)


def version(*parts: object) -> str:
    return 'W/"' + hashlib.sha256(repr(parts).encode()).hexdigest()[:16] + '"'


def meta(
    resource_type: str, location: str, created: datetime, modified: datetime
) -> dict[str, Any]:
    return {
        "resourceType": resource_type,
        "created": created.isoformat(),
        "lastModified": modified.isoformat(),
        "location": location,
        "version": version(location, modified.isoformat()),
    }


def stored_user_attributes(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes of a validated User (request form) that the person does not store."""
    kept = {
        key: value
        for key, value in payload.items()
        if key not in USER_MAPPED and key not in USER_READ_ONLY and key != ENTERPRISE
    }
    extension = payload.get(ENTERPRISE) or {}
    rest = {key: value for key, value in extension.items() if key not in ENTERPRISE_MAPPED}
    if rest:
        kept[ENTERPRISE] = rest
    return kept


def stored_group_attributes(payload: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in payload.items() if key not in GROUP_MAPPED}


def primary_email(payload: Mapping[str, Any]) -> str:
    emails = [entry for entry in payload.get("emails") or [] if entry.get("value")]
    for entry in emails:
        if entry.get("primary"):
            return str(entry["value"])
    return str(emails[0]["value"]) if emails else ""


def person_name(payload: Mapping[str, Any]) -> str:
    """displayName, else name.formatted, else given and family names, else userName."""
    if payload.get("displayName"):
        return str(payload["displayName"])
    name = payload.get("name") or {}
    if name.get("formatted"):
        return str(name["formatted"])
    parts = [name.get(key) for key in ("honorificPrefix", "givenName", "middleName", "familyName")]
    joined = " ".join(str(part) for part in parts if part)
    return joined or str(payload.get("userName") or "")


def emails_with(stored: list[dict[str, Any]] | None, email: str) -> list[dict[str, Any]] | None:
    """The stored emails with the person's email as the primary (or first) one."""
    entries = [dict(entry) for entry in stored or []]
    index = next((i for i, entry in enumerate(entries) if entry.get("primary")), 0)
    if not email:
        if entries:
            entries.pop(index)
        return entries or None
    if not entries:
        return [{"value": email, "primary": True}]
    entries[index]["value"] = email
    return entries
