"""Coaching over the JSON API: the twins of the assignment screen, the admin overview
(counts and dates only), programmes, sessions and the pre-session form."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema

from bellwether.accounts.models import Membership
from bellwether.coaching import access, selectors, services
from bellwether.coaching.models import ActionItem, AssignmentRecord, Session
from bellwether.core.api import answers, paged
from bellwether.core.api_routes import paged_list
from bellwether.core.schema import CursorQuery, Date, Id, PathId, StrictInput
from bellwether.framework.catalogue import CATALOGUE

router = Router(tags=["coaching"])

Text = Annotated[str, Field(max_length=300)]
Key = Annotated[str, Field(max_length=80)]
Rating = Annotated[int, Field(ge=1, le=CATALOGUE.coaching.metric_scale)]


class AssignmentOut(Schema):
    id: int
    person_id: int
    person_name: str
    membership_id: int
    email: str
    kind: str
    started_at: dt.datetime


class AssignIn(StrictInput):
    membership_id: Id
    person_ids: list[Id] = Field(min_length=1, max_length=500)
    kind: Literal["coachee", "reviewee"] = "coachee"


class AssignOut(Schema):
    changed: int


class ProgrammeRowOut(Schema):
    id: int
    person_id: int
    person_name: str
    coach_email: str
    start_date: dt.date
    week: int
    phase: str
    sessions_held: int
    last_session: dt.date | None
    next_session: dt.date | None
    open_items: int
    off_track: bool
    off_track_reasons: list[str]


class SessionDateOut(Schema):
    id: int
    number: int
    date: dt.date


class ActionItemOut(Schema):
    id: int
    text: str
    status: str
    carries: int
    raised_in: int


class SessionOut(Schema):
    id: int
    number: int
    date: dt.date
    pre_session: dict[str, str]
    focus_areas: list[str]
    notes: str
    notes_shared: bool
    next_session_goals: list[str]
    metrics: dict[str, int]
    carried_items: list[ActionItemOut]
    new_items: list[ActionItemOut]


class SessionIn(StrictInput):
    date: Date


class RecordIn(StrictInput):
    focus_areas: list[Key] = Field(default_factory=list, max_length=10)
    notes: str = Field(default="", max_length=20000)
    notes_shared: bool = False
    next_session_goals: list[Text] = Field(default_factory=list, max_length=10)
    metrics: dict[Key, Rating] = Field(default_factory=dict, max_length=10)
    new_items: list[Text] = Field(default_factory=list, max_length=10)


class PreSessionIn(StrictInput):
    answers: dict[Key, Annotated[str, Field(max_length=4000)]] = Field(max_length=10)


def _row(row: selectors.ProgrammeRow) -> ProgrammeRowOut:
    p = row.programme
    return ProgrammeRowOut(
        id=p.pk,
        person_id=p.person_id,
        person_name=p.person.name,
        coach_email=p.coach.user.email,
        start_date=p.start_date,
        week=row.week,
        phase=row.phase_name,
        sessions_held=row.sessions_held,
        last_session=row.last_session,
        next_session=row.next_session,
        open_items=row.open_items,
        off_track=bool(row.off_track),
        off_track_reasons=row.off_track.reasons,
    )


def _assignment(record: AssignmentRecord) -> AssignmentOut:
    return AssignmentOut(
        id=record.pk,
        person_id=record.person_id,
        person_name=record.person.name,
        membership_id=record.membership_id,
        email=record.membership.user.email,
        kind=record.kind,
        started_at=record.started_at,
    )


def _session(session: Session) -> SessionOut:
    carried, raised = selectors.items_in_session(session)

    def items(rows: list[ActionItem]) -> list[ActionItemOut]:
        return [
            ActionItemOut(
                id=i.pk,
                text=i.text,
                status=i.status,
                carries=i.carries,
                raised_in=i.raised_in.number,
            )
            for i in rows
        ]

    return SessionOut(
        id=session.pk,
        number=session.number,
        date=session.date,
        pre_session=session.pre_session,
        focus_areas=session.focus_areas,
        notes=session.notes,
        notes_shared=session.notes_shared,
        next_session_goals=session.next_session_goals,
        metrics=session.metrics,
        carried_items=items(carried),
        new_items=items(raised),
    )


@paged_list(
    router,
    "/assignments",
    **paged(
        AssignmentOut,
        "coaching_list_assignments",
        "Open coach and reviewer assignments",
    ),
    check=access.MANAGE_ASSIGNMENTS.check,
    order=("person__name", "kind", "id"),
    scope="coaching.assignments",
    item=_assignment,
)
def list_assignments(membership: Membership, query: CursorQuery) -> QuerySet[AssignmentRecord]:
    return selectors.open_assignments(membership.organisation)


@router.post(
    "/assignments",
    **answers(AssignOut, "coaching_assign", "Assign people to a coach or a reviewer"),
)
def assign(request: HttpRequest, payload: AssignIn) -> AssignOut:
    membership = access.MANAGE_ASSIGNMENTS.check(request)
    organisation = membership.organisation
    member = access.get_assignee_for(request, membership, payload.membership_id)
    people = access.get_people_for(request, membership, payload.person_ids)
    changed = services.assign(
        organisation=organisation,
        actor=membership,
        membership=member,
        people=people,
        kind=payload.kind,
    )
    return AssignOut(changed=changed)


@router.get(
    "/overview",
    **answers(
        list[ProgrammeRowOut],
        "coaching_overview",
        "Every programme's counts and dates (never session content)",
    ),
)
def overview(request: HttpRequest) -> list[ProgrammeRowOut]:
    """Every programme's counts and dates (never session content)."""
    membership = access.VIEW_OVERVIEW.check(request)
    rows = selectors.programmes_of_organisation(membership.organisation, timezone.localdate())
    return [_row(r) for r in rows]


@router.get(
    "/programmes",
    **answers(
        list[ProgrammeRowOut], "coaching_list_programmes", "The coach's coachees' programmes"
    ),
)
def list_programmes(request: HttpRequest) -> list[ProgrammeRowOut]:
    """The coach's coachees' programmes."""
    membership = access.VIEW_HOME.check(request)
    return [_row(r) for r in selectors.programmes_of_coach(membership, timezone.localdate())]


@router.get(
    "/programmes/{programme_id}/sessions",
    **answers(list[SessionDateOut], "coaching_list_sessions", "A programme's sessions by date"),
)
def list_sessions(request: HttpRequest, programme_id: PathId) -> list[Session]:
    membership = access.VIEW_HOME.check(request)
    programme = access.get_programme_for(request, membership, programme_id)
    return list(selectors.sessions_of(programme))


@router.post(
    "/programmes/{programme_id}/sessions",
    **answers(SessionOut, "coaching_add_session", "Schedule a programme's next session"),
)
def add_session(request: HttpRequest, programme_id: PathId, payload: SessionIn) -> SessionOut:
    membership = access.VIEW_HOME.check(request)
    programme = access.get_programme_for(request, membership, programme_id, edit=True)
    session = services.add_session(actor=membership, programme=programme, date=payload.date)
    return _session(session)


@router.get(
    "/sessions/{session_id}",
    **answers(SessionOut, "coaching_get_session", "A session with its carried and new items"),
)
def get_session(request: HttpRequest, session_id: PathId) -> SessionOut:
    membership = access.VIEW_HOME.check(request)
    return _session(access.get_session_for(request, membership, session_id))


@router.put(
    "/sessions/{session_id}",
    **answers(
        SessionOut, "coaching_record_session", "Record a session's notes, goals, metrics and items"
    ),
)
def record_session(request: HttpRequest, session_id: PathId, payload: RecordIn) -> SessionOut:
    membership = access.VIEW_HOME.check(request)
    session = access.get_session_for(request, membership, session_id, edit=True)
    services.record_session(actor=membership, session=session, **payload.model_dump())
    return _session(session)


@router.post(
    "/sessions/{session_id}/pre-session",
    **answers(SessionOut, "coaching_pre_session", "Answer the pre-session questions"),
)
def pre_session(request: HttpRequest, session_id: PathId, payload: PreSessionIn) -> SessionOut:
    membership = access.VIEW_HOME.check(request)
    session = access.get_session_for(request, membership, session_id, prepare=True)
    services.submit_pre_session(actor=membership, session=session, answers=payload.answers)
    return _session(session)
