"""The three visioning workshops (§2.1): scheduling, attendance and their outcomes as
records: the versioned vision, agreed success metrics (KPI targets), committed
resources, and each leader's commitments (an item on their plan when they have one)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TypeVar

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.core import audit
from bellwether.core.bounds import year_problem
from bellwether.core.errors import DomainError
from bellwether.core.links import clean_link
from bellwether.core.models import Organisation
from bellwether.development.models import (
    OPEN_STATUSES,
    Commitment,
    LearningPlan,
    PlanItem,
    ResourceCommitment,
    VisionMetric,
    VisionStatement,
    Workshop,
    WorkshopInvite,
)
from bellwether.development.services.items import add_plan_item
from bellwether.development.targets import TARGET_RANGE, tracked_value
from bellwether.framework.catalogue import CATALOGUE, kpi
from bellwether.people.models import Person

SESSIONS = {s.key: s for s in CATALOGUE.visioning_sessions}
KPIS = {k.key for k in (*CATALOGUE.primary_kpis, *CATALOGUE.secondary_kpis)}
MAX_AGENDA = 20
MAX_MINUTES = 8 * 60
MAX_AMOUNT = Decimal("1e12")
Outcome = TypeVar("Outcome", VisionMetric, ResourceCommitment, Commitment)


def _record(
    organisation: Organisation, action: str, actor: User | None, target: object, **details: object
) -> None:
    audit.record(
        action=f"development.{action}",
        organisation=organisation,
        actor=actor,
        target=target,  # type: ignore[arg-type]
        details=details,
    )


def _person_of(
    workshop: Workshop, pk: int, *, leaders_only: bool, problem: str, field: str
) -> Person:
    """An active person (or leader) of the workshop's organisation; otherwise ``problem``."""
    people = Person.objects.filter(organisation_id=workshop.organisation_id, pk=pk, active=True)
    if leaders_only:
        people = people.exclude(leader_level="")
    person = people.first()
    if person is None:
        unknown = "Unknown leader." if leaders_only else "Unknown person."
        raise DomainError(problem, field_errors={field: [unknown]})
    return person


def _outcome(model: type[Outcome], workshop: Workshop, **fields: object) -> Outcome:
    """A record of what the workshop decided, in the workshop's organisation."""
    return model.objects.create(
        organisation_id=workshop.organisation_id, workshop=workshop, **fields
    )


def _when(value: datetime.date | datetime.datetime, field: str) -> None:
    problem = year_problem(value)
    if problem:
        raise DomainError(problem, field_errors={field: [problem]})


def _agenda(lines: Sequence[Mapping[str, object]]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    if len(lines) > MAX_AGENDA:
        raise DomainError(f"An agenda has at most {MAX_AGENDA} items.")
    for line in lines:
        title = str(line.get("title", "")).strip()
        try:
            minutes = int(str(line.get("minutes", 0)))
        except ValueError:
            minutes = -1
        if not title or len(title) > 200:
            raise DomainError("Every agenda item needs a title (at most 200 characters).")
        if not 5 <= minutes <= MAX_MINUTES:
            raise DomainError(f"Each agenda item lasts between 5 and {MAX_MINUTES} minutes.")
        out.append({"title": title, "minutes": minutes})
    return out


def default_agenda(session_key: str) -> list[dict[str, object]]:
    """The catalogue's agenda, its time shared evenly (a half day is 4 hours, a full
    day 7)."""
    session = SESSIONS[session_key]
    total = 7 * 60 if session.duration.lower().startswith("full") else 4 * 60
    each = total // len(session.agenda)
    return [{"title": title, "minutes": each} for title in session.agenda]


@transaction.atomic
def schedule_workshop(
    *,
    organisation: Organisation,
    actor: User | None,
    session_key: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    location: str = "",
    link: str = "",
    facilitator: str = "",
    invited: Sequence[int] = (),
    agenda: Sequence[Mapping[str, object]] | None = None,
) -> Workshop:
    """Schedule (or reschedule) one of the three sessions. Invitations are set to the
    given leaders; attendance already recorded for those kept is kept."""
    if session_key not in SESSIONS:
        raise DomainError("Unknown session.", field_errors={"session_key": ["Unknown session."]})
    _when(starts_at, "starts_at")
    _when(ends_at, "ends_at")
    if ends_at <= starts_at:
        raise DomainError(
            "The workshop must end after it starts.",
            field_errors={"ends_at": ["Before the start."]},
        )
    try:
        link = clean_link(link)
    except ValueError as exc:
        raise DomainError(str(exc), field_errors={"link": [str(exc)]}) from None
    rows = _agenda(agenda) if agenda is not None else default_agenda(session_key)
    people = list(
        Person.objects.filter(organisation=organisation, pk__in=list(invited), active=True).exclude(
            leader_level=""
        )
    )
    if len(people) != len(set(invited)):
        raise DomainError(
            "Only active leaders of the organisation can be invited.",
            field_errors={"invited": ["Unknown leader."]},
        )
    workshop, created = Workshop.objects.update_or_create(
        organisation=organisation,
        session_key=session_key,
        defaults={
            "starts_at": starts_at,
            "ends_at": ends_at,
            "location": location.strip()[:300],
            "link": link,
            "facilitator": facilitator.strip()[:200],
            "agenda": rows,
        },
    )
    keep = {p.pk for p in people}
    workshop.invites.exclude(person_id__in=keep).delete()
    have = set(workshop.invites.values_list("person_id", flat=True))
    WorkshopInvite.objects.bulk_create(
        WorkshopInvite(organisation=organisation, workshop=workshop, person_id=pk)
        for pk in sorted(keep - have)
    )
    _record(organisation, "workshop_scheduled", actor, workshop, created=created, invited=len(keep))
    return workshop


@transaction.atomic
def edit_agenda(
    *, workshop: Workshop, actor: User | None, agenda: Sequence[Mapping[str, object]]
) -> Workshop:
    """Replace the workshop's agenda (lines of a title and minutes). At least one line;
    each is validated like a scheduled agenda."""
    rows = _agenda(agenda)
    if not rows:
        raise DomainError(
            "An agenda needs at least one item.", field_errors={"agenda": ["Required."]}
        )
    before = len(workshop.agenda)
    workshop.agenda = rows
    workshop.save(update_fields=["agenda", "updated_at"])
    _record(
        workshop.organisation,
        "workshop_agenda_edited",
        actor,
        workshop,
        before=before,
        items=len(rows),
        minutes=sum(int(str(r["minutes"])) for r in rows),
    )
    return workshop


@transaction.atomic
def record_attendance(
    *, workshop: Workshop, actor: User | None, attended: Sequence[int]
) -> Workshop:
    """Who came: the invited leaders in ``attended`` came, the others did not. The
    workshop is marked held."""
    present = set(attended)
    invited = set(workshop.invites.values_list("person_id", flat=True))
    if present - invited:
        raise DomainError(
            "Only invited leaders can be marked present.",
            field_errors={"attended": ["Not invited."]},
        )
    if workshop.starts_at > timezone.now():
        raise DomainError("The workshop has not started yet.", code="conflict")
    workshop.invites.update(attended=False)
    workshop.invites.filter(person_id__in=present).update(attended=True)
    workshop.held_at = workshop.held_at or timezone.now()
    workshop.save(update_fields=["held_at", "updated_at"])
    _record(workshop.organisation, "workshop_attendance", actor, workshop, present=len(present))
    return workshop


@transaction.atomic
def propose_vision(
    *, organisation: Organisation, actor: User | None, text: str, workshop: Workshop | None = None
) -> VisionStatement:
    """A new version of the vision statement (not yet adopted)."""
    text = text.strip()
    if not text or len(text) > 4000:
        raise DomainError(
            "Write the vision (at most 4,000 characters).", field_errors={"text": ["Required."]}
        )
    number = (
        VisionStatement.objects.select_for_update()
        .filter(organisation=organisation)
        .aggregate(n=Max("version"))["n"]
        or 0
    ) + 1
    statement = VisionStatement.objects.create(
        organisation=organisation, workshop=workshop, version=number, text=text, author=actor
    )
    _record(organisation, "vision_proposed", actor, statement, version=number)
    return statement


@transaction.atomic
def adopt_vision(*, statement: VisionStatement, actor: User | None) -> VisionStatement:
    """Adopt a version: the latest adopted version is the organisation's vision."""
    if statement.adopted_at is not None:
        raise DomainError("This version is already adopted.", code="conflict")
    statement.adopted_at = timezone.now()
    statement.save(update_fields=["adopted_at", "updated_at"])
    _record(statement.organisation, "vision_adopted", actor, statement, version=statement.version)
    return statement


@transaction.atomic
def add_metric(
    *, workshop: Workshop, actor: User | None, kpi_key: str, target: str, due: datetime.date | None
) -> VisionMetric:
    """An agreed success metric: a framework KPI and its target, in words holding the
    number the KPI dashboard tracks (``targets.target_number``)."""
    target = target.strip()
    if kpi_key not in KPIS:
        raise DomainError(
            "Choose a KPI of the framework.", field_errors={"kpi_key": ["Unknown KPI."]}
        )
    if not target or len(target) > 200:
        raise DomainError(
            "Give the target (at most 200 characters).", field_errors={"target": ["Required."]}
        )
    metric_kpi = kpi(kpi_key)
    if tracked_value(target, metric_kpi) is None:
        problem = (
            f"Write the target with a number in {metric_kpi.unit} between "
            f"{TARGET_RANGE[0]:g} and {TARGET_RANGE[1]:g}, such as “{metric_kpi.target}”: "
            "the KPI dashboard tracks that number."
        )
        raise DomainError(problem, field_errors={"target": [problem]})
    if due is not None:
        _when(due, "due")
    metric = _outcome(VisionMetric, workshop, kpi_key=kpi_key, target=target, due=due)
    _record(workshop.organisation, "vision_metric_added", actor, metric, kpi=kpi_key)
    return metric


@transaction.atomic
def add_resource(
    *,
    workshop: Workshop,
    actor: User | None,
    description: str,
    amount: Decimal | str | None,
    owner_id: int,
    due: datetime.date,
) -> ResourceCommitment:
    """Committed investment or resources, with an owner and a due date."""
    description = description.strip()
    if not description or len(description) > 300:
        raise DomainError(
            "Describe the commitment (at most 300 characters).",
            field_errors={"description": ["Required."]},
        )
    value: Decimal | None = None
    if amount not in (None, ""):
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0 or value >= MAX_AMOUNT:
            raise DomainError(
                "The amount must be a number from 0.",
                field_errors={"amount": ["Not a valid amount."]},
            )
    _when(due, "due")
    owner = _person_of(
        workshop,
        owner_id,
        leaders_only=False,
        problem="Choose the owner among the organisation's people.",
        field="owner",
    )
    row = _outcome(
        ResourceCommitment, workshop, description=description, amount=value, owner=owner, due=due
    )
    _record(
        workshop.organisation,
        "resource_committed",
        actor,
        row,
        amount=str(value or ""),
        due=str(due),
    )
    return row


@transaction.atomic
def mark_allocated(
    *, commitment: ResourceCommitment, actor: User | None, allocated_on: datetime.date
) -> ResourceCommitment:
    """The day the committed resources were in fact allocated."""
    _when(allocated_on, "allocated_on")
    if allocated_on > timezone.localdate():
        raise DomainError(
            "The allocation date is in the future.",
            field_errors={"allocated_on": ["In the future."]},
        )
    commitment.allocated_on = allocated_on
    commitment.save(update_fields=["allocated_on", "updated_at"])
    _record(
        commitment.workshop.organisation,
        "resource_allocated",
        actor,
        commitment,
        on=str(allocated_on),
    )
    return commitment


@transaction.atomic
def add_commitment(
    *, workshop: Workshop, actor: User | None, person_id: int, text: str, due: datetime.date | None
) -> Commitment:
    """A leader's commitment or role definition. With an open plan it becomes an item of
    that plan (``add_plan_item``); otherwise it stays an action owned by the leader."""
    person = _person_of(
        workshop,
        person_id,
        leaders_only=True,
        problem="Choose a leader of the organisation.",
        field="person",
    )
    text = text.strip()
    if not text or len(text) > 300:
        raise DomainError(
            "Write the commitment (at most 300 characters).", field_errors={"text": ["Required."]}
        )
    if due is not None:
        _when(due, "due")
    item: PlanItem | None = None
    if LearningPlan.objects.filter(person=person, status__in=OPEN_STATUSES).exists():
        item = add_plan_item(
            organisation=workshop.organisation,
            person=person,
            title=text,
            source=PlanItem.Source.WORKSHOP,
            due=due,
            actor=actor,
        )
    row = _outcome(Commitment, workshop, person=person, text=text, due=due, plan_item=item)
    _record(
        workshop.organisation,
        "commitment_added",
        actor,
        row,
        person=person.pk,
        on_plan=item is not None,
    )
    return row
