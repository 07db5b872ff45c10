"""Peer networks over the JSON API: the twins of the pages. Each endpoint parses, asks
``access``, then calls a service or selector."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from bellwether.accounts.models import Membership
from bellwether.core.api import answers, paged
from bellwether.core.api_routes import paged_list
from bellwether.core.schema import CursorQuery, Date, Id, PathId, StrictInput, UtcDateTime
from bellwether.peers import access, selectors, services
from bellwether.peers.models import EventKind, MatchRun, Pairing, PeerEvent

router = Router(tags=["peers"])

Text = Annotated[str, Field(max_length=10_000)]
Short = Annotated[str, Field(max_length=200)]
Answer = Annotated[str, Field(max_length=2000)]


# --- schemas ---------------------------------------------------------------------------------


class EventSummaryOut(Schema):
    id: int
    kind: str
    topic: str
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    location: str
    invited: int
    going: int
    attended: int | None = Field(description="null until attendance is recorded")


class InvitationOut(Schema):
    person_id: int
    name: str
    rsvp: str
    attended: bool


class EventOut(EventSummaryOut):
    agenda: str
    speakers: list[str]
    notes: str
    takeaways: str
    invitations: list[InvitationOut]


class EventIn(StrictInput):
    kind: Literal["peer.roundtable", "peer.summit"]
    topic: Short
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    location: Short = ""
    agenda: Text = ""
    speakers: Text = Field("", description="One speaker a line (external experts too)")
    invitee_ids: list[Id] = Field(max_length=2000)


class RsvpIn(StrictInput):
    answer: Literal["yes", "no", "maybe"]


class AttendanceIn(StrictInput):
    attended_ids: list[Id] = Field(max_length=2000, description="Everyone who came")


class NotesIn(StrictInput):
    notes: Text = ""
    takeaways: Text = ""


class PairOut(Schema):
    id: int
    run_id: int
    mentor_id: int
    mentor_name: str
    mentee_id: int
    mentee_name: str
    status: str
    score: float
    reasons: list[str]
    mentor_band: str
    mentee_band: str
    started_on: Date | None
    ended_on: Date | None
    outcome_key: str


class PairCheckInOut(Schema):
    id: int
    held_on: Date
    answers: dict[str, str]


class PairDetailOut(PairOut):
    outcome_note: str
    check_ins: list[PairCheckInOut]


class RunOut(Schema):
    id: int
    status: str
    capacity: int
    mentors: int
    mentees: int
    total_score: float
    created_at: UtcDateTime
    published_at: UtcDateTime | None
    proposals: list[PairOut]


class RunIn(StrictInput):
    capacity: int | None = Field(None, ge=1, le=100)


class PublishIn(StrictInput):
    withdraw: list[Id] = Field(default_factory=list, max_length=5000)


class PairCheckInIn(StrictInput):
    held_on: Date
    answers: dict[Annotated[str, Field(max_length=80)], Answer] = Field(max_length=10)


class EndIn(StrictInput):
    outcome_key: Annotated[str, Field(max_length=60)]
    note: Answer = ""
    ended_on: Date | None = None


# --- shaping ---------------------------------------------------------------------------------


def _on_managed_event(
    request: HttpRequest, event_id: int, change: Callable[[PeerEvent, Membership], object]
) -> dict[str, Any]:
    """Run a service on an event the member manages; answer the event as it now stands,
    with its invitations."""
    membership = access.MANAGE.check(request)
    event = access.get_managed_event_for(request, membership, event_id)
    change(event, membership)
    return _event_out(event, detail=True)


def _event_out(event: PeerEvent, *, detail: bool = False) -> dict[str, Any]:
    rows = list(selectors.invitations(event)) if detail else []
    out: dict[str, Any] = {
        "id": event.pk,
        "kind": event.kind,
        "topic": event.topic,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "location": event.location,
    }
    if detail:
        out |= {
            "invited": len(rows),
            "going": sum(r.rsvp == "yes" for r in rows),
            "attended": sum(r.attended for r in rows) if event.attendance_recorded else None,
            "agenda": event.agenda,
            "speakers": event.speaker_lines(),
            "notes": event.notes,
            "takeaways": event.takeaways,
            "invitations": [
                {
                    "person_id": r.person_id,
                    "name": r.person.name,
                    "rsvp": r.rsvp,
                    "attended": r.attended,
                }
                for r in rows
            ],
        }
    else:
        counted: Any = event
        out |= {
            "invited": counted.invited,
            "going": counted.going,
            "attended": counted.came if event.attendance_recorded else None,
        }
    return out


def _pair_out(pair: Pairing) -> dict[str, Any]:
    return {
        "id": pair.pk,
        "run_id": pair.run_id,
        "mentor_id": pair.mentor_id,
        "mentor_name": pair.mentor.name,
        "mentee_id": pair.mentee_id,
        "mentee_name": pair.mentee.name,
        "status": pair.status,
        "score": pair.score,
        "reasons": list(pair.reasons),
        "mentor_band": selectors.band_name(pair.mentor_band_key),
        "mentee_band": selectors.band_name(pair.mentee_band_key),
        "started_on": pair.started_on,
        "ended_on": pair.ended_on,
        "outcome_key": pair.outcome_key,
    }


def _pair_detail(pair: Pairing) -> dict[str, Any]:
    return _pair_out(pair) | {
        "outcome_note": pair.outcome_note,
        "check_ins": [
            {"id": c.pk, "held_on": c.held_on, "answers": c.answers}
            for c in selectors.check_ins(pair)
        ],
    }


def _run_out(run: MatchRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "status": run.status,
        "capacity": run.capacity,
        "mentors": run.mentors,
        "mentees": run.mentees,
        "total_score": run.total_score,
        "created_at": run.created_at,
        "published_at": run.published_at,
        "proposals": [_pair_out(p) for p in selectors.proposals(run)],
    }


# --- events ----------------------------------------------------------------------------------


@paged_list(
    router,
    "/events",
    **paged(
        EventSummaryOut,
        "peers_list_events",
        "Roundtables and summits the member may see, latest first",
    ),
    check=access.VIEW.check,
    order=("-starts_at", "-id"),
    scope="peers.events",
    item=_event_out,
)
def list_events(membership: Membership, query: CursorQuery) -> QuerySet[PeerEvent]:
    return selectors.events_for(membership)


@router.post(
    "/events",
    **answers(
        EventOut,
        "peers_schedule_event",
        "Schedule a roundtable or summit and invite people",
        status=201,
    ),
)
def schedule_event(request: HttpRequest, payload: EventIn) -> Status:
    membership = access.MANAGE.check(request)
    assert payload.kind in EventKind.values
    event = services.schedule_event(
        organisation=membership.organisation,
        actor=membership.user,
        kind=payload.kind,
        topic=payload.topic,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        location=payload.location,
        agenda=payload.agenda,
        speakers=payload.speakers,
        invitee_ids=payload.invitee_ids,
    )
    return Status(201, _event_out(event, detail=True))


@router.get(
    "/events/{event_id}",
    **answers(
        EventOut, "peers_get_event", "An event with its invitations, RSVPs, attendance and notes"
    ),
)
def get_event(request: HttpRequest, event_id: PathId) -> dict[str, Any]:
    membership = access.VIEW.check(request)
    return _event_out(access.get_event_for(request, membership, event_id), detail=True)


@router.post(
    "/events/{event_id}/rsvp",
    **answers(EventOut, "peers_rsvp", "Answer my invitation (yes, no, maybe)"),
)
def rsvp(request: HttpRequest, event_id: PathId, payload: RsvpIn) -> dict[str, Any]:
    membership = access.VIEW.check(request)
    event = access.get_event_for(request, membership, event_id)
    services.answer_invitation(
        event=event,
        person_id=access.own_person_id(membership),
        answer=payload.answer,
        actor=membership.user,
    )
    return _event_out(event, detail=True)


@router.put(
    "/events/{event_id}/attendance",
    **answers(EventOut, "peers_record_attendance", "Record who attended (the whole list)"),
)
def attendance(request: HttpRequest, event_id: PathId, payload: AttendanceIn) -> dict[str, Any]:
    return _on_managed_event(
        request,
        event_id,
        lambda event, membership: services.record_attendance(
            event=event, attended_ids=payload.attended_ids, actor=membership.user
        ),
    )


@router.put(
    "/events/{event_id}/notes",
    **answers(EventOut, "peers_record_notes", "Share the notes and takeaways"),
)
def notes(request: HttpRequest, event_id: PathId, payload: NotesIn) -> dict[str, Any]:
    return _on_managed_event(
        request,
        event_id,
        lambda event, membership: services.record_notes(
            event=event, notes=payload.notes, takeaways=payload.takeaways, actor=membership.user
        ),
    )


# --- mentorship ------------------------------------------------------------------------------


@router.post(
    "/matching/runs",
    **answers(
        RunOut,
        "peers_run_matching",
        "Run mentorship matching (proposals, private to admins until published)",
        status=201,
    ),
)
def run_matching(request: HttpRequest, payload: RunIn) -> Status:
    membership = access.MANAGE.check(request)
    run = services.run_matching(
        organisation=membership.organisation, actor=membership.user, capacity=payload.capacity
    )
    return Status(201, _run_out(run))


@router.get(
    "/matching/runs/{run_id}",
    **answers(RunOut, "peers_get_run", "A match run and its proposals with their reasons"),
)
def get_run(request: HttpRequest, run_id: PathId) -> dict[str, Any]:
    membership = access.MANAGE.check(request)
    return _run_out(access.get_run_for(request, membership, run_id))


@router.post(
    "/matching/runs/{run_id}/publish",
    **answers(
        RunOut,
        "peers_publish_run",
        "Publish a run's proposals (less those withdrawn); both people are told",
    ),
)
def publish_run(request: HttpRequest, run_id: PathId, payload: PublishIn) -> dict[str, Any]:
    membership = access.MANAGE.check(request)
    run = access.get_run_for(request, membership, run_id)
    services.publish_run(run=run, actor=membership.user, withdraw=payload.withdraw)
    run.refresh_from_db()
    return _run_out(run)


@paged_list(
    router,
    "/pairs",
    **paged(
        PairOut,
        "peers_list_pairs",
        "Published mentoring pairs the member may see (own, or all for admins)",
    ),
    check=access.VIEW.check,
    order=("status", "mentor__name", "mentee__name", "id"),
    scope="peers.pairs",
    item=_pair_out,
)
def list_pairs(membership: Membership, query: CursorQuery) -> QuerySet[Pairing]:
    return selectors.pairs_for(membership)


@router.get(
    "/pairs/{pair_id}",
    **answers(PairDetailOut, "peers_get_pair", "A pair with its check-ins"),
)
def get_pair(request: HttpRequest, pair_id: PathId) -> dict[str, Any]:
    membership = access.VIEW.check(request)
    return _pair_detail(access.get_pair_for(request, membership, pair_id))


@router.post(
    "/pairs/{pair_id}/check-ins",
    **answers(PairDetailOut, "peers_record_check_in", "Record a check-in", status=201),
)
def check_in(request: HttpRequest, pair_id: PathId, payload: PairCheckInIn) -> Status:
    membership = access.VIEW.check(request)
    pair = access.get_pair_for(request, membership, pair_id, edit=True)
    services.record_check_in(
        pairing=pair, actor=membership.user, held_on=payload.held_on, answers=payload.answers
    )
    return Status(201, _pair_detail(pair))


@router.post(
    "/pairs/{pair_id}/end",
    **answers(PairDetailOut, "peers_end_pair", "End a pairing with its outcome"),
)
def end_pair(request: HttpRequest, pair_id: PathId, payload: EndIn) -> dict[str, Any]:
    membership = access.VIEW.check(request)
    pair = access.get_pair_for(request, membership, pair_id, edit=True)
    services.end_pairing(
        pairing=pair,
        actor=membership.user,
        outcome_key=payload.outcome_key,
        note=payload.note,
        ended_on=payload.ended_on,
    )
    return _pair_detail(pair)
