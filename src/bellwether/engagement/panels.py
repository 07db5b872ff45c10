"""The engagement panel on a person's page: barriers marked, plan status, links."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bellwether.core.panels import Panel
from bellwether.engagement import access, selectors

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bellwether.accounts.models import Membership
    from bellwether.people.models import Person


def person_panel(*, request: HttpRequest, membership: Membership, person: Person) -> Panel | None:
    if not person.leader_level or not access.VIEW_PLANS.allows(membership):
        return None
    if not access.VIEW_LEADER.allows(membership, person):
        return None
    plan = selectors.plan_of(person)
    return Panel(
        title="Engagement plan",
        template="engagement/_panel.html",
        context={
            "person_id": person.pk,
            "plan": plan,
            "overdue": plan is not None and selectors.is_overdue(plan),
            "marked": [line for line in selectors.checklist(person) if line.weight],
        },
        key="engagement",
    )
