"""Reads shared by the readiness pages, the API, and other modules (influence, plans).

Other modules read a leader's band ONLY through ``current_bands``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Count, FilteredRelation, Q, QuerySet

from bellwether.accounts.models import Assignment, Membership
from bellwether.accounts.roles import Role
from bellwether.assessments.models import (
    Category,
    CycleLeader,
    LeaderResult,
    Rater,
    RaterChange,
    ReadinessCycle,
)
from bellwether.assessments.records import of_record_first as of_record_first
from bellwether.assessments.selectors_kpi import FluencyRow as FluencyRow
from bellwether.assessments.selectors_kpi import fluency_counts as fluency_counts
from bellwether.assessments.selectors_kpi import fluency_rows as fluency_rows
from bellwether.assessments.selectors_kpi import (
    released_cycles_closed_by as released_cycles_closed_by,
)
from bellwether.core.models import Organisation, org_id_of
from bellwether.framework import catalogue
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys.models import InstrumentVersion, Invitation, Question


@dataclass(frozen=True)
class CurrentBand:
    person_id: int
    band_key: str
    band_name: str
    total: float
    self_reported: bool
    cycle_id: int
    cycle_name: str
    scored_at: dt.datetime
    failure_modes: tuple[str, ...]
    priorities: tuple[str, ...]


def current_bands(
    organisation: Organisation | int, *, person_ids: Iterable[int] | None = None
) -> dict[int, CurrentBand]:
    """Each leader's band of record (see ``of_record_first``), in two queries: the
    candidates' keys first, then the chosen rows."""
    org_id = org_id_of(organisation)
    rows = LeaderResult.objects.filter(organisation_id=org_id, total__isnull=False).exclude(
        band_key=""
    )
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return {}
        rows = rows.filter(person_id__in=ids)
    latest: dict[int, int] = {}
    for pk, person_id in of_record_first(rows).values_list("pk", "person_id"):
        latest.setdefault(person_id, pk)
    if not latest:
        return {}
    out: dict[int, CurrentBand] = {}
    for result in (
        LeaderResult.objects.filter(pk__in=list(latest.values()))
        .select_related("cycle")
        .only(
            "person_id",
            "band_key",
            "total",
            "self_reported",
            "computed_at",
            "failure_modes",
            "priorities",
            "cycle__id",
            "cycle__name",
        )
    ):
        out[result.person_id] = CurrentBand(
            person_id=result.person_id,
            band_key=result.band_key,
            band_name=catalogue.band(result.band_key).name,
            total=float(result.total or 0),
            self_reported=result.self_reported,
            cycle_id=result.cycle_id,
            cycle_name=result.cycle.name,
            scored_at=result.computed_at,
            failure_modes=tuple(result.failure_modes or ()),
            priorities=tuple(result.priorities or ()),
        )
    return out


def banded_leaders(
    organisation: Organisation | int, *, person_ids: Iterable[int] | None = None
) -> QuerySet[LeaderResult, Any]:
    """The leaders who have a band of record (``current_bands``), one row each
    (``person_id``): what the API's band list pages through, by person id."""
    org_id = org_id_of(organisation)
    rows = of_record_first(
        LeaderResult.objects.filter(organisation_id=org_id, total__isnull=False).exclude(
            band_key=""
        )
    )
    if person_ids is not None:
        rows = rows.filter(person_id__in=list(person_ids))
    return rows.order_by().values("person_id").distinct()


def cycles_for(organisation: Organisation) -> QuerySet[ReadinessCycle]:
    """Cycles with leader counts and self/rating completion, newest first (one query)."""
    return (
        ReadinessCycle.objects.filter(organisation=organisation)
        .select_related("campaign")
        .order_by("-opens_at", "-id")
    )


@dataclass(frozen=True)
class CycleCounts:
    leaders: int
    invited: int
    completed: int
    self_invited: int
    self_completed: int
    proposed: int

    @property
    def completion(self) -> float | None:
        return self.completed / self.invited if self.invited else None

    @property
    def completion_percent(self) -> int | None:
        share = self.completion
        return None if share is None else round(share * 100)


def live_invitations(campaign_ids: list[int], **filters: Any) -> QuerySet[Invitation]:
    """The campaigns' live (unrevoked) invitations, each with its completion, if any, as
    ``answered`` (count it with ``Count("answered")``). The join names the campaigns on
    the completion's side too, so the database reads only their completions through the
    completion's campaign index, not every completion of every pulse (1.5M at scale)."""
    return Invitation.objects.filter(
        campaign_id__in=campaign_ids, revoked_at__isnull=True, **filters
    ).annotate(
        answered=FilteredRelation(
            "completion", condition=Q(completion__campaign_id__in=campaign_ids)
        )
    )


def cycle_counts(cycles: Iterable[ReadinessCycle]) -> dict[int, CycleCounts]:
    """Progress figures of several cycles in three queries."""
    by_campaign = {c.campaign_id: c.pk for c in cycles}
    if not by_campaign:
        return {}
    leaders = dict(
        CycleLeader.objects.filter(cycle_id__in=list(by_campaign.values()))
        .values("cycle_id")
        .annotate(n=Count("id"))
        .values_list("cycle_id", "n")
    )
    proposed = dict(
        Rater.objects.filter(cycle_id__in=list(by_campaign.values()), status=Rater.Status.PROPOSED)
        .values("cycle_id")
        .annotate(n=Count("id"))
        .values_list("cycle_id", "n")
    )
    figures: dict[int, Any] = {}
    for row in (
        live_invitations(list(by_campaign))
        .values("campaign_id")
        .annotate(
            invited=Count("id"),
            completed=Count("answered"),
            self_invited=Count("id", filter=Q(category=Category.SELF)),
            self_completed=Count("answered", filter=Q(category=Category.SELF)),
        )
    ):
        figures[by_campaign[row["campaign_id"]]] = row
    out = {}
    for _campaign_id, cycle_id in by_campaign.items():
        counts_row = figures.get(cycle_id, {})
        out[cycle_id] = CycleCounts(
            leaders=leaders.get(cycle_id, 0),
            invited=counts_row.get("invited", 0),
            completed=counts_row.get("completed", 0),
            self_invited=counts_row.get("self_invited", 0),
            self_completed=counts_row.get("self_completed", 0),
            proposed=proposed.get(cycle_id, 0),
        )
    return out


@dataclass
class CategoryProgress:
    invited: int = 0
    completed: int = 0


@dataclass
class LeaderProgress:
    person_id: int
    name: str
    title: str
    unit: str
    self_done: bool = False
    self_invited: bool = False
    categories: dict[str, CategoryProgress] | None = None
    proposed: int = 0

    @property
    def invited(self) -> int:
        return sum(c.invited for c in (self.categories or {}).values())

    @property
    def completed(self) -> int:
        return sum(c.completed for c in (self.categories or {}).values())

    def category(self, key: str) -> CategoryProgress:
        return (self.categories or {}).get(key, CategoryProgress())

    @property
    def manager(self) -> CategoryProgress:
        return self.category(Category.MANAGER)

    @property
    def peer(self) -> CategoryProgress:
        return self.category(Category.PEER)

    @property
    def direct_report(self) -> CategoryProgress:
        return self.category(Category.DIRECT_REPORT)


@dataclass(frozen=True)
class Progress:
    leaders: list[LeaderProgress]
    by_category: dict[str, CategoryProgress]


def cycle_progress(cycle: ReadinessCycle, *, person_ids: Iterable[int] | None = None) -> Progress:
    """Completion by leader and by rater category (counts only: never who answered what).
    Three queries whatever the number of leaders."""
    leader_rows = CycleLeader.objects.filter(cycle=cycle).select_related("person__org_unit")
    if person_ids is not None:
        leader_rows = leader_rows.filter(person_id__in=list(person_ids))
    leaders: dict[int, LeaderProgress] = {}
    for leader_row in leader_rows.order_by("person__name", "person_id"):
        p = leader_row.person
        leaders[p.pk] = LeaderProgress(
            person_id=p.pk,
            name=p.name,
            title=p.title,
            unit=p.org_unit.name if p.org_unit else "",
            categories={},
        )
    by_category: dict[str, CategoryProgress] = {c.value: CategoryProgress() for c in Category}
    counts = (
        live_invitations([cycle.campaign_id], subject_id__in=list(leaders))
        .values("subject_id", "category")
        .annotate(invited=Count("id"), completed=Count("answered"))
    )
    for row in counts:
        leader = leaders.get(row["subject_id"])
        if leader is None:
            continue
        if row["category"] == Category.SELF:
            leader.self_invited = row["invited"] > 0
            leader.self_done = row["completed"] > 0
        cats = leader.categories if leader.categories is not None else {}
        cell = cats.setdefault(row["category"], CategoryProgress())
        cell.invited += row["invited"]
        cell.completed += row["completed"]
        total = by_category.setdefault(row["category"], CategoryProgress())
        total.invited += row["invited"]
        total.completed += row["completed"]
    for leader_id, n in (
        Rater.objects.filter(cycle=cycle, status=Rater.Status.PROPOSED, leader_id__in=list(leaders))
        .values("leader_id")
        .annotate(n=Count("id"))
        .values_list("leader_id", "n")
    ):
        leaders[leader_id].proposed = n
    return Progress(leaders=list(leaders.values()), by_category=by_category)


def cycle_progress_page(
    cycle: ReadinessCycle, *, query: str, page_number: Any, per_page: int
) -> tuple[Page, dict[str, CategoryProgress]]:
    """The cycle page's table: one page of leaders (by name, narrowed by ``query`` as
    ``cycle_leader_ids`` narrows) with their progress, and the totals by rater category
    over every leader the query matches. Only the page's rows are built (fixed queries
    whatever the number of leaders): the same figures as ``cycle_progress`` over all."""
    rows = cycle.leaders.all()
    if query:
        rows = rows.filter(Q(person__name__icontains=query) | Q(person__employee_id__iexact=query))
    ids = rows.order_by("person__name", "person_id").values_list("person_id", flat=True)
    page = Paginator(ids, per_page).get_page(page_number)
    page.object_list = cycle_progress(cycle, person_ids=list(page.object_list)).leaders  # type: ignore[assignment]
    totals: dict[str, CategoryProgress] = {c.value: CategoryProgress() for c in Category}
    for row in (
        live_invitations([cycle.campaign_id], subject_id__in=rows.values("person_id"))
        .values("category")
        .annotate(invited=Count("id"), completed=Count("answered"))
        .order_by()
    ):
        cell = totals.setdefault(row["category"], CategoryProgress())
        cell.invited += row["invited"]
        cell.completed += row["completed"]
    return page, totals


def category_totals(cycle: ReadinessCycle) -> dict[str, CategoryProgress]:
    """Invited and answered ratings per category for the whole cycle (one query)."""
    totals: dict[str, CategoryProgress] = {c.value: CategoryProgress() for c in Category}
    for row in (
        live_invitations([cycle.campaign_id])
        .values("category")
        .annotate(invited=Count("id"), completed=Count("answered"))
    ):
        cell = totals.setdefault(row["category"], CategoryProgress())
        cell.invited += row["invited"]
        cell.completed += row["completed"]
    return totals


def raters_for(cycle: ReadinessCycle, leader_id: int) -> list[Rater]:
    """A leader's rater rows with people, for the admin's rater page (who is asked, never
    what they answered)."""
    return list(
        Rater.objects.filter(cycle=cycle, leader_id=leader_id)
        .select_related("person", "invitation__completion")
        .order_by("status", "category", "person__name")
    )


def cycles_of_leader(organisation: Organisation, person_id: int) -> list[ReadinessCycle]:
    return list(
        ReadinessCycle.objects.filter(organisation=organisation, leaders__person_id=person_id)
        .select_related("campaign")
        .order_by("-opens_at")
    )


def self_invitation(cycle: ReadinessCycle, person_id: int) -> Invitation | None:
    return (
        Invitation.objects.filter(
            campaign_id=cycle.campaign_id,
            person_id=person_id,
            subject_id=person_id,
            category=Category.SELF,
            revoked_at__isnull=True,
        )
        .select_related("completion")
        .first()
    )


def rater_changes(cycle: ReadinessCycle, leader_id: int) -> list[RaterChange]:
    """A leader's late rater changes, for the admin's rater page (audited anyway)."""
    return list(
        RaterChange.objects.filter(cycle=cycle, leader_id=leader_id)
        .select_related("person", "actor")
        .order_by("created_at", "id")
    )


# --- rows the access helpers look objects up in ----------------------------------------------


def cycles() -> QuerySet[ReadinessCycle]:
    """Every cycle, with what its pages show beside it (the access helper narrows it to
    the member's organisation)."""
    return ReadinessCycle.objects.select_related("campaign", "organisation")


def people() -> QuerySet[Person]:
    """People, with their unit (the access helpers narrow them to the organisation)."""
    return Person.objects.select_related("org_unit")


def cycle_leader_people(cycle: ReadinessCycle) -> QuerySet[Person]:
    """The people a cycle assesses."""
    return Person.objects.select_related("org_unit", "manager").filter(
        pk__in=CycleLeader.objects.filter(cycle=cycle).values("person_id")
    )


def is_cycle_leader(cycle: ReadinessCycle, person_id: int) -> bool:
    return CycleLeader.objects.filter(cycle=cycle, person_id=person_id).exists()


def raters_of(cycle: ReadinessCycle) -> QuerySet[Rater]:
    return Rater.objects.select_related("cycle__organisation", "invitation").filter(cycle=cycle)


# --- reads of the pages and the API ----------------------------------------------------------


def cycle_leader_ids(
    cycle: ReadinessCycle, *, query: str = "", offset: int = 0, limit: int | None = None
) -> list[int]:
    """The ids of a cycle's leaders, by id; narrowed by ``query`` (part of the name, or
    the exact employee ID) as on the cycle page and in the API."""
    rows = cycle.leaders.all()
    if query:
        rows = rows.filter(Q(person__name__icontains=query) | Q(person__employee_id__iexact=query))
    ids = rows.order_by("person_id").values_list("person_id", flat=True)
    return list(ids[offset : offset + limit] if limit is not None else ids[offset:])


def person_in(organisation_id: int, pk: int) -> Person | None:
    return Person.objects.filter(organisation_id=organisation_id, pk=pk).first()


def active_person_by_handle(organisation_id: int, handle: str) -> Person | None:
    """The active person whose employee ID or e-mail is ``handle`` (any case)."""
    return (
        Person.objects.filter(organisation_id=organisation_id, active=True)
        .filter(Q(employee_id__iexact=handle) | Q(email__iexact=handle))
        .first()
    )


def coachees(membership: Membership) -> list[Person]:
    """The people the member coaches, by name."""
    return list(
        Person.objects.filter(
            organisation_id=membership.organisation_id,
            pk__in=Assignment.objects.filter(
                membership=membership, kind=Assignment.Kind.COACHEE
            ).values("person_id"),
        ).order_by("name")
    )


def band_person_ids(membership: Membership) -> list[int] | None:
    """Whose current bands the member may list: everyone (None) for admins and sponsors;
    otherwise their own (a leader) and their coachees' (a coach)."""
    if membership.has_role(Role.ADMIN, Role.SPONSOR):
        return None
    allowed = {p.pk for p in coachees(membership)} if membership.has_role(Role.COACH) else set()
    if membership.person_id is not None and membership.has_role(Role.LEADER):
        allowed.add(membership.person_id)
    return sorted(allowed)


def launch_units(organisation: Organisation) -> QuerySet[OrgUnit]:
    """The org units a cycle may be launched for (the top two levels)."""
    return OrgUnit.objects.filter(organisation=organisation, depth__lte=2)


def active_leaders(organisation: Organisation) -> QuerySet[Person]:
    return (
        Person.objects.filter(organisation=organisation, active=True)
        .exclude(leader_level="")
        .order_by("name")
    )


def wording_of(version: InstrumentVersion | None) -> dict[str, str]:
    """The question texts of an instrument version, by item key."""
    if version is None:
        return {}
    return dict(Question.objects.filter(version=version).values_list("key", "text"))


def released_cycle(organisation_id: int, cycle_id: int | None) -> ReadinessCycle | None:
    """The organisation's cycle with this id, or by default its latest released one."""
    rows = ReadinessCycle.objects.filter(organisation_id=organisation_id).select_related("campaign")
    if cycle_id is not None:
        return rows.filter(pk=cycle_id).first()
    return rows.filter(released_at__isnull=False).order_by("-opens_at", "-id").first()


def released_cycle_before(cycle: ReadinessCycle) -> ReadinessCycle | None:
    """The organisation's latest released cycle that opened before ``cycle``."""
    return (
        ReadinessCycle.objects.filter(
            organisation_id=cycle.organisation_id,
            opens_at__lt=cycle.opens_at,
            released_at__isnull=False,
        )
        .order_by("-opens_at", "-id")
        .first()
    )


def current_dimension_scores(
    organisation: Organisation | int, *, person_ids: Iterable[int] | None = None
) -> dict[int, dict[str, float | None]]:
    """Each leader's record score per readiness dimension, from their result of record
    (see ``of_record_first``); leaders without a released result are left out."""
    org_id = org_id_of(organisation)
    rows = LeaderResult.objects.filter(organisation_id=org_id, total__isnull=False)
    if person_ids is not None:
        ids = list(person_ids)
        if not ids:
            return {}
        rows = rows.filter(person_id__in=ids)
    out: dict[int, dict[str, float | None]] = {}
    for person_id, dims in of_record_first(rows).values_list("person_id", "dimensions"):
        if person_id in out:
            continue
        out[person_id] = dict(dims or {})
    return out
