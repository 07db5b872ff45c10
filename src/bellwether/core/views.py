from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_POST

from bellwether.accounts.models import Membership
from bellwether.core import selectors
from bellwether.core.access import require
from bellwether.core.api import error_body
from bellwether.core.middleware import SESSION_ORGANISATION_KEY
from bellwether.people import access as people_access


def _membership(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    if membership is None:
        return render(request, "core/no_membership.html", status=403)
    context = {
        "summary": selectors.organisation_summary(membership.organisation),
        "memberships": membership.user.memberships.filter(is_active=True).select_related(
            "organisation"
        ),
        "roles": sorted(role.label for role in membership.roles),
        "can_browse_people": people_access.can_browse_people(membership),
        "can_import": people_access.can_import_people(membership),
    }
    return render(request, "core/home.html", context)


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(
        request, membership, people_access.can_view_audit_log(membership), rule="can_view_audit_log"
    )
    assert membership is not None
    action = request.GET.get("action", "")[:80]
    actor = request.GET.get("actor", "")[:254]
    events = selectors.audit_events(membership.organisation, action=action, actor=actor)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "core/audit_log.html",
        {
            "page": page,
            "action": action,
            "actor": actor,
            "actions": selectors.audit_actions(membership.organisation),
        },
    )


@login_required
@require_POST
def switch_organisation(request: HttpRequest) -> HttpResponse:
    try:
        organisation_id = int(request.POST.get("organisation", ""))
    except ValueError:
        return redirect("core:home")
    if not 0 < organisation_id < 2**63:  # beyond any id the database can hold
        return redirect("core:home")
    if request.user.memberships.filter(organisation_id=organisation_id, is_active=True).exists():  # type: ignore[union-attr]
        request.session[SESSION_ORGANISATION_KEY] = organisation_id
    return redirect("core:home")


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
