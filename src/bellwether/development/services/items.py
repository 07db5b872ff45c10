"""What is on a plan and how it is going: items added (by hand, by a review or a
workshop), removed or swapped (the row is kept, with what was recorded on it), modules
ticked done with hours and evidence, milestone reviews, and the organisation's own
modules."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.core import audit
from bellwether.core.bounds import year_problem
from bellwether.core.errors import DomainError
from bellwether.core.links import clean_link
from bellwether.core.models import Organisation
from bellwether.development import planner
from bellwether.development.models import (
    OPEN_STATUSES,
    LearningPlan,
    MilestoneReview,
    OrgModule,
    PlanItem,
    PlanStatus,
)
from bellwether.framework.catalogue import (
    CATALOGUE,
    MAX_MODULE_HOURS,
    MAX_PLAN_ITEMS,
    MILESTONE_RATINGS,
)
from bellwether.people.models import Person

MAX_TITLE = 300
MAX_NOTE = 2000
SOURCES = {choice.value for choice in PlanItem.Source}
RATINGS = {r.key for r in MILESTONE_RATINGS}
DIMENSIONS = {d.key for d in CATALOGUE.instrument.dimensions}


def _date(value: datetime.date | None, field: str, what: str) -> None:
    if value is None:
        return
    problem = year_problem(value, what=what)
    if problem:
        raise DomainError(problem, field_errors={field: [problem]})


def _audit(
    plan: LearningPlan, action: str, actor: User | None, target: object, **details: object
) -> None:
    audit.record(
        action=f"development.{action}",
        organisation=plan.organisation,
        actor=actor,
        target=target if hasattr(target, "_meta") else plan,  # type: ignore[arg-type]
        details={"plan": plan.pk, "person": plan.person_id, **details},
    )


def _open(plan: LearningPlan) -> LearningPlan:
    plan = LearningPlan.objects.select_for_update().select_related("organisation").get(pk=plan.pk)
    if plan.status not in OPEN_STATUSES:
        raise DomainError("This plan is closed: nothing on it can change now.", code="conflict")
    return plan


def _hours(value: float | None, *, field: str, allow_zero: bool) -> float | None:
    if value is None:
        return None
    try:
        hours = float(value)
    except (TypeError, ValueError):
        raise DomainError(
            "Give the hours as a number.", field_errors={field: ["Not a number."]}
        ) from None
    low_ok = hours >= 0 if allow_zero else hours > 0
    if hours != hours or not low_ok or hours > MAX_MODULE_HOURS:
        message = (
            f"Hours must be {'between 0' if allow_zero else 'more than 0'} and "
            f"{MAX_MODULE_HOURS} for one module."
        )
        raise DomainError(message, field_errors={field: [message]})
    return round(hours, 2)


@transaction.atomic
def add_plan_item(
    *,
    organisation: Organisation,
    person: Person,
    title: str,
    source: str,
    due: datetime.date | None,
    actor: User | None,
    hours: float = 0.0,
    key: str = "",
) -> PlanItem:
    """Add a goal or module to the leader's open plan (reviews and workshops add goals
    through this). Refused when the leader has no open plan."""
    if person.organisation_id != organisation.pk:
        raise DomainError("This person is not in the organisation.", code="not_found")
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise DomainError(
            f"Give a title of at most {MAX_TITLE} characters.",
            field_errors={"title": ["Required."]},
        )
    if source not in SOURCES:
        raise DomainError(
            f"Unknown source {source!r}.", field_errors={"source": ["Unknown source."]}
        )
    _date(due, "due", "The due date")
    planned = _hours(hours, field="hours", allow_zero=True) or 0.0
    plan = (
        LearningPlan.objects.select_for_update()
        .filter(person=person, status__in=OPEN_STATUSES)
        .first()
    )
    if plan is None:
        raise DomainError(
            f"{person.name} has no open learning plan to add this to.", code="no_plan"
        )
    if due is not None and due < plan.start_date:
        raise DomainError(
            "The due date is before the plan starts.",
            field_errors={"due": ["Before the plan's start."]},
        )
    live = plan.items.filter(removed_at__isnull=True)
    if live.count() >= MAX_PLAN_ITEMS:
        raise DomainError(f"A plan holds at most {MAX_PLAN_ITEMS} items.", code="too_many")
    month = None
    if due is not None:
        month = min(planner.MONTHS[-1], max(1, (due - plan.start_date).days // 30 + 1))
    item = PlanItem.objects.create(
        organisation=organisation,
        plan=plan,
        key=key,
        title=title,
        source=source,
        month=month,
        position=live.count(),
        planned_hours=planned,
        due=due,
    )
    _audit(plan, "plan_item_added", actor, item, title=title, source=source)
    return item


def _item(plan: LearningPlan, item_id: int) -> PlanItem:
    item = PlanItem.objects.select_for_update().filter(plan=plan, pk=item_id).first()
    if item is None:
        raise DomainError("There is no such item on this plan.", code="not_found")
    return item


@transaction.atomic
def remove_item(*, plan: LearningPlan, item_id: int, actor: User | None) -> PlanItem:
    """Take an item off the plan; its row and anything recorded on it are kept."""
    plan = _open(plan)
    item = _item(plan, item_id)
    if item.removed_at is not None:
        raise DomainError("This item is already off the plan.", code="conflict")
    item.removed_at = timezone.now()
    item.save(update_fields=["removed_at", "updated_at"])
    _audit(plan, "plan_item_removed", actor, item, title=item.title)
    return item


@transaction.atomic
def restore_item(*, plan: LearningPlan, item_id: int, actor: User | None) -> PlanItem:
    """Put back an item taken off the plan (the undo of ``remove_item``), with what was
    recorded on it. A swapped item is not put back: its replacement is on the plan."""
    plan = _open(plan)
    item = _item(plan, item_id)
    if item.removed_at is None:
        raise DomainError("This item is already on the plan.", code="conflict")
    if item.replaced_by_id is not None:
        raise DomainError(
            "This module was swapped for another; swap back instead.", code="conflict"
        )
    if plan.items.filter(removed_at__isnull=True).count() >= MAX_PLAN_ITEMS:
        raise DomainError(f"A plan holds at most {MAX_PLAN_ITEMS} items.", code="too_many")
    item.removed_at = None
    item.save(update_fields=["removed_at", "updated_at"])
    _audit(plan, "plan_item_restored", actor, item, title=item.title)
    return item


@transaction.atomic
def swap_item(*, plan: LearningPlan, item_id: int, module_key: str, actor: User | None) -> PlanItem:
    """Replace a module by an equivalent one (a framework module or one of the
    organisation's): the new item takes the month and due date; the old one is kept,
    marked replaced."""
    plan = _open(plan)
    item = _item(plan, item_id)
    if item.removed_at is not None:
        raise DomainError("This item is already off the plan.", code="conflict")
    if item.completed_on is not None:
        raise DomainError("A completed module cannot be swapped.", code="conflict")
    found = _module(plan.organisation_id, module_key)
    if found is None:
        raise DomainError(
            f"Unknown module {module_key!r}.",
            field_errors={"module": ["Choose a module from the catalogue."]},
        )
    title, hours, tier, dimension = found
    new = PlanItem.objects.create(
        organisation_id=plan.organisation_id,
        plan=plan,
        key=module_key,
        title=title,
        source=PlanItem.Source.ORGANISATION
        if module_key.startswith("org.")
        else PlanItem.Source.TIER,
        tier_key=tier or item.tier_key,
        month=item.month,
        dimension=dimension or item.dimension,
        position=item.position,
        planned_hours=hours,
        due=item.due,
    )
    item.removed_at = timezone.now()
    item.replaced_by = new
    item.save(update_fields=["removed_at", "replaced_by", "updated_at"])
    _audit(plan, "plan_item_swapped", actor, new, replaced=item.pk, title=title)
    return new


def module_choices(organisation_id: int) -> list[tuple[str, str]]:
    """Every module a plan may take (framework and organisation's), as (key, label)."""
    out = [
        (m.key, f"{m.title} ({m.hours} h)")
        for block in (
            *CATALOGUE.development_plan.months,
            *(b for t in CATALOGUE.learning_tiers for b in t.blocks),
        )
        for m in block.modules
    ]
    out += [
        (m.key, f"{m.title} ({m.hours:g} h, {m.get_kind_display().lower()})")
        for m in OrgModule.objects.filter(organisation_id=organisation_id, active=True)
    ]
    return out


def _module(organisation_id: int, key: str) -> tuple[str, float, str, str] | None:
    for tier in CATALOGUE.learning_tiers:
        for block in tier.blocks:
            for m in block.modules:
                if m.key == key:
                    return m.title, float(m.hours), tier.key, ""
    for block in CATALOGUE.development_plan.months:
        for m in block.modules:
            if m.key == key:
                return m.title, float(m.hours), "", ""
    if key.startswith("org.") and key[4:].isdigit():
        own = OrgModule.objects.filter(
            organisation_id=organisation_id, pk=int(key[4:]), active=True
        ).first()
        if own is not None:
            return own.title, own.hours, own.tier_key, own.dimension
    return None


@transaction.atomic
def complete_item(
    *,
    plan: LearningPlan,
    item_id: int,
    actor: User | None,
    completed_on: datetime.date,
    hours_spent: float | None,
    evidence_link: str = "",
    note: str = "",
    today: datetime.date | None = None,
) -> PlanItem:
    """Tick a module done: the date (not in the future, not before the plan's start), the
    hours actually spent (0 to ``MAX_MODULE_HOURS``; none: as planned), an evidence link
    (http/https) or a note."""
    plan = _open(plan)
    if plan.status == PlanStatus.DRAFT:
        raise DomainError("Agree the plan before recording progress on it.", code="conflict")
    item = _item(plan, item_id)
    if item.removed_at is not None:
        raise DomainError("This item is no longer on the plan.", code="conflict")
    today = today or timezone.localdate()
    _date(completed_on, "completed_on", "The completion date")
    if completed_on > today:
        raise DomainError(
            "The completion date is in the future.",
            field_errors={"completed_on": ["In the future."]},
        )
    if completed_on < plan.start_date:
        raise DomainError(
            "The completion date is before the plan started.",
            field_errors={"completed_on": ["Before the plan's start."]},
        )
    spent = _hours(hours_spent, field="hours_spent", allow_zero=True)
    try:
        link = clean_link(evidence_link)
    except ValueError as exc:
        raise DomainError(str(exc), field_errors={"evidence_link": [str(exc)]}) from None
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise DomainError(f"The note is too long: at most {MAX_NOTE} characters.")
    before = {"completed_on": str(item.completed_on or ""), "hours_spent": item.hours_spent}
    item.completed_on, item.hours_spent = completed_on, spent
    item.evidence_link, item.note, item.completed_by = link, note, actor
    item.save()
    _audit(
        plan, "plan_item_completed", actor, item, before=before, hours=spent, on=str(completed_on)
    )
    return item


@transaction.atomic
def record_milestone(
    *,
    plan: LearningPlan,
    key: str,
    actor: User | None,
    rating: str,
    notes: str,
    reviewed_on: datetime.date,
    today: datetime.date | None = None,
) -> MilestoneReview:
    """Record a 30/60/90-day review (a coach or an admin): a rating and notes. A review
    already recorded is not overwritten."""
    plan = _open(plan)
    if plan.status == PlanStatus.DRAFT:
        raise DomainError("A draft plan has no reviews yet: agree it first.", code="conflict")
    review = MilestoneReview.objects.select_for_update().filter(plan=plan, key=key).first()
    if review is None:
        raise DomainError("Unknown milestone.", field_errors={"key": ["Unknown milestone."]})
    if review.reviewed_on is not None:
        raise DomainError("This review is already recorded.", code="conflict")
    if rating not in RATINGS:
        raise DomainError("Choose a rating.", field_errors={"rating": ["Choose a rating."]})
    notes = notes.strip()
    if len(notes) > MAX_NOTE:
        raise DomainError(f"The notes are too long: at most {MAX_NOTE} characters.")
    _date(reviewed_on, "reviewed_on", "The review date")
    if reviewed_on > (today or timezone.localdate()) or reviewed_on < plan.start_date:
        raise DomainError(
            "The review date must fall between the plan's start and today.",
            field_errors={"reviewed_on": ["Out of range."]},
        )
    review.reviewed_on, review.rating, review.notes, review.reviewer = (
        reviewed_on,
        rating,
        notes,
        actor,
    )
    review.save()
    _audit(plan, "milestone_recorded", actor, review, key=key, rating=rating)
    return review


@transaction.atomic
def add_org_module(
    *,
    organisation: Organisation,
    actor: User | None,
    title: str,
    kind: str,
    hours: float,
    tier_key: str,
    url: str = "",
    month: int | None = None,
    dimension: str = "",
    equivalent_to: str = "",
) -> OrgModule:
    """Add a module to the organisation's catalogue of learning."""
    errors: dict[str, list[str]] = {}
    title = title.strip()
    if not title or len(title) > 200:
        errors["title"] = ["Give a title of at most 200 characters."]
    if kind not in OrgModule.Kind.values:
        errors["kind"] = ["Choose internal or vendor."]
    if tier_key not in planner.TIER_KEYS:
        errors["tier_key"] = ["Choose a tier."]
    if month is not None and month not in planner.MONTHS:
        errors["month"] = [f"Choose a month from 1 to {planner.MONTHS[-1]}."]
    if dimension and dimension not in DIMENSIONS:
        errors["dimension"] = ["Unknown dimension."]
    if equivalent_to and _module(organisation.pk, equivalent_to) is None:
        errors["equivalent_to"] = ["Unknown module."]
    try:
        link = clean_link(url)
    except ValueError as exc:
        errors["url"] = [str(exc)]
        link = ""
    if kind == OrgModule.Kind.VENDOR and not link and "url" not in errors:
        errors["url"] = ["A vendor course needs its address."]
    if errors:
        raise DomainError("Some fields are not valid.", field_errors=errors)
    planned = _hours(hours, field="hours", allow_zero=False) or 0.0
    module = OrgModule.objects.create(
        organisation=organisation,
        title=title,
        kind=kind,
        url=link,
        hours=planned,
        tier_key=tier_key,
        month=month,
        dimension=dimension,
        equivalent_to=equivalent_to,
    )
    audit.record(
        action="development.module_added",
        organisation=organisation,
        actor=actor,
        target=module,
        details={"title": title, "hours": planned, "tier": tier_key},
    )
    return module
