"""The JSON API at /api/v1/: one NinjaAPI, routers from each app, one error format.

Every 4xx answer has the body ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from bellwether.accounts.api_auth import ClientThrottled, TokenAuth, TokenRefused
from bellwether.accounts.models import Membership
from bellwether.core.errors import DomainError
from bellwether.core.openapi import FiniteJSONRenderer, generate_with_qualified_names
from bellwether.core.schema import DocumentedAPI, with_error_answers


class BellwetherAPI(DocumentedAPI):
    """The API whose OpenAPI document names every schema uniquely (core/openapi.py) and
    lists every operation's error answers (core/schema.py)."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        # Names first (ninja's own generation), then the shared error answers, which
        # refer to the one ErrorOut component by its short name.
        generate = super(DocumentedAPI, self).get_openapi_schema
        document = generate_with_qualified_names(
            lambda: generate(path_prefix=path_prefix, path_params=path_params)
        )
        return cast(OpenAPISchema, with_error_answers(document))


api = BellwetherAPI(
    title="Bellwether API",
    version="1",
    description=(
        "Bellwether's JSON API. Authenticate with a personal API token "
        "(`Authorization: Bearer bw_…`), created under *Settings → API tokens*."
    ),
    urls_namespace="api",
    auth=[TokenAuth()],
    # JSON has no Infinity or NaN: such a number is answered as null.
    renderer=FiniteJSONRenderer(),
)


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


@api.exception_handler(DomainError)
def _domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return api.create_response(
        request, error_body(exc.code, exc.message, exc.field_errors), status=400
    )


def _field_path(loc: tuple[object, ...] | list[object]) -> str:
    """``("body", "payload", "records", 0, "name")`` → ``records[1].name``: the field as the
    client sent it, counting records from 1 like the import's line numbers."""
    parts = list(loc)
    if parts and parts[0] in {"body", "query", "path", "header", "cookie", "form", "file"}:
        parts = parts[1:]
        # Ninja nests a body under the handler's argument name; clients never see it.
        if len(parts) > 1 and parts[0] == "payload":
            parts = parts[1:]
    path = ""
    for part in parts:
        if isinstance(part, int):
            path += f"[{part + 1}]"
        else:
            path += f".{part}" if path else str(part)
    return path


@api.exception_handler(ValidationError)
def _validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    fields: dict[str, list[str]] = {}
    for err in exc.errors:
        loc = _field_path(err.get("loc", ()))
        fields.setdefault(loc or "request", []).append(str(err.get("msg", "invalid")))
    return api.create_response(
        request, error_body("invalid", "The request is not valid.", fields), status=422
    )


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    message = (
        exc.message
        if isinstance(exc, TokenRefused)
        else "A valid API token is required (Authorization: Bearer …)."
    )
    response = api.create_response(request, error_body("unauthenticated", message), status=401)
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return api.create_response(
        request, error_body("forbidden", "You do not have permission for this."), status=403
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("not_found", "Not found."), status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = {
        400: "invalid",
        401: "unauthenticated",
        403: "forbidden",
        404: "not_found",
        405: "method_not_allowed",
        409: "conflict",
        413: "too_large",
        429: "throttled",
    }.get(exc.status_code, "error")
    response = api.create_response(
        request, error_body(code, str(exc.message)), status=exc.status_code
    )
    if isinstance(exc, ClientThrottled):
        response["Retry-After"] = str(exc.retry_after)
    return response


def membership_of(request: HttpRequest) -> Membership:
    """The authenticated membership for an API request (set by the auth classes)."""
    membership = getattr(request, "auth", None) or getattr(request, "membership", None)
    if not isinstance(membership, Membership):
        raise AuthenticationError()
    return membership


def _register_routers() -> None:
    from bellwether.accounts.api import router as accounts_router
    from bellwether.assessments.api import router as assessments_router
    from bellwether.engagement.api import router as engagement_router
    from bellwether.framework.api import router as framework_router
    from bellwether.influence.api import router as influence_router
    from bellwether.initiatives.api import router as initiatives_router
    from bellwether.people.api import router as people_router
    from bellwether.surveys.api import router as surveys_router

    # Surveys first: URLs are tried in this order, and every pulse answer is a request.
    api.add_router("/surveys", surveys_router)
    api.add_router("/framework", framework_router)
    api.add_router("/", people_router)
    api.add_router("/tokens", accounts_router)
    api.add_router("/initiatives", initiatives_router)
    api.add_router("/readiness", assessments_router)
    api.add_router("/influence", influence_router)
    api.add_router("/engagement", engagement_router)


_register_routers()
