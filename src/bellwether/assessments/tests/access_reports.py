"""Readiness report pages and API operations for the access matrix (appended by access.py).

``build_reports`` adds an earlier cycle in which the leader and the coachee were scored,
so the transition view has two cycles.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from bellwether.assessments.tests.factories import make_cycle, record_result
from bellwether.testing.access import Operation, Page, World, api_only, only

BASE = "/api/v1/readiness"
ORGANISATION = ("admin", "sponsor")


def build_reports(world: World) -> None:
    org = world["org"]
    earlier = make_cycle(
        organisation=org,
        name="Earlier readiness",
        opens_at=timezone.now() - dt.timedelta(days=120),
        leaders=[world["leader_person"], world["coachee"]],
    )
    record_result(organisation=org, person=world["leader_person"], total=61, cycle=earlier)
    record_result(organisation=org, person=world["coachee"], total=47, cycle=earlier)
    world["readiness_earlier_cycle"] = earlier


def _report_expect(allowed: tuple[str, ...], *, api: bool = False) -> dict[str, int]:
    """Allowed roles 200; other readiness roles 404 (not theirs); reviewers 403 (no access)."""
    expect = (api_only if api else only)(allowed, refused=404, outsider=404)
    expect["reviewer"] = 403
    return expect


def _leader(world: World) -> dict[str, Any]:
    return {"person_id": world["leader_person"].pk}


def _coachee(world: World) -> dict[str, Any]:
    return {"person_id": world["coachee"].pk}


OWN = ("admin", "sponsor", "leader")
COACHED = ("admin", "sponsor", "coach")

REPORT_PAGES: list[Page] = [
    Page("assessments:report", _report_expect(OWN), kwargs=_leader, is_object_page=True),
    Page("assessments:report", _report_expect(COACHED), kwargs=_coachee, is_object_page=True),
    Page("assessments:report_pdf", _report_expect(OWN), kwargs=_leader, is_object_page=True),
    Page("assessments:organisation", only(ORGANISATION)),
    Page("assessments:organisation_export", only(ORGANISATION)),
]

REPORT_OPERATIONS: list[Operation] = [
    Operation(
        "get",
        f"{BASE}/leaders/{{person_id}}/report",
        _report_expect(OWN, api=True),
        params=_leader,
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/leaders/{{person_id}}/report",
        _report_expect(COACHED, api=True),
        params=_coachee,
        is_object=True,
    ),
    # The outsider's organisation has no readiness cycle: 404.
    Operation("get", f"{BASE}/organisation/distribution", api_only(ORGANISATION, outsider=404)),
    Operation("get", f"{BASE}/organisation/heatmap", api_only(ORGANISATION, outsider=404)),
    Operation("get", f"{BASE}/organisation/transitions", api_only(ORGANISATION, outsider=404)),
    Operation("get", f"{BASE}/organisation/share-70", api_only(ORGANISATION)),
]
