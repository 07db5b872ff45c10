"""Reads of barriers and engagement plans shared by pages, the API, panels and the demo."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.assessments.selectors import CurrentBand, current_bands
from bellwether.core.inbox import InboxItem
from bellwether.core.models import Organisation
from bellwether.engagement import access, generator
from bellwether.engagement.models import (
    BarrierChange,
    BarrierMark,
    EngagementPlan,
    PlanRevision,
    PlanStatus,
)
from bellwether.framework import catalogue
from bellwether.framework.catalogue import (
    BAND_RESISTANT,
    BAND_SKEPTICAL,
    CATALOGUE,
    ENGAGEMENT_METRIC_EMPLOYEE_PERCEPTION,
)
from bellwether.people.models import LeaderLevel, Person

# An influencer in these bands is resistance.
RESISTANT_BANDS = (BAND_SKEPTICAL, BAND_RESISTANT)
BARRIER_KEYS = frozenset(barrier.key for barrier in CATALOGUE.barriers)
CONCERN_KEYS = frozenset(c.key for level in CATALOGUE.leader_levels for c in level.concerns)


# --- Barriers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChecklistLine:
    key: str
    text: str
    kind: str  # "barrier" / "concern"
    weight: str  # "primary" / "secondary" / ""
    description: str = ""


def checklist_keys(person: Person) -> list[tuple[str, str, str, str]]:
    """(key, text, kind, description) of the lines a leader's checklist offers: the 8
    barriers, then their level's concerns (none when the person has no leader level)."""
    lines = [(b.key, b.name, "barrier", b.description) for b in CATALOGUE.barriers]
    if person.leader_level:
        level = catalogue.leader_level(person.leader_level)
        lines += [(c.key, c.text, "concern", level.concerns_heading) for c in level.concerns]
    return lines


def marks_for(person: Person) -> dict[str, str]:
    return dict(BarrierMark.objects.filter(person=person).values_list("key", "weight"))


def checklist(person: Person) -> list[ChecklistLine]:
    marks = marks_for(person)
    return [
        ChecklistLine(key, text, kind, marks.get(key, ""), description)
        for key, text, kind, description in checklist_keys(person)
    ]


def barrier_history(person: Person, *, limit: int = 50) -> QuerySet[BarrierChange]:
    return BarrierChange.objects.filter(person=person).order_by("-created_at", "-id")[:limit]


def barrier_history_lines(person: Person) -> list[tuple[BarrierChange, str]]:
    """The checklist's latest changes, each with its line's words (a concern of another
    leader level included), never the line's key."""
    labels = {b.key: b.name for b in CATALOGUE.barriers} | {
        c.key: c.text for level in CATALOGUE.leader_levels for c in level.concerns
    }
    return [
        (change, labels.get(change.key, "A line no longer in the framework"))
        for change in barrier_history(person)
    ]


@dataclass(frozen=True)
class FrequencyRow:
    key: str
    name: str
    kind: str
    counts: dict[str, int]  # level -> leaders who marked it (primary or secondary)
    primary: int
    total: int


def barrier_frequency(organisation: Organisation) -> dict[str, Any]:
    """How many leaders marked each barrier / concern, by leader level (two queries)."""
    levels: list[str] = [entry.level for entry in CATALOGUE.leader_levels]
    rows = (
        BarrierMark.objects.filter(organisation=organisation, person__active=True)
        .values_list("key", "weight", "person__leader_level")
        .order_by()
    )
    counts: Counter[tuple[str, str]] = Counter()
    primary: Counter[str] = Counter()
    for key, weight, person_level in rows:
        counts[(key, person_level or "none")] += 1
        if weight == "primary":
            primary[key] += 1
    leaders_by_level = Counter(
        Person.objects.filter(organisation=organisation, active=True)
        .exclude(leader_level="")
        .values_list("leader_level", flat=True)
        .order_by()
    )
    lines: list[tuple[str, str, str]] = [(b.key, b.name, "barrier") for b in CATALOGUE.barriers]
    for entry in CATALOGUE.leader_levels:
        lines += [(c.key, f"{c.text} ({entry.name})", "concern") for c in entry.concerns]
    table = []
    for key, name, kind in lines:
        by_level = {level: counts[(key, level)] for level in levels}
        total = sum(by_level.values()) + counts[(key, "none")]
        table.append(FrequencyRow(key, name, kind, by_level, primary[key], total))
    return {
        "levels": [{"key": entry.level, "name": entry.name} for entry in CATALOGUE.leader_levels],
        "leaders": {level: leaders_by_level.get(level, 0) for level in levels},
        "rows": table,
    }


# --- Facts for the generator -------------------------------------------------------------------


def sponsor_ids(organisation: Organisation, person_ids: Iterable[int] | None = None) -> set[int]:
    """Leaders who sponsor an AI initiative or hold the executive sponsor role."""
    from bellwether.initiatives.models import Initiative

    initiatives = Initiative.objects.filter(organisation=organisation)
    members = Membership.objects.filter(
        organisation=organisation, is_active=True, role_grants__role=Role.SPONSOR
    ).exclude(person=None)
    if person_ids is not None:
        ids = list(person_ids)
        initiatives = initiatives.filter(sponsor_id__in=ids)
        members = members.filter(person_id__in=ids)
    found = set(initiatives.values_list("sponsor_id", flat=True))
    found |= {pk for pk in members.values_list("person_id", flat=True) if pk is not None}
    return found


def pulse_figures(organisation: Organisation) -> tuple[generator.Figure, ...]:
    """The pulse KPIs that feed "employee perception", when a closed pulse has them."""
    from bellwether.surveys import selectors as surveys

    figures = []
    for read in (surveys.employee_confidence, surveys.communication_effectiveness):
        figure = read(organisation)
        if figure.value is not None:
            figures.append(
                generator.Figure(
                    ENGAGEMENT_METRIC_EMPLOYEE_PERCEPTION, figure.name, figure.value, figure.n
                )
            )
    return tuple(figures)


def _split_marks(marks: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    barriers = {k: v for k, v in marks.items() if k in BARRIER_KEYS}
    concerns = {k: v for k, v in marks.items() if k in CONCERN_KEYS}
    return barriers, concerns


def _drivers(profile: Any) -> dict[str, str]:
    """The engagement drivers of an influence profile (each in its field of that name)."""
    if profile is None:
        return {}
    return {
        driver.key: getattr(profile, driver.key.split(".", 1)[1], "") or ""
        for driver in CATALOGUE.engagement_drivers
    }


def facts_for(
    person: Person, *, start: datetime.date, resource_constraints: str = ""
) -> generator.LeaderFacts:
    """Everything the generator needs about one leader (a handful of queries)."""
    from bellwether.influence import selectors as influence

    organisation = person.organisation
    band = current_bands(organisation, person_ids=[person.pk]).get(person.pk)
    influencers = influence.influencers_of(organisation, person.pk)
    influencer_bands = current_bands(organisation, person_ids=[p.pk for p, _ in influencers])
    resistance = tuple(
        generator.Influencer(p.name, influencer_bands[p.pk].band_name)
        for p, _ in influencers
        if p.pk in influencer_bands and influencer_bands[p.pk].band_key in RESISTANT_BANDS
    )
    messengers = tuple(
        generator.Messenger(m.name, m.reason)
        for m in influence.messengers_for(organisation, person.pk)
    )
    barriers, concerns = _split_marks(marks_for(person))
    return generator.LeaderFacts(
        name=person.name,
        start=start,
        level=person.leader_level,
        role=person.title,
        band_key=band.band_key if band else None,
        sponsor=person.pk in sponsor_ids(organisation, [person.pk]),
        barriers=barriers,
        concerns=concerns,
        drivers=_drivers(influence.profile_for(organisation, person.pk)),
        failure_modes=band.failure_modes if band else (),
        influencer_resistance=resistance,
        messengers=messengers,
        resource_constraints=resource_constraints,
        figures=pulse_figures(organisation),
    )


def facts_for_many(
    organisation: Organisation, people: Sequence[Person], *, start: datetime.date
) -> dict[int, generator.LeaderFacts]:
    """The same facts for many leaders at once (the demo): a fixed number of queries."""
    from bellwether.influence import selectors as influence
    from bellwether.influence.models import InfluenceProfile

    ids = [p.pk for p in people]
    bands = current_bands(organisation)
    inputs = influence.network_inputs(organisation)
    messengers = influence.messengers_from(inputs, ids)
    influencers: dict[int, set[int]] = {}
    for _, source, target, _, _ in inputs.ties:
        influencers.setdefault(target, set()).add(source)
    for manager, report in inputs.lines:
        influencers.setdefault(report, set()).add(manager)
    names = {row.id: row.name for row in inputs.leaders}
    marks: dict[int, dict[str, str]] = {}
    for person_id, key, weight in BarrierMark.objects.filter(
        organisation=organisation, person_id__in=ids
    ).values_list("person_id", "key", "weight"):
        marks.setdefault(person_id, {})[key] = weight
    profiles = {p.person_id: p for p in InfluenceProfile.objects.filter(organisation=organisation)}
    sponsors = sponsor_ids(organisation)
    figures = pulse_figures(organisation)
    result = {}
    for person in people:
        band = bands.get(person.pk)
        barriers, concerns = _split_marks(marks.get(person.pk, {}))
        resistance = tuple(
            generator.Influencer(names[pk], bands[pk].band_name)
            for pk in sorted(influencers.get(person.pk, ()))
            if pk in bands and pk in names and bands[pk].band_key in RESISTANT_BANDS
        )
        result[person.pk] = generator.LeaderFacts(
            name=person.name,
            start=start,
            level=person.leader_level,
            role=person.title,
            band_key=band.band_key if band else None,
            sponsor=person.pk in sponsors,
            barriers=barriers,
            concerns=concerns,
            drivers=_drivers(profiles.get(person.pk)),
            failure_modes=band.failure_modes if band else (),
            influencer_resistance=resistance,
            messengers=tuple(
                generator.Messenger(m.name, m.reason) for m in messengers.get(person.pk, [])
            ),
            figures=figures,
        )
    return result


# --- Plans ---------------------------------------------------------------------------------------

NO_PLAN = "none"  # the status filter for leaders without a plan


def plans_for(
    membership: Membership,
    *,
    status: str = "",
    level: str = "",
    query: str = "",
    overdue: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Person]:
    """The active leaders whose plans the member may see, by name, with their plan (its
    content left out): the plans list of the page and the API alike. Filters: ``status``
    (a plan status, or ``"none"`` for leaders without a plan), ``level`` (a leader
    level), ``query`` (words of the name), ``overdue`` (a review is past due); a filter
    left empty or unknown filters nothing."""
    people = access.visible_engagement_people(
        membership, Person.objects.filter(active=True).exclude(leader_level="")
    )
    if status == NO_PLAN:
        people = people.filter(engagement_plan__isnull=True)
    elif status in PlanStatus.values:
        people = people.filter(engagement_plan__status=status)
    if level in LeaderLevel.values:
        people = people.filter(leader_level=level)
    if query.strip():
        people = people.filter(name__icontains=query.strip())
    if overdue:
        people = people.filter(engagement_plan__next_review_due__lt=today or timezone.localdate())
    return (
        people.select_related("org_unit", "engagement_plan")
        .defer("engagement_plan__content")
        .order_by("name", "id")
    )


@dataclass(frozen=True)
class PlanRow:
    """A line of the plans list: the leader, their plan (or None), band and lateness."""

    person: Person
    plan: EngagementPlan | None
    band: CurrentBand | None
    overdue: bool


def plan_rows(
    organisation: Organisation, people: Iterable[Person], today: datetime.date | None = None
) -> list[PlanRow]:
    """The rows of one page of ``plans_for`` with each leader's current band (two
    queries more)."""
    today = today or timezone.localdate()
    people = list(people)
    bands = current_bands(organisation, person_ids=[p.pk for p in people])
    rows = []
    for person in people:
        plan = getattr(person, "engagement_plan", None)
        overdue = plan is not None and is_overdue(plan, today)
        rows.append(PlanRow(person, plan, bands.get(person.pk), overdue))
    return rows


def plan_of(person: Person) -> EngagementPlan | None:
    return EngagementPlan.objects.filter(person=person).first()


def plans(organisation: Organisation) -> QuerySet[EngagementPlan]:
    return (
        EngagementPlan.objects.filter(organisation=organisation)
        .select_related("person", "person__org_unit")
        .defer("content")
    )


def is_overdue(plan: EngagementPlan, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return plan.next_review_due is not None and plan.next_review_due < today


def revisions(plan: EngagementPlan) -> QuerySet[PlanRevision]:
    return plan.revisions.order_by("-number")


def done_reviews(plan: EngagementPlan) -> set[tuple[str, datetime.date]]:
    return set(plan.reviews.values_list("cadence_key", "due_date"))


def band_name(key: str) -> str:
    return generator.band_label(key or None)


# --- the task inbox ---------------------------------------------------------------------------

# A plan review due within this many days is already in the inbox, so it can be prepared.
REVIEW_NOTICE_DAYS = 7


def inbox_items(membership: Membership, *, today: datetime.date) -> list[InboxItem]:
    """Plan reviews the member runs (admins: every plan; coaches: their coachees') due
    within a week or overdue: one item per leader for a coach, one summary for an admin."""
    if not membership.has_role(Role.ADMIN, Role.COACH):
        return []
    horizon = today + datetime.timedelta(days=REVIEW_NOTICE_DAYS)
    due = access.visible_engagement_people(
        membership, Person.objects.filter(active=True).exclude(leader_level="")
    ).filter(engagement_plan__next_review_due__lte=horizon)
    if membership.has_role(Role.ADMIN):
        overdue = due.filter(engagement_plan__next_review_due__lt=today).count()
        if not overdue:
            return []
        return [
            InboxItem(
                kind="engagement.review_overdue",
                title=f"{overdue} engagement plan review{'s' if overdue != 1 else ''} overdue",
                url=reverse("engagement:home") + "?overdue=1",
                due=today - datetime.timedelta(days=1),
                count=overdue,
            )
        ]
    rows = due.select_related("engagement_plan").order_by(
        "engagement_plan__next_review_due", "name"
    )[:50]
    return [
        InboxItem(
            kind="engagement.review",
            title=f"Review {person.name}'s engagement plan",
            url=reverse("engagement:plan", args=[person.pk]),
            due=person.engagement_plan.next_review_due,
        )
        for person in rows
    ]


def plan_content_for(membership: Membership, plan: EngagementPlan) -> dict[str, Any]:
    """The plan as this member may read it: the leader themselves sees how many of the
    people who influence them are resistant, not who or in which band (leaders see their
    own band only). The success metrics are read live for the leader, not as generated."""
    content = dict(plan.content)
    obstacles = dict(content.get("obstacles") or {})
    resistance = obstacles.get("influencer_resistance") or []
    if resistance and not access.VIEW_INFLUENCER_BANDS.allows(membership, plan.person):
        obstacles["influencer_resistance"] = []
        obstacles["influencer_resistance_count"] = len(resistance)
        content["obstacles"] = obstacles
    from bellwether.engagement.selectors_metrics import live_metrics

    content["metrics"] = live_metrics(plan.person)
    return content
