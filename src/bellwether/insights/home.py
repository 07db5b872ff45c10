"""What each role sees on landing: the reads behind the home page.

Admins get the programme's state (people, what is running, what is late, imports);
executive sponsors the KPIs and initiatives awaiting alignment; leaders their own
readiness and plans; coaches their coachees. Everyone gets their task inbox. A member
with several roles sees each role's sections.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.assessments import selectors as assessments
from bellwether.core.inbox import InboxItem
from bellwether.initiatives import selectors as initiatives
from bellwether.insights import measures, periods
from bellwether.insights import selectors as kpis
from bellwether.insights.filters import today_for
from bellwether.insights.inbox import inbox_for, open_count
from bellwether.insights.vision import VisionPanel, vision_for
from bellwether.people import selectors as people
from bellwether.surveys import selectors as surveys

# The home page shows this many inbox items; the inbox page shows them all.
INBOX_PREVIEW = 8


@dataclass(frozen=True)
class CoacheeRow:
    person_id: int
    name: str
    band: str
    total: float | None


@dataclass
class Home:
    today: date
    inbox: list[InboxItem]
    inbox_total: int
    roles: list[str]
    programme: dict[str, Any] | None = None
    kpis: list[measures.Measure] = field(default_factory=list)
    alignment: Any = None
    my_band: assessments.CurrentBand | None = None
    coachees: list[CoacheeRow] = field(default_factory=list)
    vision: VisionPanel | None = None


def home_for(membership: Membership) -> Home:
    organisation = membership.organisation
    today = today_for(organisation)
    items = inbox_for(membership, today=today)
    home = Home(
        today=today,
        inbox=items,
        inbox_total=open_count(items),
        roles=sorted(role.label for role in membership.roles),
        vision=vision_for(membership),
    )
    if membership.has_role(Role.ADMIN):
        home.programme = _programme(membership)
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        period = periods.containing(periods.MONTH, today)
        home.kpis = kpis.primary_measures(organisation, period=period, history=2)
        home.alignment = initiatives.organisation_alignment(organisation)
    if membership.person_id is not None:
        home.my_band = assessments.current_bands(
            organisation, person_ids=[membership.person_id]
        ).get(membership.person_id)
    if membership.has_role(Role.COACH):
        people_coached = assessments.coachees(membership)
        bands = assessments.current_bands(organisation, person_ids=[p.pk for p in people_coached])
        home.coachees = [
            CoacheeRow(
                p.pk,
                p.name,
                bands[p.pk].band_name if p.pk in bands else "",
                bands[p.pk].total if p.pk in bands else None,
            )
            for p in people_coached
        ]
    return home


def _programme(membership: Membership) -> dict[str, Any]:
    organisation = membership.organisation
    open_cycles = [c for c in assessments.cycles_for(organisation)[:20] if c.is_open]
    running_pulses = [
        c for c in surveys.campaigns_for(organisation)[:20] if not surveys.is_closed(c)
    ]
    return {
        "summary": people.organisation_summary(organisation),
        "open_cycles": open_cycles,
        "running_pulses": running_pulses,
        "imports": people.recent_import_jobs(organisation, limit=3),
    }
