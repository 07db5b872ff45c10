"""Peer networks: pages and API operations for the access matrix.

The world's pair: the leader member (Lena) mentors the coachee (Colin), published. The
world's event is a past roundtable to which Lena and Colin are invited. Admins manage;
sponsors see events but no pairs; the leader sees her own pair and event; coaches and
reviewers have no peer pages (403); the outsider gets 404 on every object of ours.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from bellwether.peers.models import (
    CheckIn,
    EventInvitation,
    MatchRun,
    Pairing,
    PairStatus,
    PeerEvent,
)
from bellwether.peers.tests.factories import past_event, published_pair
from bellwether.testing.access import Operation, Page, World, api_only, everyone, only, pk_of

BASE = "/api/v1/peers"


def build(world: World) -> None:
    org = world["org"]
    world["peer_pair"] = published_pair(
        org,
        world["leader_person"],
        world["coachee"],
        on=timezone.localdate() - datetime.timedelta(days=40),
    )
    world["peer_run"] = world["peer_pair"].run
    world["peer_event"] = past_event(org, [world["leader_person"], world["coachee"]])


_event = pk_of("peer_event")
_pair = pk_of("peer_pair")
_run = pk_of("peer_run")
_event_api = pk_of("peer_event", "event_id")
_pair_api = pk_of("peer_pair", "pair_id")
_run_api = pk_of("peer_run", "run_id")


def _undo_schedule(world: World) -> None:
    PeerEvent.objects.exclude(pk=world["peer_event"].pk).delete()


def _undo_attendance(world: World) -> None:
    EventInvitation.objects.filter(event=world["peer_event"]).update(attended=False)
    PeerEvent.objects.filter(pk=world["peer_event"].pk).update(attendance_recorded=False)


def _undo_check_in(world: World) -> None:
    CheckIn.objects.filter(pairing=world["peer_pair"]).delete()


def _undo_end(world: World) -> None:
    Pairing.objects.filter(pk=world["peer_pair"].pk).update(
        status=PairStatus.ACTIVE, ended_on=None, outcome_key="", outcome_note=""
    )


def _undo_run(world: World) -> None:
    MatchRun.objects.exclude(pk=world["peer_run"].pk).delete()


VIEWERS = ("admin", "sponsor", "leader")
PAIR_VIEW = only(("admin", "leader"), outsider=404) | {"sponsor": 404}
PAIR_API = api_only(("admin", "leader"), outsider=404) | {"sponsor": 404}
MANAGE_OBJECT = only(("admin",), outsider=404)
MANAGE_OBJECT_API = api_only(("admin",), outsider=404)
LATER = (timezone.now() + datetime.timedelta(days=30)).replace(microsecond=0)

PAGES: list[Page] = [
    Page("peers:home", only(VIEWERS)),
    Page("peers:event_new", only(("admin",))),
    Page("peers:event", only(VIEWERS, outsider=404), kwargs=_event, is_object_page=True),
    Page("peers:event_ics", only(VIEWERS, outsider=404), kwargs=_event, is_object_page=True),
    Page("peers:matching", only(("admin",))),
    Page("peers:matching_run", everyone(405)),
    Page("peers:mentoring", only(VIEWERS)),
    Page("peers:pair", PAIR_VIEW, kwargs=_pair, is_object_page=True),
    *(
        Page(f"peers:{name}", everyone(405), kwargs=_event, is_object_page=True)
        for name in ("event_rsvp", "event_attendance", "event_notes")
    ),
    Page("peers:matching_publish", everyone(405), kwargs=_run, is_object_page=True),
    *(
        Page(f"peers:{name}", everyone(405), kwargs=_pair, is_object_page=True)
        for name in ("pair_check_in", "pair_end")
    ),
]

OPERATIONS: list[Operation] = [
    Operation("get", f"{BASE}/events", api_only(VIEWERS)),
    Operation(
        "post",
        f"{BASE}/events",
        # The outsider names our leader: not one of their people (400).
        api_only(("admin",), ok=201) | {"outsider": 400},
        body=lambda w: {
            "kind": "peer.summit",
            "topic": "Strategy",
            "starts_at": LATER.isoformat(),
            "ends_at": (LATER + datetime.timedelta(hours=3)).isoformat(),
            "invitee_ids": [w["leader_person"].pk],
        },
        restore=_undo_schedule,
    ),
    Operation(
        "get",
        f"{BASE}/events/{{event_id}}",
        api_only(VIEWERS, outsider=404),
        params=_event_api,
        is_object=True,
    ),
    # The event is over: the leader's answer is refused (400) and changes nothing.
    Operation(
        "post",
        f"{BASE}/events/{{event_id}}/rsvp",
        api_only((), refused=403, outsider=404) | {"admin": 400, "sponsor": 400, "leader": 400},
        params=_event_api,
        body=lambda w: {"answer": "yes"},
        is_object=True,
    ),
    Operation(
        "put",
        f"{BASE}/events/{{event_id}}/attendance",
        MANAGE_OBJECT_API,
        params=_event_api,
        body=lambda w: {"attended_ids": [w["leader_person"].pk]},
        is_object=True,
        restore=_undo_attendance,
    ),
    Operation(
        "put",
        f"{BASE}/events/{{event_id}}/notes",
        MANAGE_OBJECT_API,
        params=_event_api,
        body=lambda w: {"notes": "Shared", "takeaways": "Try it"},
        is_object=True,
    ),
    # Everyone is paired already: the run is refused with its reason (400).
    Operation(
        "post",
        f"{BASE}/matching/runs",
        api_only(("admin",), ok=400) | {"outsider": 400},
        body=lambda w: {"capacity": 2},
        restore=_undo_run,
    ),
    Operation(
        "get",
        f"{BASE}/matching/runs/{{run_id}}",
        MANAGE_OBJECT_API,
        params=_run_api,
        is_object=True,
    ),
    # The run is published already: refused (400).
    Operation(
        "post",
        f"{BASE}/matching/runs/{{run_id}}/publish",
        api_only(("admin",), outsider=404, ok=400),
        params=_run_api,
        body=lambda w: {"withdraw": []},
        is_object=True,
    ),
    Operation("get", f"{BASE}/pairs", api_only(VIEWERS)),
    Operation("get", f"{BASE}/pairs/{{pair_id}}", PAIR_API, params=_pair_api, is_object=True),
    Operation(
        "post",
        f"{BASE}/pairs/{{pair_id}}/check-ins",
        api_only(("admin", "leader"), outsider=404, ok=201) | {"sponsor": 404},
        params=_pair_api,
        body=lambda w: {
            "held_on": timezone.localdate().isoformat(),
            "answers": {"peer.check_in.tried": "Drafted a memo with AI"},
        },
        is_object=True,
        restore=_undo_check_in,
    ),
    Operation(
        "post",
        f"{BASE}/pairs/{{pair_id}}/end",
        PAIR_API,
        params=_pair_api,
        body=lambda w: {"outcome_key": "peer.outcome.goals_met"},
        is_object=True,
        restore=_undo_end,
    ),
]
