"""Influence map: pages and API operations for the access matrix.

The world's map: a profile for the coachee, a tie from the leader to the coachee, a
finished analysis and planner run, and one more leader (Pia Peer) that ties created by
the matrix start from. Leaders, coaches and reviewers never open the map; a coach opens
the profile of their coachee only.
"""

from __future__ import annotations

from typing import Any

from bellwether.influence.models import AnalysisRun, Community, PlannerRun, RunStatus, Tie
from bellwether.influence.tests.factories import make_profile, make_tie
from bellwether.people.models import LeaderLevel
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only
from bellwether.testing.factories import PersonFactory

BASE = "/api/v1/influence"
VIEWERS = ("admin", "sponsor")
EDITORS = ("admin",)


def build(world: World) -> None:
    org = world["org"]
    make_profile(organisation=org, person=world["coachee"], peer_respect="high")
    world["tie"] = make_tie(
        organisation=org, source=world["leader_person"], target=world["coachee"]
    )
    world["influence_peer"] = PersonFactory(
        organisation=org, employee_id="IP01", name="Pia Peer", leader_level=LeaderLevel.SENIOR
    )
    world["analysis_run"] = AnalysisRun.objects.create(
        organisation=org, version="v", status=RunStatus.DONE, results={"communities": 1}
    )
    Community.objects.create(
        organisation=org, run=world["analysis_run"], number=0, size=1, central=[]
    )
    world["planner_run"] = PlannerRun.objects.create(
        organisation=org,
        version="v",
        status=RunStatus.DONE,
        k=1,
        results={"picks": [], "baseline_supporters": 0, "expected_supporters": 0.0, "leaders": 0},
    )


def _restore_tie(world: World) -> None:
    world["tie"] = make_tie(
        organisation=world["org"], source=world["leader_person"], target=world["coachee"]
    )


def _remove_new_tie(world: World) -> None:
    Tie.objects.filter(source=world["influence_peer"], target=world["leader_person"]).delete()


def _coachee(world: World) -> dict[str, Any]:
    return {"person_id": world["coachee"].pk}


def _leader(world: World) -> dict[str, Any]:
    return {"person_id": world["leader_person"].pk}


PAGES: list[Page] = [
    Page("influence:home", only(VIEWERS)),
    Page("influence:network_data", only(VIEWERS)),
    Page(
        "influence:community",
        # The outsider's organisation has no analytics: no such community.
        only(VIEWERS, outsider=404),
        kwargs=lambda w: {"number": 1},
        is_object_page=True,
    ),
    Page("influence:grid_quadrant", only(VIEWERS), kwargs=lambda w: {"quadrant": "develop"}),
    Page("influence:recompute", everyone(405)),
    Page("influence:grid", only(VIEWERS)),
    Page("influence:messengers", only(VIEWERS)),
    Page("influence:planner", only(VIEWERS)),
    Page(
        "influence:planner_run",
        only(VIEWERS, outsider=404),
        kwargs=lambda w: {"pk": w["planner_run"].pk},
        is_object_page=True,
    ),
    Page("influence:ties", only(VIEWERS)),
    Page("influence:import", only(EDITORS)),
    Page(
        "influence:tie_edit",
        only(EDITORS, outsider=404),
        kwargs=lambda w: {"pk": w["tie"].pk},
        is_object_page=True,
    ),
    Page(
        "influence:profile",
        only(("admin", "sponsor", "coach"), outsider=404),
        kwargs=_coachee,
        is_object_page=True,
    ),
    Page(
        "influence:profile",
        # A coach opens profiles, but not of a leader they do not coach.
        {**only(VIEWERS, outsider=404), "coach": 404},
        kwargs=_leader,
        is_object_page=True,
    ),
]

OPERATIONS: list[Operation] = [
    Operation(
        "get",
        f"{BASE}/profiles/{{person_id}}",
        api_only(("admin", "sponsor", "coach"), outsider=404),
        params=_coachee,
        is_object=True,
    ),
    Operation(
        "put",
        f"{BASE}/profiles/{{person_id}}",
        api_only(("admin", "coach"), outsider=404),
        params=_coachee,
        body=lambda w: {"motivated_by": "Faster month-end close"},
        is_object=True,
    ),
    Operation("get", f"{BASE}/ties", api_only(VIEWERS)),
    Operation(
        "post",
        f"{BASE}/ties",
        # The outsider names leaders of another organisation: refused as invalid.
        api_only(EDITORS, ok=201, outsider=400),
        body=lambda w: {
            "source_id": w["influence_peer"].pk,
            "target_id": w["leader_person"].pk,
            "strength": 3,
        },
        restore=_remove_new_tie,
    ),
    Operation(
        "delete",
        f"{BASE}/ties/{{tie_id}}",
        api_only(EDITORS, ok=204, outsider=404),
        params=lambda w: {"tie_id": w["tie"].pk},
        is_object=True,
        restore=_restore_tie,
    ),
    Operation(
        "post",
        f"{BASE}/ties/bulk",
        # The outsider's records name employee ids their organisation does not have.
        api_only(EDITORS, outsider=400),
        body=lambda w: {
            "records": [{"source": "IP01", "target": "L001", "strength": 2}],
            "dry_run": True,
        },
    ),
    # The outsider's organisation has no analytics yet.
    Operation("get", f"{BASE}/analysis", api_only(VIEWERS, outsider=404)),
    Operation(
        "post",
        f"{BASE}/analysis",
        api_only(EDITORS, ok=202, outsider=202),
        body=lambda w: {"force": True},
    ),
    Operation(
        "post",
        f"{BASE}/planner-runs",
        api_only(EDITORS, ok=202, outsider=202),
        body=lambda w: {"k": 2},
    ),
    Operation(
        "get",
        f"{BASE}/planner-runs/{{run_id}}",
        api_only(VIEWERS, outsider=404),
        params=lambda w: {"run_id": w["planner_run"].pk},
        is_object=True,
    ),
    Operation("get", f"{BASE}/messengers", api_only(VIEWERS)),
    Operation("get", f"{BASE}/grid", api_only(VIEWERS)),
]
