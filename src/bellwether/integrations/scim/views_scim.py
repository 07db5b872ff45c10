"""The SCIM 2.0 endpoints under ``/scim/v2/`` (RFC 7644): Users, Groups and the three
discovery endpoints. Thin: parse and validate with scim2-models, call a service or a
selector, answer in SCIM's shape."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from scim2_models import (
    Context,
    Group,
    NotFoundException,
    NotImplementedException,
    PatchOp,
    ResponseParameters,
)

from bellwether.integrations.scim import filters, resources, selectors, services
from bellwether.integrations.scim.protocol import (
    Page,
    ScimRequest,
    body_of,
    endpoint,
    list_response,
    not_found,
    page_of,
    respond,
)
from bellwether.integrations.scim.resources import UserResource


def _parameters(scim: ScimRequest, model: Any) -> ResponseParameters[Any] | None:
    attributes = scim.http.GET.get("attributes") or None
    excluded = scim.http.GET.get("excludedAttributes") or None
    if attributes is None and excluded is None:
        return None
    return ResponseParameters[model].model_validate(
        {"attributes": attributes, "excludedAttributes": excluded}
    )


def _shown(
    payload: dict[str, Any], model: Any, parameters: ResponseParameters[Any] | None
) -> dict[str, Any]:
    return model.model_validate(payload).model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE, response_parameters=parameters
    )


def _with_manager_refs(scim: ScimRequest, body: dict[str, Any]) -> dict[str, Any]:
    """Identity providers often send ``manager`` as just its id (or ``{"value": id}``);
    the reference SCIM asks for is filled in from it."""
    extension = body.get(resources.ENTERPRISE)
    if isinstance(extension, dict):
        manager = extension.get("manager")
        if isinstance(manager, str):
            manager = {"value": manager}
        if isinstance(manager, dict) and manager.get("value") and not manager.get("$ref"):
            extension["manager"] = {**manager, "$ref": f"{scim.base_url}/Users/{manager['value']}"}
    for operation in body.get("Operations") or []:
        if not isinstance(operation, dict):
            continue
        path = str(operation.get("path") or "")
        value = operation.get("value")
        if path.lower().endswith("manager") and isinstance(value, str | dict):
            manager = {"value": value} if isinstance(value, str) else value
            if manager.get("value") and not manager.get("$ref"):
                operation["value"] = {
                    **manager,
                    "$ref": f"{scim.base_url}/Users/{manager['value']}",
                }
    return body


def _valid_id(scim_id: str) -> bool:
    try:
        uuid.UUID(scim_id)
    except ValueError:
        return False
    return True


# --- Users and Groups ----------------------------------------------------------------


@dataclass(frozen=True)
class Kind:
    """What differs between the Users and the Groups endpoints."""

    name: str
    model: Any
    live: Callable[..., Any]
    by_id: Callable[[Any, str], Any]
    payloads: Callable[[list[Any], str], list[dict[str, Any]]]
    create: Callable[[ScimRequest, Any], Any]
    replace: Callable[[ScimRequest, Any, Any, dict[str, Any]], Any]
    delete: Callable[[ScimRequest, Any], None]
    groups: bool = False


USERS = Kind(
    "User",
    UserResource,
    selectors.live_users,
    selectors.user_by_id,
    selectors.user_payloads,
    lambda scim, resource: services.create_user(token=scim.token, resource=resource),
    lambda scim, link, resource, before: services.replace_user(
        token=scim.token, link=link, resource=resource, before=before
    ),
    lambda scim, link: services.delete_user(token=scim.token, link=link),
)
GROUPS = Kind(
    "Group",
    Group,
    selectors.live_groups,
    selectors.group_by_id,
    selectors.group_payloads,
    lambda scim, resource: services.create_group(token=scim.token, resource=resource),
    lambda scim, found, resource, before: services.replace_group(
        token=scim.token, group=found, resource=resource
    ),
    lambda scim, found: services.delete_group(token=scim.token, group=found),
    groups=True,
)


def _collection(scim: ScimRequest, kind: Kind) -> HttpResponse:
    if scim.http.method == "POST":
        body = _with_manager_refs(scim, body_of(scim.http))
        resource = kind.model.model_validate(body, scim_ctx=Context.RESOURCE_CREATION_REQUEST)
        made = kind.create(scim, resource)
        return _answer(scim, kind, str(made.scim_id), status=201)
    page = page_of(scim.http)
    text = scim.http.GET.get("filter", "")
    query = filters.to_query(text, groups=kind.groups) if text else None
    parameters = _parameters(scim, kind.model)
    found = kind.live(scim.organisation, query)
    total = found.count()
    first = page.start_index - 1
    rows = list(found[first : first + page.count]) if page.count else []
    payloads = [
        _shown(payload, kind.model, parameters) for payload in kind.payloads(rows, scim.base_url)
    ]
    return list_response(payloads, total, page)


def _payload(scim: ScimRequest, kind: Kind, scim_id: str) -> tuple[Any, dict[str, Any]]:
    found = kind.by_id(scim.organisation, scim_id) if _valid_id(scim_id) else None
    if found is None:
        raise not_found(kind.name, scim_id)
    return found, kind.payloads([found], scim.base_url)[0]


def _answer(scim: ScimRequest, kind: Kind, scim_id: str, status: int = 200) -> HttpResponse:
    _found, payload = _payload(scim, kind, scim_id)
    shown = _shown(payload, kind.model, _parameters(scim, kind.model))
    headers = {"Location": payload["meta"]["location"], "ETag": payload["meta"]["version"]}
    return respond(shown, status=status, headers=headers)


def _item(scim: ScimRequest, kind: Kind, scim_id: str) -> HttpResponse:
    found, before = _payload(scim, kind, scim_id)
    method = scim.http.method
    if method == "GET":
        return _answer(scim, kind, scim_id)
    if method == "DELETE":
        kind.delete(scim, found)
        return HttpResponse(status=204)
    body = _with_manager_refs(scim, body_of(scim.http))
    current = kind.model.model_validate(before)
    if method == "PUT":
        resource = kind.model.model_validate(body, scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
        resource.replace(current)
    else:
        patch = PatchOp.__class_getitem__(kind.model).model_validate(
            body, scim_ctx=Context.RESOURCE_PATCH_REQUEST
        )
        patch.patch(current)
        resource = current
    kind.replace(scim, found, resource, before)
    return _answer(scim, kind, scim_id)


@endpoint("GET", "POST")
def users(scim: ScimRequest) -> HttpResponse:
    return _collection(scim, USERS)


@endpoint("GET", "PUT", "PATCH", "DELETE")
def user(scim: ScimRequest, scim_id: str) -> HttpResponse:
    return _item(scim, USERS, scim_id)


@endpoint("GET", "POST")
def groups(scim: ScimRequest) -> HttpResponse:
    return _collection(scim, GROUPS)


@endpoint("GET", "PUT", "PATCH", "DELETE")
def group(scim: ScimRequest, scim_id: str) -> HttpResponse:
    return _item(scim, GROUPS, scim_id)


# --- anything else ------------------------------------------------------------------


@endpoint("GET", "POST", "PUT", "PATCH", "DELETE")
def unknown(scim: ScimRequest, rest: str) -> HttpResponse:
    if rest.rstrip("/") == ".search":
        raise NotImplementedException(
            detail="Searching several resource types at once is not supported: "
            "query /Users or /Groups with a filter."
        )
    raise NotFoundException(detail=f"There is no SCIM endpoint “/{rest}”.")


# --- discovery (RFC 7644 §4) -----------------------------------------------------------


@endpoint("GET")
def service_provider_config(scim: ScimRequest) -> HttpResponse:
    payload = resources.service_provider_config().model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE
    )
    payload["meta"] = {
        "resourceType": "ServiceProviderConfig",
        "location": f"{scim.base_url}/ServiceProviderConfig",
    }
    return respond(payload)


def _discovered(scim: ScimRequest, kind: str) -> list[dict[str, Any]]:
    """The ResourceTypes or the Schemas, each with its location."""
    if kind == "ResourceType":
        found = [
            resource_type.model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
            for resource_type in resources.PROVIDER.resource_types
        ]
    else:
        found = resources.schemas()
    for payload in found:
        location = f"{scim.base_url}/{kind}s/{payload['id']}"
        payload["meta"] = {"resourceType": kind, "location": location}
    return found


def _discovery_list(scim: ScimRequest, kind: str) -> HttpResponse:
    found = _discovered(scim, kind)
    return list_response(found, len(found), Page(1, len(found)))


def _discovery_item(scim: ScimRequest, kind: str, key: str) -> HttpResponse:
    for payload in _discovered(scim, kind):
        if payload["id"] == key:
            return respond(payload)
    raise not_found(kind, key)


@endpoint("GET")
def resource_types(scim: ScimRequest) -> HttpResponse:
    return _discovery_list(scim, "ResourceType")


@endpoint("GET")
def resource_type(scim: ScimRequest, name: str) -> HttpResponse:
    return _discovery_item(scim, "ResourceType", name)


@endpoint("GET")
def schemas(scim: ScimRequest) -> HttpResponse:
    return _discovery_list(scim, "Schema")


@endpoint("GET")
def schema(scim: ScimRequest, schema_id: str) -> HttpResponse:
    return _discovery_item(scim, "Schema", schema_id)
