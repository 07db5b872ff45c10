"""The HTTP side of SCIM shared by every endpoint: the bearer token, reading a JSON
body, SCIM errors (RFC 7644 §3.12: ``status``, ``scimType``, ``detail``), responses of
type ``application/scim+json``, and list paging."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import ValidationError
from scim2_models import (
    Context,
    Error,
    InvalidSyntaxException,
    InvalidValueException,
    NotFoundException,
    SCIMException,
)

from bellwether.core import audit
from bellwether.core.models import Organisation
from bellwether.integrations.scim import resources, services
from bellwether.integrations.scim.models import ScimToken

MAX_BODY = 1_000_000


@dataclass(frozen=True)
class ScimRequest:
    """A request that presented a live SCIM token: the token, its organisation, and
    the base URL resources are located under."""

    http: HttpRequest
    token: ScimToken
    base_url: str

    @property
    def organisation(self) -> Organisation:
        return self.token.organisation


def respond(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(json.dumps(payload), status=status, content_type=resources.CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def error(status: int, detail: str, scim_type: str | None = None) -> HttpResponse:
    body = Error(status=status, scim_type=scim_type, detail=detail).model_dump(
        scim_ctx=Context.RESOURCE_QUERY_RESPONSE
    )
    return respond(body, status=status)


def from_exception(exc: SCIMException) -> HttpResponse:
    body = exc.to_error().model_dump(scim_ctx=Context.RESOURCE_QUERY_RESPONSE)
    return respond(body, status=exc.status)


def from_validation(exc: ValidationError) -> HttpResponse:
    errors = Error.from_validation_errors(exc)
    first = errors[0]
    details = "; ".join(e.detail or "" for e in errors[:5])
    return error(first.status or 400, details, first.scim_type)


def body_of(request: HttpRequest) -> dict[str, Any]:
    """The JSON object a request carries; ``invalidSyntax`` otherwise."""
    if len(request.body) > MAX_BODY:
        raise InvalidValueException(detail=f"The request body is larger than {MAX_BODY} bytes.")
    try:
        data = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidSyntaxException(detail="The request body is not valid JSON.") from None
    if not isinstance(data, dict):
        raise InvalidSyntaxException(detail="The request body must be a JSON object.")
    return data


def not_found(kind: str, scim_id: str) -> NotFoundException:
    return NotFoundException(detail=f"There is no {kind} with id “{scim_id}”.")


def _refuse(
    request: HttpRequest, token: ScimToken | None, reason: str, detail: str
) -> HttpResponse:
    event = audit.record(
        action="token.auth_failed",
        organisation=token.organisation if token is not None else None,
        actor_label=token.label if token is not None else "(no scim token)",
        target=token,
        details={
            "scope": "scim",
            "reason": reason,
            "method": request.method or "",
            "path": request.path,
        },
        request=request,
    )
    audit.mark_refusal_audited(request, event)
    response = error(401, detail)
    response["WWW-Authenticate"] = 'Bearer realm="scim"'
    return response


def _authenticate(request: HttpRequest) -> ScimToken | HttpResponse:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return _refuse(
            request,
            None,
            "missing",
            "Send a SCIM token as Authorization: Bearer scim_… (an organisation admin creates "
            "one under Settings → SCIM provisioning).",
        )
    token, why = services.token_for_secret(secret.strip())
    if token is None or why:
        return _refuse(request, token, "revoked" if token is not None else "unknown", why)
    return token


View = Callable[..., HttpResponse]


def endpoint(*methods: str) -> Callable[[View], View]:
    """A SCIM endpoint: token checked, methods limited, every SCIM or validation error
    answered as a SCIM error. Nothing was written when an error is answered: services
    raise before or inside their transaction."""

    def wrap(view: View) -> View:
        @csrf_exempt
        @wraps(view)
        def handle(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            token = _authenticate(request)
            if isinstance(token, HttpResponse):
                return token
            if request.method not in methods:
                response = error(
                    405, f"{request.method} is not supported here. Use {', '.join(methods)}."
                )
                response["Allow"] = ", ".join(methods)
                return response
            scim = ScimRequest(request, token, request.build_absolute_uri("/scim/v2").rstrip("/"))
            try:
                with resources.POLICY:
                    return view(scim, *args, **kwargs)
            except SCIMException as exc:
                return from_exception(exc)
            except ValidationError as exc:
                return from_validation(exc)

        return handle

    return wrap


@dataclass(frozen=True)
class Page:
    start_index: int
    count: int


def page_of(request: HttpRequest) -> Page:
    """startIndex (1-based, below 1 read as 1) and count (0 to ``MAX_RESULTS``)."""

    def number(name: str, default: int) -> int:
        text = request.GET.get(name, "")
        if not text:
            return default
        try:
            return int(text)
        except ValueError:
            raise InvalidValueException(detail=f"{name} must be a whole number.") from None

    start = max(1, number("startIndex", 1))
    count = min(resources.MAX_RESULTS, max(0, number("count", resources.DEFAULT_COUNT)))
    return Page(start, count)


def list_response(payloads: list[dict[str, Any]], total: int, page: Page) -> HttpResponse:
    return respond(
        {
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
            "totalResults": total,
            "startIndex": page.start_index,
            "itemsPerPage": len(payloads),
            "Resources": payloads,
        }
    )
