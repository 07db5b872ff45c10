"""The JSON API at /api/v1/: one NinjaAPI, routers from each app, one error format.

Every 4xx answer has the body ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from bellwether.accounts.models import ApiToken, Membership
from bellwether.accounts.tokens import digest
from bellwether.core.errors import DomainError
from bellwether.core.schema import DocumentedAPI


def _membership_for_secret(secret: str) -> Membership | None:
    token = (
        ApiToken.objects.select_related(
            "membership__organisation", "membership__user", "membership__person"
        )
        .prefetch_related("membership__role_grants")
        .filter(digest=digest(secret), revoked_at__isnull=True)
        .first()
    )
    if token is None or not token.membership.is_active or not token.membership.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute so busy integrations don't write on every call.
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.membership


class TokenAuth(HttpBearer):
    """``Authorization: Bearer bw_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        membership = _membership_for_secret(token)
        if membership is not None:
            request.membership = membership  # type: ignore[attr-defined]
        return membership


api = DocumentedAPI(
    title="Bellwether API",
    version="1",
    description=(
        "Bellwether's JSON API. Authenticate with a personal API token "
        "(`Authorization: Bearer bw_…`), created under *Settings → API tokens*."
    ),
    urls_namespace="api",
    auth=[TokenAuth()],
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
    response = api.create_response(
        request,
        error_body("unauthenticated", "A valid API token is required (Authorization: Bearer …)."),
        status=401,
    )
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
    return api.create_response(request, error_body(code, str(exc.message)), status=exc.status_code)


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
