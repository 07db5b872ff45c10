"""Readiness: pages and API operations for the access matrix (tests/test_access_matrix.py).

The world's cycle is open, in "nominated" mode, and assesses the leader (a member) and
the coachee; the leader has nominated the bystander (awaiting approval). Both leaders
have a band from a recent released cycle (an open cycle has no results).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from bellwether.assessments import services
from bellwether.assessments.models import Rater
from bellwether.assessments.tests.factories import make_cycle, record_result
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only

from .access_reports import REPORT_OPERATIONS, REPORT_PAGES, build_reports

BASE = "/api/v1/readiness"


def build(world: World) -> None:
    org = world["org"]
    now = timezone.now()
    cycle = services.launch_cycle(
        organisation=org,
        actor=None,
        name="Matrix readiness",
        leaders={"person_ids": [world["leader_person"].pk, world["coachee"].pk]},
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=14),
        rater_mode="nominated",
        send_email=False,
    )
    (nomination,) = services.nominate_raters(
        cycle=cycle,
        actor=None,
        leader=world["leader_person"],
        raters=[(world["bystander"].pk, "peer")],
    )
    world["readiness_cycle"] = cycle
    world["readiness_nomination"] = nomination
    recent = make_cycle(
        organisation=org,
        name="Recent readiness",
        opens_at=now - dt.timedelta(days=40),
        leaders=[world["leader_person"], world["coachee"]],
    )
    record_result(organisation=org, person=world["leader_person"], total=72, cycle=recent)
    record_result(organisation=org, person=world["coachee"], total=58, cycle=recent)
    build_reports(world)


def _cycle(world: World) -> dict[str, Any]:
    return {"pk": world["readiness_cycle"].pk}


def _leader(world: World) -> dict[str, Any]:
    return {"pk": world["readiness_cycle"].pk, "person_id": world["leader_person"].pk}


def _api_cycle(world: World) -> dict[str, Any]:
    return {"cycle_id": world["readiness_cycle"].pk}


def _api_leader(world: World) -> dict[str, Any]:
    return {"cycle_id": world["readiness_cycle"].pk, "person_id": world["leader_person"].pk}


def _one_rater(world: World) -> dict[str, Any]:
    return {"raters": [{"person_id": world["coachee"].pk, "category": "direct_report"}]}


def _undecide(world: World) -> None:
    Rater.objects.filter(pk=world["readiness_nomination"].pk).update(
        status=Rater.Status.PROPOSED, decided_at=None, decided_by=None
    )


FOLLOWERS = ("admin", "sponsor")
READINESS = ("admin", "sponsor", "leader", "coach")

PAGES: list[Page] = [
    Page("assessments:home", only(READINESS)),
    Page("assessments:cycle_new", only(("admin",))),
    Page("assessments:wording", only(("admin",))),
    Page("assessments:cycle", only(FOLLOWERS, outsider=404), kwargs=_cycle, is_object_page=True),
    Page("assessments:cycle_remind", everyone(405), kwargs=_cycle, is_object_page=True),
    Page("assessments:cycle_close", everyone(405), kwargs=_cycle, is_object_page=True),
    Page("assessments:raters", only(("admin",), outsider=404), kwargs=_leader, is_object_page=True),
    Page(
        "assessments:bulk_raters",
        only(("admin",), outsider=404),
        kwargs=_cycle,
        is_object_page=True,
    ),
    Page(
        "assessments:nominate", only(("leader",), outsider=404), kwargs=_cycle, is_object_page=True
    ),
    *REPORT_PAGES,
]

OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/cycles", api_only(FOLLOWERS)),
    Operation(
        "post",
        f"{BASE}/cycles",
        # The outsider names leaders of another organisation: nobody matches, 400.
        api_only(("admin",), ok=201, outsider=400),
        body=lambda w: {
            "name": "API cycle",
            "opens_at": timezone.now().isoformat(),
            "closes_at": (timezone.now() + dt.timedelta(days=7)).isoformat(),
            "leaders": {"person_ids": [w["leader_person"].pk]},
            "send_email": False,
        },
    ),
    Operation(
        "get",
        f"{BASE}/cycles/{{cycle_id}}",
        api_only(FOLLOWERS, outsider=404),
        params=_api_cycle,
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/cycles/{{cycle_id}}/leaders",
        api_only(FOLLOWERS, outsider=404),
        params=_api_cycle,
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/cycles/{{cycle_id}}/leaders/{{person_id}}/raters",
        api_only(("admin",), outsider=404),
        params=_api_leader,
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/cycles/{{cycle_id}}/leaders/{{person_id}}/suggestions",
        api_only(("admin",), outsider=404),
        params=_api_leader,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/cycles/{{cycle_id}}/leaders/{{person_id}}/raters",
        api_only(("admin",), ok=201, outsider=404),
        params=_api_leader,
        body=_one_rater,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/cycles/{{cycle_id}}/nominations",
        api_only(("leader",), ok=201, outsider=404),
        params=_api_cycle,
        body=_one_rater,
        is_object=True,
    ),
    Operation(
        "post",
        f"{BASE}/cycles/{{cycle_id}}/nominations/decision",
        api_only(("admin",), outsider=404),
        params=_api_cycle,
        body=lambda w: {"rater_ids": [w["readiness_nomination"].pk], "decision": "reject"},
        is_object=True,
        restore=_undecide,
    ),
    Operation(
        "post",
        f"{BASE}/cycles/{{cycle_id}}/reminders",
        api_only(("admin",), outsider=404),
        params=_api_cycle,
        body=lambda w: {"all": True},
        is_object=True,
    ),
    Operation("get", f"{BASE}/bands", api_only(READINESS)),
    Operation(
        "get",
        f"{BASE}/bands/{{person_id}}",
        api_only(("admin", "sponsor", "coach"), refused=404, outsider=404),
        params=lambda w: {"person_id": w["coachee"].pk},
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/bands/{{person_id}}",
        api_only(("admin", "sponsor", "leader"), refused=404, outsider=404),
        params=lambda w: {"person_id": w["leader_person"].pk},
        is_object=True,
    ),
    *REPORT_OPERATIONS,
]
