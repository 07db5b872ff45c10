"""The readiness panel on a person's page: current band, score, self-reported flag, link."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse

from bellwether.assessments import access
from bellwether.assessments.selectors import current_bands
from bellwether.core.panels import Panel

if TYPE_CHECKING:
    from django.http import HttpRequest

    from bellwether.accounts.models import Membership
    from bellwether.people.models import Person


def person_panel(*, request: HttpRequest, membership: Membership, person: Person) -> Panel | None:
    """Shown to those who may open the person's readiness report: their band, or for a
    leader not yet assessed, that they are not."""
    if not access.VIEW_REPORT.allows(membership, person):
        return None
    band = current_bands(membership.organisation_id, person_ids=[person.pk]).get(person.pk)
    if band is None and not person.leader_level:
        return None
    return Panel(
        title="AI readiness",
        template="assessments/_person_panel.html",
        context={
            "band": band,
            "report_url": reverse("assessments:report", args=[person.pk]),
        },
        key="readiness",
    )
