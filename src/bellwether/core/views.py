"""Pages below the apps: liveness and readiness, metrics, the favicon, and the error pages
(in the API's error format under /api/). The organisation's own pages live in
``accounts.views_home``."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static

from bellwether.core import health, metrics
from bellwether.core.api import error_body


def favicon(request: HttpRequest) -> HttpResponse:
    # Resolved per request: in production the static manifest exists only after collectstatic.
    return redirect(static("bellwether/favicon.svg"), permanent=True)


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: the process answers. It asks nothing of the database, so that a database
    outage does not get every web process restarted (``/readyz`` says it is not ready)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 when the database (and Redis, when used) answer, else 503 with
    what failed; a load balancer sends no traffic to a process that is not ready."""
    ready, answers = health.readiness()
    return JsonResponse(
        {"status": "ready" if ready else "not ready", "checks": answers},
        status=200 if ready else 503,
    )


def metrics_page(request: HttpRequest) -> HttpResponse:
    """Prometheus metrics, for the metrics token or an allowed address only."""
    if not metrics.allowed(request):
        return JsonResponse(
            error_body("forbidden", "Metrics need the metrics token or an allowed address."),
            status=403,
        )
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)


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
