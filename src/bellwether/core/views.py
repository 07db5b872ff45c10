"""Pages below the apps: the health check, the favicon, and the error pages (in the API's
error format under /api/). The organisation's own pages live in ``accounts.views_home``."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from bellwether.core.api import error_body


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: in production the static manifest exists only after collectstatic.
    return redirect(static("bellwether/favicon.svg"), permanent=True)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        code = {400: "invalid", 403: "forbidden", 404: "not_found", 500: "server_error"}[status]
        return JsonResponse(error_body(code, message), status=status)
    return render(
        request, "error.html", {"status": status, "title": title, "message": message}, status=status
    )


def bad_request(
    request: HttpRequest,
    exception: Exception | None = None,
    message: str = "The request could not be understood.",
) -> HttpResponse:
    return _error(request, 400, "Bad request", message)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(request, 403, "Not allowed", "You do not have access to this page.")


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _error(
        request, 404, "Not found", "There is nothing here, or you do not have access to it."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error(
        request, 500, "Something went wrong", "The error has been logged. Please try again."
    )
