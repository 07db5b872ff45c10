"""The JSON API's shared plumbing: one error format and the handlers that produce it.

Every 4xx answer has the body ``{"error": {"code": ..., "message": ..., "fields": {...}}}``.
A leaf module: it imports no app, so any app's ``api.py`` may import it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from bellwether.core import audit, cursor
from bellwether.core.access import member_of_request
from bellwether.core.errors import DomainError
from bellwether.core.schema import ERRORS
from bellwether.core.tabular import ImportResult

T = TypeVar("T")

STATUS_CODES = {
    400: "invalid",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    429: "throttled",
}


class CredentialsRefused(AuthenticationError):
    """Presented credentials that are unknown, expired or revoked; the message says which."""

    def __init__(self, message: str) -> None:
        super().__init__(401, message)


class ClientThrottled(HttpError):
    """Too many failures from this client: try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(429, message)
        self.retry_after = retry_after


def error_body(code: str, message: str, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def field_path(loc: tuple[object, ...] | list[object]) -> str:
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


def install_error_handlers(api: NinjaAPI) -> None:
    """Make every refusal of ``api`` answer in the one error format."""

    def answer(request: HttpRequest, status: int, body: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, body, status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        return answer(request, 400, error_body(exc.code, exc.message, exc.field_errors))

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields: dict[str, list[str]] = {}
        for err in exc.errors:
            loc = field_path(err.get("loc", ()))
            fields.setdefault(loc or "request", []).append(str(err.get("msg", "invalid")))
        return answer(request, 422, error_body("invalid", "The request is not valid.", fields))

    @api.exception_handler(AuthenticationError)
    def auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        message = (
            exc.message
            if isinstance(exc, CredentialsRefused)
            else "A valid API token is required (Authorization: Bearer …)."
        )
        response = answer(request, 401, error_body("unauthenticated", message))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        body = error_body("forbidden", "You do not have permission for this.")
        return answer(request, 403, body)

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, error_body("not_found", "Not found."))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        code = STATUS_CODES.get(exc.status_code, "error")
        response = answer(request, exc.status_code, error_body(code, str(exc.message)))
        if isinstance(exc, ClientThrottled):
            response["Retry-After"] = str(exc.retry_after)
        return response


def rows_in(data: Any) -> int | None:
    """How many rows an answer carries: a list, or a page of ``items``; None for one object."""
    if isinstance(data, list):
        return len(data)
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return len(data["items"])
    return None


def audit_bulk_read(request: HttpRequest, data: Any, status: int | None) -> None:
    """A successful GET answering a collection is a bulk read: written to the audit log
    like an export (who, which path and filters, how many rows), unless the endpoint wrote
    its own event for this request."""
    if request.method != "GET" or status != 200 or getattr(request, audit.REQUEST_AUDITED, False):
        return
    rows = rows_in(data)
    if rows is None:
        return
    member = member_of_request(request)
    audit.record(
        action="api.bulk_read",
        organisation=getattr(member, "organisation", None),
        actor=getattr(member, "user", None),
        target_label=audit.redacted_path(request.path)[:300],
        details={
            "path": audit.redacted_path(request.path),
            "filters": {key: value[:200] for key, value in request.GET.items()},
            "rows": rows,
        },
        request=request,
    )


# --- declaring an operation and answering it ----------------------------------------------


def answers(
    schema: Any,
    operation_id: str,
    summary: str,
    *,
    status: int = 200,
    errors: Mapping[int, Any] = ERRORS,
    also: Mapping[int, Any] | None = None,
    **more: Any,
) -> dict[str, Any]:
    """The keywords that declare an operation: ``schema`` answered with ``status``, besides
    the refusals every operation gives in the one error format (``errors``, then ``also``),
    its id and its summary: ``@router.get(path, **answers(Out, "get_thing", "Get a thing"))``.
    """
    response = {status: schema, **errors, **(also or {})}
    return {"response": response, "summary": summary, "operation_id": operation_id, **more}


def paged(schema: Any, operation_id: str, summary: str, **more: Any) -> dict[str, Any]:
    """``answers`` for an API list answered as a plain JSON list of ``schema``, one keyset
    page at a time (``core.cursor.api_page``): its paging headers are documented."""
    return answers(
        list[schema], operation_id, summary, openapi_extra=cursor.NEXT_PAGE_HEADERS, **more
    )


def named(found: T | None, field: str, message: str) -> T:
    """What the payload's ``field`` names, looked up in the caller's organisation; a 400 with
    ``message`` under that field if there is none."""
    if found is None:
        raise DomainError(message, field_errors={field: [message]})
    return found


def named_if(pk: int | None, find: Callable[[int], T | None], field: str, message: str) -> T | None:
    """``named`` for an optional ``field``: None when the payload names nothing, else what
    ``find(pk)`` finds (a 400 with ``message`` if nothing)."""
    return None if pk is None else named(find(pk), field, message)


class PageQuery(Protocol):
    @property
    def limit(self) -> int: ...
    @property
    def offset(self) -> int: ...


def page_of(
    rows: QuerySet[Any],
    query: PageQuery,
    out: Callable[[Any], dict[str, Any]],
    *,
    chosen: Sequence[Any] | None = None,
) -> dict[str, Any]:
    """One limit/offset page of ``rows``: how many match across all pages, the page's
    bounds and its items through ``out``. ``chosen`` is the page's rows if the caller has
    already read them."""
    if chosen is None:
        chosen = list(rows[query.offset : query.offset + query.limit])
    return {
        "count": rows.count(),
        "limit": query.limit,
        "offset": query.offset,
        "items": [out(row) for row in chosen],
    }


def batch_of(records: Sequence[T], most: int) -> Sequence[T]:
    """A batch's records, if there are some and at most ``most`` (413 otherwise)."""
    if len(records) > most:
        raise HttpError(
            413,
            f"At most {most:,} records per call; this call has {len(records):,}. "
            "Send them in smaller batches.",
        )
    if not records:
        raise DomainError("Send at least one record.", field_errors={"records": ["Empty."]})
    return records


def batch_answer(result: ImportResult) -> dict[str, Any]:
    """A batch's answer: what it changed (or, for a dry run, would change); or, refused
    (400, nothing changed), each record's problems under ``records[<n>].<field>``, ``n``
    counting from 1 like the importer's lines (line 0 is about the whole call)."""
    if result.ok:
        return {"ok": True, "dry_run": result.dry_run, **result.counts()}
    errors = result.errors
    fields: dict[str, list[str]] = {}
    for error in errors:
        key = f"records[{error.line}]" if error.line else "records"
        if error.column:
            key += f".{error.column}"
        fields.setdefault(key, []).append(error.message)
    count = len(errors)
    raise DomainError(
        f"{count} problem{'s' if count != 1 else ''} in the records; nothing was changed.",
        code="invalid_records",
        field_errors=fields,
    )
