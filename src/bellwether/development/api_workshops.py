"""The visioning workshops over the JSON API: the twins of the workshop pages (list, one
workshop and its outcomes, the agenda, attendance, the vision, agreed metrics, resource
commitments, leaders' commitments). Mounted under the development router."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Annotated

from django.http import HttpRequest
from ninja import Field, Router, Schema

from bellwether.accounts.models import User
from bellwether.core.api import answers
from bellwether.core.schema import ERRORS, Date, Id, PathId, StrictInput, UtcDateTime
from bellwether.development import access, selectors, services
from bellwether.development.models import ResourceCommitment, VisionStatement, Workshop

router = Router(tags=["development"])


class VisionWorkshopOut(Schema):
    id: int
    session_key: str
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    location: str
    link: str
    facilitator: str
    invited: int
    attended: int


class VisionStatementOut(Schema):
    id: int
    version: int
    text: str
    adopted_at: UtcDateTime | None


# --- a workshop's outcomes (admins) -----------------------------------------------------------


class WorkshopAgendaLineOut(Schema):
    title: str
    minutes: int


class WorkshopAgendaLineIn(StrictInput):
    title: Annotated[str, Field(max_length=200)]
    minutes: Annotated[int, Field(ge=0, le=10_000)]


class WorkshopAgendaIn(StrictInput):
    agenda: Annotated[list[WorkshopAgendaLineIn], Field(max_length=100)]


class WorkshopAttendeeOut(Schema):
    person_id: int
    name: str
    attended: bool | None


class VisionMetricOut(Schema):
    id: int
    kpi_key: str
    target: str
    due: datetime.date | None


class ResourceCommitmentOut(Schema):
    id: int
    description: str
    amount: str | None
    owner_id: int
    due: datetime.date
    allocated_on: datetime.date | None


class LeaderCommitmentOut(Schema):
    id: int
    person_id: int
    text: str
    due: datetime.date | None
    plan_item_id: int | None


class VisionWorkshopDetailOut(Schema):
    id: int
    session_key: str
    session_name: str
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    held_at: UtcDateTime | None
    agenda: list[WorkshopAgendaLineOut]
    attendance: list[WorkshopAttendeeOut]
    statements: list[VisionStatementOut]
    metrics: list[VisionMetricOut]
    resources: list[ResourceCommitmentOut]
    commitments: list[LeaderCommitmentOut]
    open_actions: int


class WorkshopAttendanceIn(StrictInput):
    attended: Annotated[list[Id], Field(max_length=1000)]


class VisionProposalIn(StrictInput):
    text: Annotated[str, Field(max_length=4000)]


class VisionMetricIn(StrictInput):
    kpi_key: Annotated[str, Field(max_length=80)]
    target: Annotated[str, Field(max_length=200)]
    due: Date | None = None


class ResourceCommitmentIn(StrictInput):
    description: Annotated[str, Field(max_length=300)]
    amount: Annotated[float, Field(ge=0, lt=1e12)] | None = None
    owner_id: Id
    due: Date


class ResourceAllocatedIn(StrictInput):
    allocated_on: Date


class LeaderCommitmentIn(StrictInput):
    person_id: Id
    text: Annotated[str, Field(max_length=300)]
    due: Date | None = None


def _statement(s: VisionStatement) -> VisionStatementOut:
    return VisionStatementOut(id=s.pk, version=s.version, text=s.text, adopted_at=s.adopted_at)


def _resource(r: ResourceCommitment) -> ResourceCommitmentOut:
    return ResourceCommitmentOut(
        id=r.pk,
        description=r.description,
        amount=None if r.amount is None else str(r.amount),
        owner_id=r.owner_id,
        due=r.due,
        allocated_on=r.allocated_on,
    )


def _workshop_out(workshop: Workshop) -> VisionWorkshopDetailOut:
    workshop.refresh_from_db()
    view = selectors.workshop_view(workshop)
    return VisionWorkshopDetailOut(
        id=workshop.pk,
        session_key=workshop.session_key,
        session_name=view.session_name,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        held_at=workshop.held_at,
        agenda=[
            WorkshopAgendaLineOut(title=a["title"], minutes=a["minutes"]) for a in workshop.agenda
        ],
        attendance=[
            WorkshopAttendeeOut(person_id=i.person_id, name=i.person.name, attended=i.attended)
            for i in view.invites
        ],
        statements=[_statement(s) for s in view.statements],
        metrics=[
            VisionMetricOut(id=m.pk, kpi_key=m.kpi_key, target=m.target, due=m.due)
            for m in view.metrics
        ],
        resources=[_resource(r) for r in view.resources],
        commitments=[
            LeaderCommitmentOut(
                id=c.pk, person_id=c.person_id, text=c.text, due=c.due, plan_item_id=c.plan_item_id
            )
            for c in view.commitments
        ],
        open_actions=view.open_actions,
    )


def _managed(request: HttpRequest, workshop_id: int) -> tuple[Workshop, User]:
    membership = access.MANAGE_WORKSHOPS.check(request)
    found = access.get_workshop_row_for(request, membership, Workshop.objects.all(), workshop_id)
    return found, membership.user


def _change(
    request: HttpRequest, workshop_id: int, write: Callable[..., object], **fields: object
) -> VisionWorkshopDetailOut:
    """An admin's change to a workshop (``write``, a service taking the workshop and the
    actor); the workshop as it now stands."""
    found, user = _managed(request, workshop_id)
    write(workshop=found, actor=user, **fields)
    return _workshop_out(found)


@router.get(
    "/workshops/{workshop_id}",
    **answers(VisionWorkshopDetailOut, "get_vision_workshop", "A workshop and its outcomes"),
)
def workshop(request: HttpRequest, workshop_id: PathId) -> VisionWorkshopDetailOut:
    membership = access.VIEW_WORKSHOPS.check(request)
    found = access.get_workshop_row_for(request, membership, Workshop.objects.all(), workshop_id)
    return _workshop_out(found)


@router.put(
    "/workshops/{workshop_id}/agenda",
    **answers(VisionWorkshopDetailOut, "edit_workshop_agenda", "Replace a workshop's agenda"),
)
def edit_agenda(
    request: HttpRequest, workshop_id: PathId, payload: WorkshopAgendaIn
) -> VisionWorkshopDetailOut:
    """Lines of a title and minutes (5 to 480 each, at most 20 lines)."""
    return _change(
        request,
        workshop_id,
        services.edit_agenda,
        agenda=[line.model_dump() for line in payload.agenda],
    )


@router.post(
    "/workshops/{workshop_id}/attendance",
    **answers(VisionWorkshopDetailOut, "record_workshop_attendance", "Record who came"),
)
def attendance(
    request: HttpRequest, workshop_id: PathId, payload: WorkshopAttendanceIn
) -> VisionWorkshopDetailOut:
    """The invited leaders listed came, the other invited leaders did not."""
    return _change(request, workshop_id, services.record_attendance, attended=payload.attended)


@router.post(
    "/workshops/{workshop_id}/vision",
    **answers(VisionStatementOut, "propose_vision", "Propose a new version of the vision"),
)
def propose(
    request: HttpRequest, workshop_id: PathId, payload: VisionProposalIn
) -> VisionStatementOut:
    found, user = _managed(request, workshop_id)
    made = services.propose_vision(
        organisation=found.organisation,
        actor=user,
        text=payload.text,
        workshop=found,
    )
    return _statement(made)


@router.post(
    "/vision/{statement_id}/adopt",
    **answers(VisionStatementOut, "adopt_vision", "Adopt a version of the vision"),
)
def adopt(request: HttpRequest, statement_id: PathId) -> VisionStatementOut:
    membership = access.MANAGE_WORKSHOPS.check(request)
    statement = access.get_workshop_row_for(
        request, membership, VisionStatement.objects.all(), statement_id
    )
    return _statement(services.adopt_vision(statement=statement, actor=membership.user))


@router.post(
    "/workshops/{workshop_id}/metrics",
    **answers(VisionWorkshopDetailOut, "add_vision_metric", "Add an agreed success metric"),
)
def add_metric(
    request: HttpRequest, workshop_id: PathId, payload: VisionMetricIn
) -> VisionWorkshopDetailOut:
    """``kpi_key`` is a KPI of the framework; the metric becomes a KPI target."""
    return _change(request, workshop_id, services.add_metric, **payload.model_dump())


@router.post(
    "/workshops/{workshop_id}/resources",
    **answers(VisionWorkshopDetailOut, "add_resource_commitment", "Commit investment or resources"),
)
def add_resource(
    request: HttpRequest, workshop_id: PathId, payload: ResourceCommitmentIn
) -> VisionWorkshopDetailOut:
    return _change(
        request,
        workshop_id,
        services.add_resource,
        **payload.model_dump(exclude={"amount"}),
        amount=None if payload.amount is None else str(payload.amount),
    )


@router.post(
    "/resources/{resource_id}/allocated",
    **answers(ResourceCommitmentOut, "mark_resource_allocated", "Mark resources allocated"),
)
def allocated(
    request: HttpRequest, resource_id: PathId, payload: ResourceAllocatedIn
) -> ResourceCommitmentOut:
    membership = access.MANAGE_WORKSHOPS.check(request)
    row = access.get_workshop_row_for(
        request, membership, selectors.resource_commitments(membership.organisation), resource_id
    )
    services.mark_allocated(
        commitment=row, actor=membership.user, allocated_on=payload.allocated_on
    )
    return _resource(row)


@router.post(
    "/workshops/{workshop_id}/commitments",
    **answers(VisionWorkshopDetailOut, "add_leader_commitment", "Record a leader's commitment"),
)
def add_commitment(
    request: HttpRequest, workshop_id: PathId, payload: LeaderCommitmentIn
) -> VisionWorkshopDetailOut:
    """On the leader's open plan it becomes a plan item; otherwise an action they own."""
    return _change(request, workshop_id, services.add_commitment, **payload.model_dump())


@router.get(
    "/workshops",
    response={200: list[VisionWorkshopOut], **ERRORS},
    operation_id="bellwether_development_api_workshops",  # its id before the move here
)
def workshops(request: HttpRequest) -> list[VisionWorkshopOut]:
    membership = access.VIEW_WORKSHOPS.check(request)
    return [
        VisionWorkshopOut(
            id=w.pk,
            session_key=w.session_key,
            starts_at=w.starts_at,
            ends_at=w.ends_at,
            location=w.location,
            link=w.link,
            facilitator=w.facilitator,
            invited=w.invited,  # type: ignore[attr-defined]
            attended=w.attended_count,  # type: ignore[attr-defined]
        )
        for w in selectors.workshops_for(membership.organisation)
    ]


@router.get(
    "/vision",
    response={200: VisionStatementOut | None, **ERRORS},
    operation_id="bellwether_development_api_vision",  # its id before the move here
)
def vision(request: HttpRequest) -> VisionStatementOut | None:
    membership = access.VIEW_WORKSHOPS.check(request)
    found = selectors.adopted_vision(membership.organisation)
    if found is None:
        return None
    return _statement(found)
