"""Plans, modules and workshops for tests (here, in the access matrix, and in the apps that
read development, such as insights)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.development import services
from bellwether.development.models import LearningPlan, OrgModule, Workshop
from bellwether.people.models import Person

PLAN_START = datetime.date(2026, 1, 5)


def active_plan(person: Person) -> LearningPlan:
    """``person``'s generated plan from PLAN_START, made active as if both sides agreed it."""
    plan = services.generate_plan(person=person, actor=None, start=PLAN_START)
    LearningPlan.objects.filter(pk=plan.pk).update(status="active")
    plan.refresh_from_db()
    return plan


def peer_circle(org: Organisation) -> OrgModule:
    """The organisation's own two-hour literacy module “Peer circle”."""
    return services.add_org_module(
        organisation=org,
        actor=None,
        title="Peer circle",
        kind="internal",
        hours=2,
        tier_key="tier.literacy",
    )


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
