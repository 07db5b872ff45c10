"""Reads of learning plans and visioning workshops: the one query each page, the API,
the exports and other apps (reviews, the KPI dashboard) use."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, F, FloatField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.assessments import selectors as assessments
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation, org_id_of
from bellwether.development import access, planner, targets
from bellwether.development.models import (
    OPEN_STATUSES,
    Commitment,
    GenerationJob,
    LearningPlan,
    MilestoneReview,
    OrgModule,
    PlanItem,
    PlanStatus,
    ResourceCommitment,
    VisionMetric,
    VisionStatement,
    Workshop,
)
from bellwether.framework.catalogue import CATALOGUE, MILESTONE_RATINGS
from bellwether.people.models import OrgUnit, Person

TIER_NAMES = {t.key: f"Tier {t.number}: {t.name}" for t in CATALOGUE.learning_tiers}
SESSION_BY_KEY = {s.key: s for s in CATALOGUE.visioning_sessions}
KPIS = {k.key: k for k in (*CATALOGUE.primary_kpis, *CATALOGUE.secondary_kpis)}
RATING_NAMES = {r.key: r.name for r in MILESTONE_RATINGS}
REVIEWER_ROLES = (Role.ADMIN, Role.COACH)


# --- Public reads for other apps ------------------------------------------------------------------


def _live_items(organisation: Organisation | int) -> QuerySet[PlanItem]:
    org_id = org_id_of(organisation)
    return PlanItem.objects.filter(organisation_id=org_id, removed_at__isnull=True).exclude(
        plan__status=PlanStatus.WITHDRAWN
    )


def learning_hours_for(
    *,
    organisation: Organisation | int,
    person_ids: Iterable[int],
    start: datetime.date,
    end: datetime.date,
) -> dict[int, tuple[float, float]]:
    """Per person: (hours spent on modules completed between ``start`` and ``end``
    inclusive, hours planned for modules due in that period). Two aggregate queries;
    people without plans are left out."""
    ids = list(person_ids)
    if not ids:
        return {}
    items = _live_items(organisation).filter(plan__person_id__in=ids)
    done = dict(
        items.filter(completed_on__gte=start, completed_on__lte=end)
        .values("plan__person_id")
        .annotate(h=Sum(Coalesce("hours_spent", "planned_hours")))
        .values_list("plan__person_id", "h")
    )
    planned = dict(
        items.filter(due__gte=start, due__lte=end)
        .values("plan__person_id")
        .annotate(h=Sum("planned_hours"))
        .values_list("plan__person_id", "h")
    )
    return {
        pid: (float(done.get(pid) or 0.0), float(planned.get(pid) or 0.0))
        for pid in set(done) | set(planned)
    }


def adopted_vision(organisation: Organisation | int) -> VisionStatement | None:
    """The organisation's vision: the version adopted last (its workshop loaded), or
    None. One query; the home pages and the KPI dashboard show it."""
    org_id = org_id_of(organisation)
    return (
        VisionStatement.objects.filter(organisation_id=org_id, adopted_at__isnull=False)
        .select_related("workshop")
        .order_by("-adopted_at", "-version")
        .first()
    )


@dataclass(frozen=True)
class AgreedTarget:
    """A success metric agreed at a workshop, as a KPI target: ``value`` (in the KPI's
    unit) read from the agreed words ``text``."""

    kpi_key: str
    value: float
    text: str
    workshop_id: int
    workshop_name: str
    agreed_on: datetime.date
    due: datetime.date | None


def agreed_metric_targets(organisation: Organisation | int) -> dict[str, AgreedTarget]:
    """Per KPI key, the latest success metric agreed at a workshop that has been held
    (attendance recorded): from the session held last, then the metric recorded last.
    Metrics of a workshop not yet held do not count, nor words without a number. One
    query."""
    org_id = org_id_of(organisation)
    rows = (
        VisionMetric.objects.filter(organisation_id=org_id, workshop__held_at__isnull=False)
        .select_related("workshop", "organisation")
        .order_by("-workshop__starts_at", "-id")
    )
    out: dict[str, AgreedTarget] = {}
    for row in rows:
        metric = KPIS.get(row.kpi_key)
        if row.kpi_key in out or metric is None:
            continue
        value = targets.tracked_value(row.target, metric)
        if value is None:
            continue
        session = SESSION_BY_KEY.get(row.workshop.session_key)
        out[row.kpi_key] = AgreedTarget(
            kpi_key=row.kpi_key,
            value=value,
            text=row.target,
            workshop_id=row.workshop_id,
            workshop_name=session.name if session else row.workshop.session_key,
            agreed_on=row.workshop.starts_at.astimezone(
                ZoneInfo(row.organisation.time_zone or "UTC")
            ).date(),
            due=row.due,
        )
    return out


def resource_commitments(organisation: Organisation | int) -> QuerySet[ResourceCommitment]:
    """Committed investment and resources, with ``due`` and ``allocated_on`` (None while
    not allocated), their owner and workshop loaded; by due date."""
    org_id = org_id_of(organisation)
    return ResourceCommitment.objects.filter(organisation_id=org_id).select_related(
        "owner", "workshop"
    )


def resources_on_schedule(
    organisation: Organisation | int, *, as_of: datetime.date
) -> tuple[int, int]:
    """KPI 4: (committed resources allocated by their due date, committed resources due
    by ``as_of``), one SQL aggregate."""
    org_id = org_id_of(organisation)
    counts = ResourceCommitment.objects.filter(organisation_id=org_id, due__lte=as_of).aggregate(
        n_due=Count("id"), n_on_time=Count("id", filter=Q(allocated_on__lte=F("due")))
    )
    return counts["n_on_time"] or 0, counts["n_due"] or 0


# --- Plans ------------------------------------------------------------------------------------------


def open_plan(person: Person) -> LearningPlan | None:
    return (
        LearningPlan.objects.filter(person=person, status__in=OPEN_STATUSES)
        .select_related("coach__user")
        .first()
    )


def plan_of(person: Person) -> LearningPlan | None:
    """The leader's open plan, else their latest closed one."""
    return open_plan(person) or (
        LearningPlan.objects.filter(person=person)
        .select_related("coach__user")
        .order_by("-created_at", "-id")
        .first()
    )


def with_progress(plans: QuerySet[LearningPlan]) -> QuerySet[LearningPlan]:
    """Plans annotated with ``planned_hours``, ``done_hours``, ``item_count`` and
    ``done_count`` (live items only), in the same query."""
    live = Q(items__removed_at__isnull=True)
    zero = Value(0.0, output_field=FloatField())
    return plans.annotate(
        planned_total=Coalesce(Sum("items__planned_hours", filter=live), zero),
        done_hours=Coalesce(
            Sum(
                Coalesce("items__hours_spent", "items__planned_hours"),
                filter=live & Q(items__completed_on__isnull=False),
            ),
            zero,
        ),
        item_count=Count("items", filter=live),
        done_count=Count("items", filter=live & Q(items__completed_on__isnull=False)),
    )


@dataclass(frozen=True)
class PlanFilters:
    status: str = ""
    tier: str = ""
    level: str = ""
    unit_id: int | None = None
    q: str = ""


# The plan lists' order: by leader name, newest plan first (id: unique, for cursors).
PLANS_ORDER = ("person__name", "-id")


def plans_for(
    membership: Membership, filters: PlanFilters | None = None, *, progress: bool = True
) -> QuerySet[LearningPlan]:
    """The plans the member may open (admins all, coaches their coachees'), filtered,
    with progress figures (unless ``progress=False``: a list that pages first and then
    adds them to its page's rows with ``with_page_progress``), by leader name."""
    f = filters or PlanFilters()
    people = access.visible_people(membership, Person.objects.all())
    rows = LearningPlan.objects.filter(
        organisation_id=membership.organisation_id, person__in=people
    ).select_related("person__org_unit")
    if f.status:
        rows = rows.filter(status=f.status)
    if f.tier:
        rows = rows.filter(tiers_text__contains=f.tier)
    if f.level:
        rows = rows.filter(person__leader_level=f.level)
    if f.unit_id:
        rows = rows.filter(person__org_unit_id=f.unit_id)
    if f.q:
        rows = rows.filter(person__name__icontains=f.q)
    return (with_progress(rows) if progress else rows).order_by(*PLANS_ORDER)


PROGRESS_FIELDS = ("planned_total", "done_hours", "item_count", "done_count")


def with_page_progress(plans: list[LearningPlan]) -> list[LearningPlan]:
    """``with_progress``'s figures set on a page of plans: one aggregate over those
    plans' items only (counting and paging the list never sums every plan's items)."""
    figures = {
        row["pk"]: row
        for row in with_progress(LearningPlan.objects.filter(pk__in=[p.pk for p in plans]))
        .order_by()
        .values("pk", *PROGRESS_FIELDS)
    }
    for plan in plans:
        for name in PROGRESS_FIELDS:
            setattr(plan, name, figures[plan.pk][name])
    return plans


@dataclass
class MonthView:
    month: int
    name: str
    items: list[PlanItem] = field(default_factory=list)
    planned: float = 0.0
    done: float = 0.0


@dataclass
class PlanView:
    plan: LearningPlan
    months: list[MonthView]
    other: list[PlanItem]
    removed: list[PlanItem]
    milestones: list[MilestoneReview]
    planned: float
    done: float
    overdue: list[PlanItem]
    behind: bool
    hours_by_tier: dict[str, tuple[float, float]]


def plan_view(plan: LearningPlan, today: datetime.date) -> PlanView:
    """Everything the plan page, its PDF and its API twin show (two queries)."""
    items = list(plan.items.select_related("replaced_by").order_by("month", "position", "id"))
    live = [i for i in items if i.removed_at is None]
    months = [
        MonthView(block.month or 0, block.name) for block in CATALOGUE.development_plan.months
    ]
    by_month = {m.month: m for m in months}
    other: list[PlanItem] = []
    tiers: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for item in live:
        spent = (
            (item.hours_spent if item.hours_spent is not None else item.planned_hours)
            if item.completed_on
            else 0.0
        )
        target = by_month.get(item.month or 0)
        if target is None:
            other.append(item)
        else:
            target.items.append(item)
            target.planned += item.planned_hours
            target.done += spent
        tier = item.tier_key or "template"
        tiers[tier][0] += spent
        tiers[tier][1] += item.planned_hours
    done = sum(m.done for m in months) + sum(
        (i.hours_spent or i.planned_hours) for i in other if i.completed_on
    )
    overdue = [i for i in live if i.completed_on is None and i.due is not None and i.due < today]
    is_behind = plan.status == PlanStatus.ACTIVE and planner.behind(
        planned_by_month={m.month: m.planned for m in months},
        done_hours=done,
        start=plan.start_date,
        today=today,
    )
    return PlanView(
        plan=plan,
        months=months,
        other=other,
        removed=[i for i in items if i.removed_at is not None],
        milestones=list(plan.milestones.select_related("reviewer").order_by("due")),
        planned=sum(i.planned_hours for i in live),
        done=done,
        overdue=overdue,
        behind=is_behind,
        hours_by_tier={k: (v[0], v[1]) for k, v in tiers.items()},
    )


def reviews_due(membership: Membership, today: datetime.date) -> QuerySet[MilestoneReview]:
    """Milestone reviews not yet recorded, due within a week or overdue, of the plans the
    member may edit (admins all, coaches their coachees')."""
    people = access.visible_people(membership, Person.objects.all())
    if not (membership.has_role(*REVIEWER_ROLES)):
        return MilestoneReview.objects.none()
    return (
        MilestoneReview.objects.filter(
            organisation_id=membership.organisation_id,
            plan__person__in=people,
            plan__status__in=(PlanStatus.AGREED, PlanStatus.ACTIVE),
            reviewed_on__isnull=True,
            due__lte=today + datetime.timedelta(days=7),
        )
        .select_related("plan__person")
        .order_by("due", "id")
    )


def org_modules(organisation: Organisation, *, active_only: bool = True) -> QuerySet[OrgModule]:
    rows = OrgModule.objects.filter(organisation=organisation)
    return rows.filter(active=True) if active_only else rows


def own_modules_of(organisation_id: int) -> list[planner.OwnModule]:
    """The organisation's active modules, as the planner takes them."""
    return [
        planner.OwnModule(m.key, m.title, m.hours, m.tier_key, m.month, m.dimension)
        for m in OrgModule.objects.filter(organisation_id=organisation_id, active=True)
    ]


def generation_jobs(organisation: Organisation, *, limit: int = 5) -> list[GenerationJob]:
    return list(GenerationJob.objects.filter(organisation=organisation)[:limit])


# --- Cohort view --------------------------------------------------------------------------------


@dataclass
class Group:
    label: str
    plans: int = 0
    completed: int = 0
    items: int = 0
    done_items: int = 0
    planned: float = 0.0
    done: float = 0.0
    behind: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.done_items / self.items) if self.items else 0


@dataclass
class Cohort:
    by_tier: list[Group]
    by_unit: list[Group]
    by_level: list[Group]
    total: Group
    behind: list[LearningPlan]
    rows: list[LearningPlan]


def cohort(organisation: Organisation, today: datetime.date, *, status: str = "") -> Cohort:
    """The organisation's open and completed plans (not withdrawn) by tier, unit and
    level, with who is behind. One query for the plans with their progress, one for the
    hours planned per plan and month."""
    plans = LearningPlan.objects.filter(organisation=organisation).exclude(
        status=PlanStatus.WITHDRAWN
    )
    if status:
        plans = plans.filter(status=status)
    rows = list(
        with_progress(plans.select_related("person__org_unit")).order_by("person__name", "id")
    )
    monthly: dict[int, dict[int, float]] = defaultdict(dict)
    for plan_id, month, hours in (
        PlanItem.objects.filter(plan__in=plans, removed_at__isnull=True, month__isnull=False)
        .values("plan_id", "month")
        .annotate(h=Sum("planned_hours"))
        .values_list("plan_id", "month", "h")
    ):
        monthly[plan_id][month or 0] = float(hours or 0)
    total = Group("All plans")
    tiers: dict[str, Group] = {k: Group(v) for k, v in TIER_NAMES.items()}
    units: dict[str, Group] = {}
    levels: dict[str, Group] = {}
    behind: list[LearningPlan] = []
    for plan in rows:
        plan.is_behind = plan.status == PlanStatus.ACTIVE and planner.behind(  # type: ignore[attr-defined]
            planned_by_month=monthly.get(plan.pk, {}),
            done_hours=plan.done_hours,  # type: ignore[attr-defined]
            start=plan.start_date,
            today=today,
        )
        if plan.is_behind:  # type: ignore[attr-defined]
            behind.append(plan)
        unit = plan.person.org_unit.name if plan.person.org_unit else "No unit"
        level = plan.person.get_leader_level_display() or "Not a leader"
        groups = [
            total,
            units.setdefault(unit, Group(unit)),
            levels.setdefault(level, Group(level)),
        ]
        groups += [tiers[t] for t in plan.tiers if t in tiers]
        for group in groups:
            group.plans += 1
            group.completed += plan.status == PlanStatus.COMPLETED
            group.items += plan.item_count  # type: ignore[attr-defined]
            group.done_items += plan.done_count  # type: ignore[attr-defined]
            group.planned += plan.planned_total  # type: ignore[attr-defined]
            group.done += plan.done_hours  # type: ignore[attr-defined]
            group.behind += plan.is_behind  # type: ignore[attr-defined]
    return Cohort(
        by_tier=list(tiers.values()),
        by_unit=sorted(units.values(), key=lambda g: g.label),
        by_level=sorted(levels.values(), key=lambda g: g.label),
        total=total,
        behind=behind,
        rows=rows,
    )


def cohort_people(
    organisation: Organisation, *, cycle_id: int | None, unit_id: int | None, level: str
) -> QuerySet[Person]:
    """The active leaders of a cohort: of a readiness cycle, an org unit's subtree and/or a
    level (every active leader when none is given)."""
    people = assessments.active_leaders(organisation)
    if cycle_id is not None:
        cycle = assessments.released_cycle(organisation.pk, cycle_id)
        ids = assessments.cycle_leader_ids(cycle) if cycle is not None else []
        people = people.filter(pk__in=list(ids))
    if unit_id is not None:
        unit = OrgUnit.objects.filter(organisation=organisation, pk=unit_id).first()
        if unit is None:
            return people.none()
        people = people.filter(
            Q(org_unit=unit) | Q(org_unit__path__startswith=f"{unit.path}{unit.pk}/")
        )
    if level:
        people = people.filter(leader_level=level)
    return people


# --- Workshops ------------------------------------------------------------------------------------


def workshops_for(organisation: Organisation) -> list[Workshop]:
    """The organisation's workshops by session number, with invite and attendance counts."""
    rows = Workshop.objects.filter(organisation=organisation).annotate(
        invited=Count("invites"), attended_count=Count("invites", filter=Q(invites__attended=True))
    )
    order = {s.key: s.number for s in CATALOGUE.visioning_sessions}
    return sorted(rows, key=lambda w: order.get(w.session_key, 99))


@dataclass
class WorkshopView:
    workshop: Workshop
    session_name: str
    invites: list
    statements: list[VisionStatement]
    metrics: list
    resources: list[ResourceCommitment]
    commitments: list[Commitment]
    open_actions: int


def workshop_view(workshop: Workshop) -> WorkshopView:
    resources = list(workshop.resources.select_related("owner"))
    commitments = list(workshop.commitments.select_related("person", "plan_item"))
    session = SESSION_BY_KEY.get(workshop.session_key)
    return WorkshopView(
        workshop=workshop,
        session_name=session.name if session else workshop.session_key,
        invites=list(workshop.invites.select_related("person")),
        statements=list(workshop.statements.all()),
        metrics=list(workshop.metrics.all()),
        resources=resources,
        commitments=commitments,
        open_actions=sum(1 for r in resources if r.allocated_on is None)
        + sum(1 for c in commitments if c.done_on is None),
    )


def vision_versions(organisation: Organisation) -> QuerySet[VisionStatement]:
    return VisionStatement.objects.filter(organisation=organisation).order_by("-version")


def leaders_of(organisation: Organisation) -> QuerySet[Person]:
    """The organisation's active leaders, by name (whom plans and workshops are for)."""
    return assessments.active_leaders(organisation)


def cohort_choices(organisation: Organisation) -> tuple[list[OrgUnit], list[object]]:
    """The units and the latest readiness cycles a cohort may be chosen by."""
    return (
        list(assessments.launch_units(organisation)),
        list(assessments.cycles_for(organisation)[:20]),
    )


# --- the task inbox ---------------------------------------------------------------------------


def inbox_items(membership: Membership, *, today: datetime.date) -> list[InboxItem]:
    """Milestone reviews due within a week (coaches, admins); the member's own plan to
    agree, and its modules past their month."""
    due = reviews_due(membership, today)
    if membership.has_role(Role.ADMIN):
        # An administrator sees every plan's reviews: one line, not one per leader.
        count = due.count()
        items = (
            [
                InboxItem(
                    kind="development.milestone_reviews",
                    title=f"{count} learning-plan milestone review{'s' if count != 1 else ''} "
                    "due or overdue",
                    url=reverse("development:plans"),
                    due=due.values_list("due", flat=True).first(),
                    count=count,
                )
            ]
            if count
            else []
        )
    else:
        items = [
            InboxItem(
                kind="development.milestone_review",
                title=f"Milestone review of {review.plan.person.name}'s learning plan",
                url=reverse("development:plan", args=[review.plan_id]),
                due=review.due,
            )
            for review in due[:50]
        ]
    if membership.person_id is None:
        return items
    plan = LearningPlan.objects.filter(
        person_id=membership.person_id, status__in=OPEN_STATUSES
    ).first()
    if plan is None:
        return items
    url = reverse("development:my_plan")
    if plan.status == PlanStatus.DRAFT and plan.leader_agreed_at is None:
        items.append(InboxItem(kind="development.agree", title="Agree your learning plan", url=url))
    overdue = _live_items(membership.organisation_id).filter(
        plan=plan, completed_on__isnull=True, due__lt=today
    )
    count = overdue.count()
    if count:
        items.append(
            InboxItem(
                kind="development.overdue",
                title=f"{count} learning module{'s' if count != 1 else ''} overdue",
                url=url,
                due=overdue.order_by("due").values_list("due", flat=True).first(),
                count=count,
            )
        )
    return items
