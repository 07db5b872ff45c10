"""Behaviour check-ins, consistency, observations and recognitions over the JSON API: the
twins of the pages. Each endpoint asks ``access``, then calls a service or selector."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from bellwether.accounts.models import Membership
from bellwether.behaviours import access, consistency, selectors, services
from bellwether.behaviours.models import CheckIn, Recognition
from bellwether.core.api import answers, named, paged
from bellwether.core.api_routes import paged_list
from bellwether.core.errors import DomainError
from bellwether.core.schema import (
    CursorQuery,
    Date,
    Id,
    PathId,
    QueryId,
    StrictInput,
    UtcDateTime,
)
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.people.models import Person

router = Router(tags=["behaviours"])

Key = Annotated[str, Field(max_length=80)]


class ToggleOut(Schema):
    key: str
    text: str
    frequency: str
    checked: bool


class BehaviourCheckInOut(Schema):
    person_id: int
    day: dt.date
    late: bool = Field(description="The day is before today: saving it marks it late")
    toggles: list[ToggleOut] = Field(description="The behaviours due that day")
    saved: bool
    submitted_at: UtcDateTime | None


class BehaviourCheckInIn(StrictInput):
    day: Date | None = Field(None, description="Default: today (the organisation's time zone)")
    behaviours: list[Key] = Field(max_length=15, description="Behaviour keys ticked")


class BehaviourScoreOut(Schema):
    key: str
    text: str
    frequency: str
    score: float | None = Field(description="0-100; null when no period is due yet")
    streak: int
    done_now: bool


class ObservedGroupOut(Schema):
    group: str = Field(description='"all", "peer" or "direct_report"')
    shown: bool = Field(description="False below the 360 minimum (or where it would reveal one)")
    observers: int
    seen: dict[str, int] = Field(description="behaviour key -> observers who saw it")


class ConsistencyOut(Schema):
    person_id: int
    as_of: dt.date
    overall: float
    by_frequency: dict[str, float | None]
    formula: str
    behaviours: list[BehaviourScoreOut]
    observations: list[ObservedGroupOut]
    observation_minimum: int


class ConsistencyGroupOut(Schema):
    key: str
    label: str
    leaders: int
    mean: float
    demonstrating: int
    share: float
    unit_id: int | None = Field(
        None, description="A unit row (its whole subtree): pass it as ?unit= to drill down"
    )


class OrganisationOut(Schema):
    as_of: dt.date
    unit_id: int | None = Field(description="The unit looked at (with all below it); null: all")
    threshold: float
    window_days: int
    formula: str
    overall: ConsistencyGroupOut
    by_unit: list[ConsistencyGroupOut]
    by_level: list[ConsistencyGroupOut]


class ObservationIn(StrictInput):
    month: Date = Field(description="Any day of the month observed (this month or last)")
    behaviours: list[Key] = Field(max_length=15)


class ObservationOut(Schema):
    subject_id: int
    month: dt.date
    relation: str
    behaviours: list[str]


class RecognitionIn(StrictInput):
    recognised_id: Id
    behaviour: Key
    message: str = Field("", max_length=RULES.recognition_max_length)


class RecognitionOut(Schema):
    id: int
    recognised_id: int
    recognised: str
    given_by_id: int
    given_by: str
    behaviour: str
    message: str
    created_at: UtcDateTime


def _checking_in(request: HttpRequest) -> tuple[Membership, Person, dt.date]:
    """The member asking about their own check-ins (refused unless they may check in),
    their person, and today in their organisation's time zone: what every "my" endpoint
    starts from."""
    membership = access.CHECK_IN.check(request)
    person = access.own_person(request, membership)
    return membership, person, services.today_for(membership.organisation)


def _check_in_out(person: Person, day: dt.date, today: dt.date) -> dict[str, Any]:
    row = selectors.check_in_on(person, day)
    return {
        "person_id": person.pk,
        "day": day,
        "late": day < today,
        "toggles": [
            {
                "key": t.behaviour.key,
                "text": t.behaviour.text,
                "frequency": t.behaviour.frequency,
                "checked": t.checked,
            }
            for t in selectors.due_toggles(person, day)
        ],
        "saved": row is not None,
        "submitted_at": row.submitted_at if row is not None else None,
    }


@router.get(
    "/check-in",
    **answers(
        BehaviourCheckInOut,
        "behaviours_get_check_in",
        "My check-in for a day (default today): the toggles due and what is ticked",
    ),
)
def get_check_in(request: HttpRequest, day: Date | None = None) -> dict[str, Any]:
    _membership, person, today = _checking_in(request)
    day = day or today
    services.check_day(day, today)
    return _check_in_out(person, day, today)


@router.put(
    "/check-in",
    **answers(
        BehaviourCheckInOut,
        "behaviours_put_check_in",
        "Save my check-in for a day (today, or late within the grace window)",
    ),
)
def put_check_in(request: HttpRequest, payload: BehaviourCheckInIn) -> dict[str, Any]:
    membership, person, today = _checking_in(request)
    day = payload.day or today
    services.record_check_in(
        person=person,
        day=day,
        behaviours=payload.behaviours,
        actor=membership.user,
        via=CheckIn.Via.API,
    )
    return _check_in_out(person, day, today)


def _consistency_out(person: Person, today: dt.date) -> dict[str, Any]:
    score = selectors.person_consistency(person, today)
    groups, minimum = selectors.observation_summary(person, today)
    return {
        "person_id": person.pk,
        "as_of": today,
        "overall": score.overall,
        "by_frequency": score.by_frequency,
        "formula": consistency.formula_text(),
        "behaviours": [
            {
                "key": b.behaviour.key,
                "text": b.behaviour.text,
                "frequency": b.behaviour.frequency,
                "score": b.score,
                "streak": b.streak,
                "done_now": b.done_now,
            }
            for b in score.behaviours
        ],
        "observations": [
            {"group": g.key, "shown": g.shown, "observers": g.observers, "seen": g.seen}
            for g in groups
        ],
        "observation_minimum": minimum,
    }


@router.get(
    "/consistency/me",
    **answers(
        ConsistencyOut,
        "behaviours_my_consistency",
        "My consistency per behaviour and overall, beside my 360 observations",
    ),
)
def my_consistency(request: HttpRequest) -> dict[str, Any]:
    _membership, person, today = _checking_in(request)
    return _consistency_out(person, today)


@router.get(
    "/consistency/{person_id}",
    **answers(
        ConsistencyOut,
        "behaviours_leader_consistency",
        "A leader's consistency (admins, sponsors, their coach, themselves)",
    ),
)
def leader_consistency(request: HttpRequest, person_id: PathId) -> dict[str, Any]:
    membership = access.ANY_MEMBER.check(request)
    person = access.get_leader_for(request, membership, person_id)
    return _consistency_out(person, services.today_for(membership.organisation))


def _group(row: selectors.GroupRow) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": row.label,
        "leaders": row.leaders,
        "mean": row.mean,
        "demonstrating": row.demonstrating,
        "share": row.share,
        "unit_id": row.unit_id,
    }


@router.get(
    "/organisation",
    **answers(
        OrganisationOut,
        "behaviours_organisation",
        "Consistency and the share demonstrating daily behaviours, by unit and level",
    ),
)
def organisation(request: HttpRequest, unit: QueryId | None = None) -> dict[str, Any]:
    """The organisation, or the unit ``unit`` with every unit below it; its unit rows are
    the units right below, each counting its whole subtree."""
    membership = access.VIEW_ORGANISATION.check(request)
    org = membership.organisation
    found = None
    if unit is not None:
        found = named(selectors.unit_in(org, unit), "unit", selectors.UNKNOWN_UNIT)
    view = selectors.organisation_consistency(org, services.today_for(org), unit=found)
    return {
        "as_of": view.as_of,
        "unit_id": found.pk if found is not None else None,
        "threshold": RULES.demonstrates_threshold,
        "window_days": RULES.demonstrates_window_days,
        "formula": consistency.formula_text(),
        "overall": _group(view.overall),
        "by_unit": [_group(r) for r in view.by_unit],
        "by_level": [_group(r) for r in view.by_level],
    }


@router.put(
    "/observations/{person_id}",
    **answers(
        ObservationOut,
        "behaviours_put_observation",
        "Confirm the behaviours I saw my manager or a peer show in a month",
    ),
)
def put_observation(
    request: HttpRequest, person_id: PathId, payload: ObservationIn
) -> dict[str, Any]:
    membership = access.ANY_MEMBER.check(request)
    subject = access.get_subject_for(request, membership, person_id)
    me = access.own_person(request, membership)
    row = services.record_observation(
        observer=me,
        subject=subject,
        month=payload.month,
        behaviours=payload.behaviours,
        actor=membership.user,
    )
    return {
        "subject_id": subject.pk,
        "month": row.month,
        "relation": row.relation,
        "behaviours": consistency.keys_of(row.seen),
    }


def _recognition_out(r: Any) -> dict[str, Any]:
    return {
        "id": r.pk,
        "recognised_id": r.recognised_id,
        "recognised": r.recognised.name,
        "given_by_id": r.given_by_id,
        "given_by": r.given_by.name,
        "behaviour": r.behaviour_key,
        "message": r.message,
        "created_at": r.created_at,
    }


@paged_list(
    router,
    "/recognitions",
    **paged(
        RecognitionOut,
        "behaviours_list_recognitions",
        "Recognitions I received or gave, and those of the people I manage",
    ),
    check=access.TAKE_PART.check,
    order=("-created_at", "-id"),
    scope="behaviours.recognitions",
    item=_recognition_out,
)
def list_recognitions(membership: Membership, query: CursorQuery) -> QuerySet[Recognition]:
    """Newest first, one page; the next page's cursor is in ``X-Next-Cursor``."""
    return selectors.recognitions_visible_to(membership)


@router.post(
    "/recognitions",
    **answers(
        RecognitionOut,
        "behaviours_give_recognition",
        "Recognise a colleague for one of the fifteen behaviours",
        status=201,
    ),
)
def give_recognition(request: HttpRequest, payload: RecognitionIn) -> Status:
    membership = access.TAKE_PART.check(request)
    me = access.own_person(request, membership)
    recognised = selectors.colleague(me, str(payload.recognised_id))
    if recognised is None:
        raise DomainError(
            "Choose someone in your organisation.",
            field_errors={"recognised_id": ["Not found in your organisation."]},
        )
    row = services.give_recognition(
        given_by=me,
        recognised=recognised,
        behaviour_key=payload.behaviour,
        message=payload.message,
        actor=membership.user,
    )
    return Status(201, _recognition_out(row))
