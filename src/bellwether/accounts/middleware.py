"""Request plumbing of identity and tenancy: which organisation a request acts in,
sessions that end after a period of inactivity and after an absolute lifetime, and every
refused request written to the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from bellwether.accounts import selectors
from bellwether.accounts.models import Membership

SIGNED_IN_AT = "bw_signed_in_at"
LAST_SEEN_AT = "bw_last_seen_at"
SESSION_ORGANISATION_KEY = "organisation_id"


def current_membership(request: HttpRequest) -> Membership | None:
    """The signed-in user's active membership for this request, or None.

    A user in several organisations picks one (kept in the session); otherwise it is
    their default organisation, which joining another organisation never changes.
    """
    if not request.user.is_authenticated:
        return None
    memberships = list(selectors.active_memberships_of(request.user.pk))
    if not memberships:
        return None
    wanted = request.session.get(SESSION_ORGANISATION_KEY)
    for membership in memberships:
        if membership.organisation_id == wanted:
            return membership
    return selectors.pick_default(memberships, request.user)


class TenantMiddleware:
    """Sets ``request.membership`` and ``request.organisation`` for every request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        membership = current_membership(request)
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = membership.organisation if membership else None  # type: ignore[attr-defined]
        return self.get_response(request)


class SessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            signed_in_at = request.session.get(SIGNED_IN_AT, now)
            last_seen = request.session.get(LAST_SEEN_AT, now)
            idle = settings.BELLWETHER_SESSION_IDLE.total_seconds()
            absolute = settings.BELLWETHER_SESSION_ABSOLUTE.total_seconds()
            if now - last_seen > idle or now - signed_in_at > absolute:
                # Imported here: services import this module's session keys.
                from bellwether.accounts.services import end_expired_session

                reason = "absolute" if now - signed_in_at > absolute else "idle"
                end_expired_session(request=request, reason=reason)
            else:
                request.session.setdefault(SIGNED_IN_AT, signed_in_at)
                # Write the session at most once a minute, not on every request.
                if now - last_seen > 60 or LAST_SEEN_AT not in request.session:
                    request.session[LAST_SEEN_AT] = now
        return self.get_response(request)


class RefusalAuditMiddleware:
    """Write every refused request to the audit log: who, which path, when.

    Every 401 and 403, and every 404 answered to someone signed in (an object of
    another organisation, or one their role may not see, answers 404 on purpose). An
    anonymous 404 is not logged: that is crawlers, not refusals. Refusals the access
    helpers or the token check already wrote (``audit.mark_refusal_audited``) are
    not written twice. One short row each, never a body; secret-looking path segments
    (personal links) are replaced by "…".
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        status = response.status_code
        if status not in (401, 403, 404):
            return response
        # Imported here: this module is imported by accounts.services at start-up.
        from bellwether.core import audit

        if audit.refusal_is_audited(request):
            return response
        membership = getattr(request, "membership", None)
        if not isinstance(membership, Membership):
            membership = None
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if status == 404 and not signed_in and membership is None:
            return response
        actor = membership.user if membership is not None else (user if signed_in else None)
        audit.record(
            action="request.refused",
            organisation=membership.organisation if membership is not None else None,
            actor=actor,
            details={
                "status": status,
                "method": request.method or "",
                "path": audit.redacted_path(request.path),
            },
            request=request,
        )
        return response
