"""Sessions end after a period of inactivity and after an absolute lifetime."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

SIGNED_IN_AT = "bw_signed_in_at"
LAST_SEEN_AT = "bw_last_seen_at"


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
