"""Communications over the JSON API, the twins of the pages: a leader's plan and slots,
editing the plan, logging a delivery (or one tap), the organisation's rhythm."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from bellwether.communications import access, api_ratings, selectors, services
from bellwether.communications.models import (
    CommunicationPlan,
    Delivery,
)
from bellwether.core.api import answers
from bellwether.core.errors import DomainError
from bellwether.core.schema import (
    Date,
    PathId,
    QueryId,
    QueryInput,
    StrictInput,
    UtcDateTime,
)
from bellwether.people.models import Person

router = Router(tags=["communications"])

Key = Annotated[str, Field(max_length=120)]
Text = Annotated[str, Field(max_length=services.MAX_TEXT)]


class SlotOut(Schema):
    cadence_key: str
    frequency: str
    start: dt.date
    end: dt.date
    due: dt.date
    status: str = Field(description='"delivered", "overdue", "due" or "upcoming"')


class CommunicationPlanOut(Schema):
    objective: str
    primary_message: str
    supporting: dict[str, str]
    audiences: dict[str, str]
    channels: list[str]
    calendar: dict[str, list[str]]
    cadence_keys: list[str]
    revision: int


class DeliveryOut(Schema):
    id: int
    cadence_key: str
    slot_start: dt.date | None
    delivered_at: dt.datetime
    delivered_on: dt.date
    channel: str
    audiences: list[str]
    messages: list[str]
    title: str
    link: str
    logged_by_label: str = Field(description="Who logged it (sign-in name)")
    by_assistant: bool = Field(description="Logged by the leader's assistant on their behalf")


class LeaderOut(Schema):
    person_id: int
    name: str
    level: str
    plan: CommunicationPlanOut | None
    slots: list[SlotOut]
    deliveries: list[DeliveryOut]


class CommunicationPlanIn(StrictInput):
    objective: Text = ""
    primary_message: Text = ""
    supporting: dict[Key, Text] = {}
    audiences: dict[Key, Text]
    channels: list[Key] = Field(default_factory=list, max_length=20)
    calendar: dict[Key, list[Annotated[str, Field(max_length=200)]]] | None = None


class DeliveryIn(StrictInput):
    delivered_at: UtcDateTime
    channel: Key
    audiences: list[Key] = Field(max_length=10)
    messages: list[Key] = Field(default_factory=list, max_length=10)
    cadence_key: Key = ""
    title: Annotated[str, Field(max_length=200)] = ""
    notes: Text = ""
    link: Annotated[str, Field(max_length=500)] = ""


class TapIn(StrictInput):
    cadence_key: Key


class RhythmFilters(QueryInput):
    start: Date | None = None
    end: Date | None = None
    level: str = ""
    unit: QueryId | None = None


class RhythmRowOut(Schema):
    person_id: int
    name: str
    level: str
    unit: str
    delivered: int
    expected: int
    overdue: int


def _plan_out(plan: CommunicationPlan | None) -> dict[str, Any] | None:
    if plan is None:
        return None
    return {
        f: getattr(plan, f)
        for f in (
            "objective",
            "primary_message",
            "supporting",
            "audiences",
            "channels",
            "calendar",
            "cadence_keys",
            "revision",
        )
    }


def _leader_out(person: Person) -> dict[str, Any]:
    today = selectors.today_in(person.organisation)
    slots = selectors.leader_slots(
        person, today - dt.timedelta(days=35), today + dt.timedelta(days=14), today=today
    )
    return {
        "person_id": person.pk,
        "name": person.name,
        "level": person.leader_level,
        "plan": _plan_out(selectors.plan_of(person)),
        "slots": [
            {
                "cadence_key": s.cadence_key,
                "frequency": s.slot.frequency,
                "start": s.slot.start,
                "end": s.slot.end,
                "due": s.slot.due,
                "status": s.status,
            }
            for s in slots
        ],
        "deliveries": selectors.deliveries_of(person),
    }


_leader = access.leader_for_api


@router.get(
    "/leaders/{person_id}",
    **answers(
        LeaderOut,
        "communications_get_leader",
        "A leader's plan, slots (five weeks back, two ahead) and recent deliveries",
    ),
)
def get_leader(request: HttpRequest, person_id: PathId) -> dict[str, Any]:
    return _leader_out(_leader(request, person_id))


@router.put(
    "/leaders/{person_id}/plan",
    **answers(
        CommunicationPlanOut,
        "communications_put_plan",
        "Save a leader's communication plan (generated first if there is none)",
    ),
)
def put_plan(
    request: HttpRequest, person_id: PathId, payload: CommunicationPlanIn
) -> dict[str, Any] | None:
    person = _leader(request, person_id, edit=True)
    actor = access.HOME.check(request).user
    plan = selectors.plan_of(person) or services.generate_plan(person=person, actor=actor)
    services.update_plan(plan=plan, actor=actor, **payload.model_dump())
    return _plan_out(plan)


@router.post(
    "/leaders/{person_id}/deliveries",
    **answers(
        DeliveryOut,
        "communications_log_delivery",
        "Log a delivery (not in the future; channel, audiences and messages from the catalogue)",
        status=201,
    ),
)
def log_delivery(request: HttpRequest, person_id: PathId, payload: DeliveryIn) -> Status:
    person = _leader(request, person_id, log=True)
    membership = access.HOME.check(request)
    delivery = services.log_delivery(
        person=person,
        actor=membership.user,
        by_assistant=access.logs_as_assistant(membership, person),
        **payload.model_dump(),
    )
    return Status(201, delivery)


@router.post(
    "/leaders/{person_id}/tap",
    **answers(
        DeliveryOut, "communications_tap", "One tap: the current daily or weekly slot delivered now"
    ),
)
def tap(request: HttpRequest, person_id: PathId, payload: TapIn) -> Delivery:
    person = _leader(request, person_id, log=True)
    membership = access.HOME.check(request)
    return services.tap_delivered(
        person=person,
        actor=membership.user,
        cadence_key=payload.cadence_key,
        by_assistant=access.logs_as_assistant(membership, person),
    )


@router.get(
    "/rhythm",
    **answers(
        list[RhythmRowOut],
        "communications_rhythm",
        "Who is on rhythm: slots delivered, expected and overdue per leader",
    ),
)
def rhythm(request: HttpRequest, filters: Query[RhythmFilters]) -> list[dict[str, Any]]:
    membership = access.VIEW_ORG.check(request)
    organisation = membership.organisation
    today = selectors.today_in(organisation)
    start = filters.start or today.replace(month=1, day=1)
    end = filters.end or today
    rows = selectors.organisation_rhythm(
        organisation, start=start, end=end, level=filters.level, unit_id=filters.unit
    )
    return [
        {
            "person_id": r.person.pk,
            "name": r.person.name,
            "level": r.person.leader_level,
            "unit": r.person.org_unit.name if r.person.org_unit else "",
            "delivered": r.delivered,
            "expected": r.expected,
            "overdue": r.overdue,
        }
        for r in rows
    ]


class CalendarFilters(QueryInput):
    start: Date | None = Field(default=None, description="Default: the month's first day")
    end: Date | None = Field(default=None, description="Default: the month's last day")
    level: str = ""
    unit: QueryId | None = None


class DayOut(Schema):
    day: dt.date
    delivered: int
    overdue: int
    planned: int


MAX_CALENDAR_DAYS = 92


@router.get(
    "/calendar",
    **answers(
        list[DayOut],
        "communications_calendar",
        "The organisation's slots per due day (delivered, overdue, planned), up to 92 days",
    ),
)
def calendar(request: HttpRequest, filters: Query[CalendarFilters]) -> list[dict[str, Any]]:
    membership = access.VIEW_ORG.check(request)
    first = selectors.today_in(membership.organisation).replace(day=1)
    start = filters.start or first
    end = filters.end or (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    if not 0 <= (end - start).days < MAX_CALENDAR_DAYS:
        raise DomainError(
            f"Give a start on or before the end, at most {MAX_CALENDAR_DAYS} days apart.",
            field_errors={"end": ["Too far from the start."]},
        )
    counts = selectors.organisation_day_counts(
        membership.organisation,
        start,
        end,
        level=filters.level,
        unit_id=filters.unit,
    )
    return [
        {"day": day, "delivered": c.delivered, "overdue": c.overdue, "planned": c.planned}
        for day, c in sorted(counts.items())
    ]


# Ratings, assistants, attachments and quarterly measures: their own module, one router.
router.add_router("", api_ratings.router)
