"""Request plumbing: which organisation a request acts in, and caching of signed-in pages."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from bellwether.accounts.models import Membership
from bellwether.accounts.selectors import pick_default

SESSION_ORGANISATION_KEY = "organisation_id"


def current_membership(request: HttpRequest) -> Membership | None:
    """The signed-in user's active membership for this request, or None.

    A user in several organisations picks one (kept in the session); otherwise it is
    their default organisation, which joining another organisation never changes.
    """
    if not request.user.is_authenticated:
        return None
    memberships = list(
        Membership.objects.filter(user_id=request.user.pk, is_active=True)
        .select_related("organisation", "person", "user")
        .prefetch_related("role_grants")
        .order_by("organisation__name")
    )
    if not memberships:
        return None
    wanted = request.session.get(SESSION_ORGANISATION_KEY)
    for membership in memberships:
        if membership.organisation_id == wanted:
            return membership
    return pick_default(memberships, request.user)


class TenantMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = current_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = membership.organisation if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """Signed-in pages may hold personal data: no browser or proxy may keep them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith("/api/"):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response


NUL = "\x00"


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path:
        return True
    if any(
        NUL in key or any(NUL in value for value in values) for key, values in request.GET.lists()
    ):
        return True
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if request.content_type == "application/json":
            return b"\\u0000" in request.body or b"\x00" in request.body
        if request.content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            # Form fields only: uploaded files (XLSX) may hold NUL bytes legitimately.
            return any(
                NUL in key or any(NUL in value for value in values)
                for key, values in request.POST.lists()
            )
    return False


class RejectNulCharactersMiddleware:
    """No text anywhere in Bellwether may contain a NUL character: PostgreSQL cannot
    store or even compare it. Refusing it here, once, gives every form, filter and API
    field a clear 400 instead of a database error."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            from bellwether.core.views import bad_request

            return bad_request(
                request, message="The request contains a NUL character, which is not allowed."
            )
        return self.get_response(request)
