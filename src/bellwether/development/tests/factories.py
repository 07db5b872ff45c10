"""Workshops for tests (here and in the apps that read development, such as insights)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.development import services
from bellwether.development.models import Workshop


def workshop(
    org: Organisation,
    invited: list[int],
    *,
    session: str = "vision.role_definition",
    days_ago: int = 2,
    hours: int = 4,
    held: bool = False,
) -> Workshop:
    """One of the three sessions, started ``days_ago`` (negative: still to come); with
    ``held``, everyone invited came."""
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=days_ago)
    found = services.schedule_workshop(
        organisation=org,
        actor=None,
        session_key=session,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=hours),
        invited=invited,
    )
    if held:
        services.record_attendance(workshop=found, actor=None, attended=invited)
    return found
