"""Behaviours: pages and API operations for the access matrix.

A leader checks in and sees only their own consistency (their coachee's is 404 for
them); the coach sees the coachee's; admins and sponsors see everyone's and the
organisation view. Observing needs a manager or peer relation: nobody in the world has
one with the leader, so every observation page answers 404 (tested allowed in
test_observations.py). The one-tap link page is no member page: a forged token is 410
for everyone.
"""

from __future__ import annotations

import datetime as dt

from bellwether.behaviours import consistency, services
from bellwether.behaviours.models import CheckIn, Recognition
from bellwether.testing.access import (
    Operation,
    Page,
    World,
    api_everyone,
    api_only,
    everyone,
    only,
    pk_of,
)

BASE = "/api/v1/behaviours"
DAILY_KEY = consistency.KEYS[0]


def build(world: World) -> None:
    leader = world["leader_person"]
    today = services.today_for(world["org"])
    world["behaviours_yesterday"] = today - dt.timedelta(days=1)
    services.record_check_in(
        person=leader, day=world["behaviours_yesterday"], behaviours=[DAILY_KEY], actor=None
    )
    world["behaviours_recognitions"] = set(Recognition.objects.values_list("pk", flat=True))


_leader = pk_of("leader_person")
_coachee = pk_of("coachee")


def _undo_check_in(world: World) -> None:
    CheckIn.objects.exclude(day=world["behaviours_yesterday"]).delete()


def _undo_recognition(world: World) -> None:
    Recognition.objects.exclude(pk__in=world["behaviours_recognitions"]).delete()


LEADER_ONLY = only(("leader",), outsider=403)
LEADER_ONLY_API = api_only(("leader",), outsider=403)

PAGES: list[Page] = [
    Page("behaviours:home", only(("admin", "sponsor", "leader"))),
    Page("behaviours:check_in", LEADER_ONLY),
    Page(
        "behaviours:check_in_link",
        everyone(410, anonymous=410),
        kwargs=lambda world: {"token": "forged-token-that-was-never-signed"},
    ),
    Page("behaviours:mine", LEADER_ONLY),
    Page(
        "behaviours:leader",
        only(("admin", "sponsor", "leader"), refused=404, outsider=404),
        kwargs=_leader,
        is_object_page=True,
    ),
    Page(
        "behaviours:leader",
        only(("admin", "sponsor", "coach"), refused=404, outsider=404),
        kwargs=_coachee,
        is_object_page=True,
    ),
    Page("behaviours:organisation", only(("admin", "sponsor"))),
    Page("behaviours:observe", LEADER_ONLY),
    Page("behaviours:observe_person", everyone(404), kwargs=_leader, is_object_page=True),
    Page("behaviours:recognitions", LEADER_ONLY),
]

OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/check-in", LEADER_ONLY_API),
    Operation(
        "put",
        f"{BASE}/check-in",
        LEADER_ONLY_API,
        body=lambda world: {"behaviours": [DAILY_KEY]},
        restore=_undo_check_in,
    ),
    Operation("get", f"{BASE}/consistency/me", LEADER_ONLY_API),
    Operation(
        "get",
        f"{BASE}/consistency/{{person_id}}",
        api_only(("admin", "sponsor", "leader"), refused=404, outsider=404),
        params=lambda world: {"person_id": world["leader_person"].pk},
        is_object=True,
    ),
    Operation(
        "get",
        f"{BASE}/consistency/{{person_id}}",
        api_only(("admin", "sponsor", "coach"), refused=404, outsider=404),
        params=lambda world: {"person_id": world["coachee"].pk},
        is_object=True,
    ),
    Operation("get", f"{BASE}/organisation", api_only(("admin", "sponsor"))),
    Operation(
        "put",
        f"{BASE}/observations/{{person_id}}",
        api_everyone(404),
        params=lambda world: {"person_id": world["leader_person"].pk},
        body=lambda world: {"month": "2026-01-01", "behaviours": [DAILY_KEY]},
        is_object=True,
    ),
    Operation("get", f"{BASE}/recognitions", LEADER_ONLY_API),
    Operation(
        "post",
        f"{BASE}/recognitions",
        api_only(("leader",), outsider=403, ok=201),
        body=lambda world: {"recognised_id": world["coachee"].pk, "behaviour": DAILY_KEY},
        restore=_undo_recognition,
    ),
]
