"""Reads about people and org units, shared by the pages, the API and the CLI.

Everything here is sized for one organisation of 100,000 people and thousands of
units: counts are aggregated in SQL per unit, lists are paginated by the caller,
and the org chart is read one level at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.db.models import Count, Max, Q, QuerySet

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.core.models import Organisation
from bellwether.people import access
from bellwether.people.models import ImportJob, LeaderLevel, OrgUnit, Person
from bellwether.people.orgchart import (
    HeadCandidate,
    UnitCount,
    common_path,
    path_ids,
    pick_heads,
    roll_up,
)

MAX_SEARCH_TERMS = 5
MANAGER_CHAIN_LIMIT = 50  # deeper than any real hierarchy; also stops on bad data loops


class LevelFilter(StrEnum):
    """The leader-level filter: one level, any leader, or nobody with a level."""

    EXECUTIVE = LeaderLevel.EXECUTIVE.value
    SENIOR = LeaderLevel.SENIOR.value
    OPERATIONAL = LeaderLevel.OPERATIONAL.value
    LEADERS = "leaders"
    NOT_LEADERS = "none"


class StatusFilter(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"
    ALL = "all"


LEVEL_FILTER_LABELS: dict[LevelFilter, str] = {
    LevelFilter.EXECUTIVE: "Executive",
    LevelFilter.SENIOR: "Senior",
    LevelFilter.OPERATIONAL: "Operational",
    LevelFilter.LEADERS: "Leaders only",
    LevelFilter.NOT_LEADERS: "Not a leader",
}
STATUS_FILTER_LABELS: dict[StatusFilter, str] = {
    StatusFilter.ACTIVE: "Active",
    StatusFilter.INACTIVE: "Inactive",
    StatusFilter.ALL: "Active and inactive",
}


@dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    org_unit: OrgUnit | None = None  # includes the unit's descendants
    manager: Person | None = None  # direct reports of this person
    level: LevelFilter | None = None
    status: StatusFilter = StatusFilter.ACTIVE


# --- people ---------------------------------------------------------------------


def search_people(people: QuerySet[Person], q: str) -> QuerySet[Person]:
    """Every word must appear (case-insensitively) in the name, email, employee id or title."""
    for term in q.split()[:MAX_SEARCH_TERMS]:
        people = people.filter(
            Q(name__icontains=term)
            | Q(email__icontains=term)
            | Q(employee_id__icontains=term)
            | Q(title__icontains=term)
        )
    return people


PICKER_RESULTS = 10  # a person picker's suggestions: a few, never the directory
PICKER_MIN_CHARS = 2


def picker_people(
    membership: Membership, q: str, *, leaders: bool = False
) -> tuple[list[Person], bool]:
    """What a person picker suggests to ``membership`` for ``q``: active people it may
    pick (``access.pickable_people``: never another organisation's) whose name, e-mail,
    employee ID or title hold every word (leaders only with ``leaders``), by name; at
    most ``PICKER_RESULTS``, and whether there were more. Nothing for fewer than
    ``PICKER_MIN_CHARS`` characters."""
    q = q.strip()[:200]
    if len(q) < PICKER_MIN_CHARS:
        return [], False
    people = access.pickable_people(membership, Person.objects.filter(active=True))
    if leaders:
        people = people.exclude(leader_level="")
    found = list(
        search_people(people, q)
        .select_related("org_unit")
        .only("pk", "name", "email", "employee_id", "title", "org_unit__name")
        .order_by("name", "pk")[: PICKER_RESULTS + 1]
    )
    return found[:PICKER_RESULTS], len(found) > PICKER_RESULTS


def picker_units(organisation: Organisation, q: str) -> tuple[list[OrgUnit], bool]:
    """What a unit picker suggests for ``q``: the organisation's units whose name or
    code holds every word, by name; at most ``PICKER_RESULTS``, and whether there were
    more. Nothing for fewer than ``PICKER_MIN_CHARS`` characters."""
    q = q.strip()[:200]
    if len(q) < PICKER_MIN_CHARS:
        return [], False
    units = OrgUnit.objects.filter(organisation=organisation)
    for word in q.split()[:5]:
        units = units.filter(Q(name__icontains=word) | Q(code__icontains=word))
    found = list(
        units.select_related("parent")
        .only("pk", "name", "code", "parent__name")
        .order_by("name", "pk")[: PICKER_RESULTS + 1]
    )
    return found[:PICKER_RESULTS], len(found) > PICKER_RESULTS


def unit_named(organisation: Organisation, text: str) -> OrgUnit | None:
    """The unit a filter names: its id (links and the API), or its code as a unit
    picker submits it (case-insensitive); None when the organisation has no such unit."""
    text = text.strip()
    if not text:
        return None
    units = OrgUnit.objects.filter(organisation=organisation)
    if text.isdigit() and len(text) < 11:
        found = units.filter(pk=int(text)).first()
        if found is not None:
            return found
    return units.filter(code__iexact=text[:64]).order_by("pk").first()


def filter_people(people: QuerySet[Person], filters: PeopleFilters) -> QuerySet[Person]:
    if filters.q.strip():
        people = search_people(people, filters.q)
    if filters.org_unit is not None:
        # The unit's own path is a prefix of every descendant's: one indexed LIKE.
        people = people.filter(org_unit__path__startswith=filters.org_unit.path)
    if filters.manager is not None:
        people = people.filter(manager=filters.manager)
    if filters.level == LevelFilter.LEADERS:
        people = people.exclude(leader_level="")
    elif filters.level == LevelFilter.NOT_LEADERS:
        people = people.filter(leader_level="")
    elif filters.level is not None:
        people = people.filter(leader_level=filters.level.value)
    if filters.status == StatusFilter.ACTIVE:
        people = people.filter(active=True)
    elif filters.status == StatusFilter.INACTIVE:
        people = people.filter(active=False)
    return people


# The people lists' order: by name, then id (unique), so a cursor names one position.
PEOPLE_ORDER = ("name", "id")


def people_for(membership: Membership, filters: PeopleFilters | None = None) -> QuerySet[Person]:
    """The people this member may see, filtered, with what a list row shows loaded."""
    people = access.visible_people(membership, Person.objects.all())
    people = filter_people(people, filters or PeopleFilters())
    return people.select_related("org_unit", "manager").order_by(*PEOPLE_ORDER)


def people_with_placement() -> QuerySet[Person]:
    """People with their unit and manager loaded (a person's page, the API's person)."""
    return Person.objects.select_related("org_unit", "manager")


def person_by_employee_id(organisation: Organisation, employee_id: str) -> Person | None:
    return Person.objects.filter(organisation=organisation, employee_id=employee_id).first()


def organisation_summary(organisation: Organisation) -> dict[str, Any]:
    """Head counts for the organisation's home page: people, leaders per level, units."""
    counts = Person.objects.filter(organisation=organisation).aggregate(
        people=Count("id", filter=Q(active=True)),
        inactive=Count("id", filter=Q(active=False)),
        leaders=Count("id", filter=Q(active=True) & ~Q(leader_level="")),
        **{
            f"level_{level.value}": Count("id", filter=Q(active=True, leader_level=level.value))
            for level in LeaderLevel
        },
    )
    counts["org_units"] = OrgUnit.objects.filter(organisation=organisation).count()
    counts["levels"] = [
        {"value": level.value, "label": level.label, "count": counts[f"level_{level.value}"]}
        for level in LeaderLevel
    ]
    return counts


def org_unit_in(organisation: Organisation, pk: int) -> OrgUnit | None:
    """A unit of this organisation by id, for resolving a filter (None if unknown)."""
    return OrgUnit.objects.filter(organisation=organisation, pk=pk).first()


def person_in(membership: Membership, pk: int) -> Person | None:
    """A person this member may see, for resolving a filter (None if unknown or hidden)."""
    return access.visible_people(membership, Person.objects.filter(pk=pk)).first()


def unit_ancestors(unit: OrgUnit) -> list[OrgUnit]:
    """The unit's ancestors root first, then the unit itself: one query."""
    ids = path_ids(unit.path)
    by_id = {
        u.pk: u for u in OrgUnit.objects.filter(organisation_id=unit.organisation_id, pk__in=ids)
    }
    trail = [by_id[i] for i in ids if i in by_id and i != unit.pk]
    return [*trail, unit]


def manager_chain(person: Person, *, limit: int = MANAGER_CHAIN_LIMIT) -> list[Person]:
    """The person's manager, their manager, and so on up to the top.

    Loads four levels per query, so a ten-level hierarchy costs three queries.
    Stops on a loop in the data (A manages B manages A) instead of spinning.
    """
    step = "manager__manager__manager__manager"
    chain: list[Person] = []
    seen = {person.pk}
    next_id = person.manager_id
    while next_id is not None:
        current: Person | None = (
            Person.objects.select_related(step)
            .filter(organisation_id=person.organisation_id, pk=next_id)
            .first()
        )
        next_id = None
        while current is not None:
            if current.pk in seen or len(chain) >= limit:
                return chain
            chain.append(current)
            seen.add(current.pk)
            if current.manager_id is None:
                return chain
            if Person.manager.is_cached(current):
                current = current.manager
            else:
                # Past what select_related loaded: fetch the next four levels.
                next_id = current.manager_id
                current = None
    return chain


def direct_reports(person: Person, *, active_only: bool = True) -> QuerySet[Person]:
    reports = Person.objects.filter(organisation_id=person.organisation_id, manager=person)
    if active_only:
        reports = reports.filter(active=True)
    return reports.select_related("org_unit").order_by("name", "id")


def account_roles(person: Person) -> list[str] | None:
    """The labels of the Bellwether roles held through this person's active accounts,
    or None when they have no account. Two queries (memberships, their grants)."""
    memberships = list(
        Membership.objects.filter(
            organisation_id=person.organisation_id, person=person, is_active=True
        ).prefetch_related("role_grants")
    )
    if not memberships:
        return None
    roles: set[Role] = set()
    for membership in memberships:
        roles |= membership.roles
    return sorted(role.label for role in roles)


# --- org units ----------------------------------------------------------------------


@dataclass(frozen=True)
class UnitNode:
    """One org-chart node: the unit, its subtree's counts, its head, whether it has children."""

    unit: OrgUnit
    people: int
    leaders: int
    child_count: int
    head: HeadCandidate | None

    @property
    def has_children(self) -> bool:
        return self.child_count > 0


def org_units_for(
    organisation: Organisation,
    *,
    parent: OrgUnit | None = None,
    roots: bool = False,
    q: str = "",
) -> QuerySet[OrgUnit]:
    """The organisation's units in tree order (by path): those directly below ``parent``,
    or only the top-level ones (``roots``), matching the words ``q``."""
    units = OrgUnit.objects.filter(organisation=organisation).order_by("path")
    if parent is not None:
        units = units.filter(parent=parent)
    if roots:
        units = units.filter(parent__isnull=True)
    return search_org_units(units, q)


def top_units(organisation: Organisation, *, max_depth: int, limit: int) -> list[OrgUnit]:
    """The units down to ``max_depth`` in tree order, at most ``limit`` (a filter's options)."""
    return list(
        org_units_for(organisation)
        .filter(depth__lte=max_depth)
        .only("id", "name", "depth", "path")[:limit]
    )


def subtree_counts(organisation: Organisation, units: list[OrgUnit]) -> dict[str, tuple[int, int]]:
    """(active people, active leaders) in each unit's subtree, keyed by path.

    Two queries per call: people are counted per unit in SQL (grouped by the
    indexed unit id, within the units' common ancestor), then those per-unit rows,
    at most one per unit and never one per person, are summed up the tree.
    """
    if not units:
        return {}
    within = common_path([unit.path for unit in units])
    scope = OrgUnit.objects.filter(organisation=organisation)
    people = Person.objects.filter(organisation=organisation, active=True, org_unit__isnull=False)
    if within != "/":
        scope = scope.filter(path__startswith=within)
        people = people.filter(org_unit_id__in=scope.values("id"))
    paths = dict(scope.values_list("id", "path"))
    rows = (
        people.values("org_unit_id")
        .annotate(people=Count("id"), leaders=Count("id", filter=~Q(leader_level="")))
        .order_by()
    )
    counts = [
        UnitCount(paths[row["org_unit_id"]], row["people"], row["leaders"])
        for row in rows
        if row["org_unit_id"] in paths
    ]
    return roll_up(counts, [unit.path for unit in units])


def unit_heads(organisation: Organisation, unit_ids: list[int]) -> dict[int, HeadCandidate]:
    """The head of each unit: see ``orgchart.head_sort_key`` for the rule. One query."""
    if not unit_ids:
        return {}
    rows = (
        Person.objects.filter(organisation=organisation, active=True, org_unit_id__in=unit_ids)
        .exclude(leader_level="")
        .values_list(
            "org_unit_id", "id", "employee_id", "name", "leader_level", "manager__org_unit_id"
        )
        .order_by()
    )
    return pick_heads(
        HeadCandidate(
            unit_id=unit_id,
            person_id=person_id,
            employee_id=employee_id,
            name=name,
            leader_level=level,
            manager_in_unit=manager_unit_id == unit_id,
        )
        for unit_id, person_id, employee_id, name, level, manager_unit_id in rows
    )


def unit_nodes(organisation: Organisation, units: list[OrgUnit]) -> list[UnitNode]:
    """Decorate units with counts, heads and child counts: four queries whatever their number."""
    if not units:
        return []
    child_counts = dict(
        OrgUnit.objects.filter(organisation=organisation, parent_id__in=[u.pk for u in units])
        .values("parent_id")
        .annotate(n=Count("id"))
        .order_by()
        .values_list("parent_id", "n")
    )
    counts = subtree_counts(organisation, units)
    heads = unit_heads(organisation, [u.pk for u in units])
    return [
        UnitNode(
            unit=unit,
            people=counts.get(unit.path, (0, 0))[0],
            leaders=counts.get(unit.path, (0, 0))[1],
            child_count=child_counts.get(unit.pk, 0),
            head=heads.get(unit.pk),
        )
        for unit in units
    ]


def search_org_units(units: QuerySet[OrgUnit], q: str) -> QuerySet[OrgUnit]:
    """Every word must appear (case-insensitively) in the unit's name or code."""
    for term in q.split()[:MAX_SEARCH_TERMS]:
        units = units.filter(Q(name__icontains=term) | Q(code__icontains=term))
    return units


def child_units(organisation: Organisation, parent: OrgUnit | None) -> QuerySet[OrgUnit]:
    """The units directly below ``parent`` (the roots when None), by name."""
    units = OrgUnit.objects.filter(organisation=organisation)
    units = units.filter(parent__isnull=True) if parent is None else units.filter(parent=parent)
    return units.order_by("name", "id")


def unit_node(organisation: Organisation, unit: OrgUnit) -> UnitNode:
    return unit_nodes(organisation, [unit])[0]


# --- imports ------------------------------------------------------------------------


def import_jobs() -> QuerySet[ImportJob]:
    """Import jobs without their uploaded file, with who started them."""
    return ImportJob.objects.defer("content").select_related("created_by")


def import_job_with_file(job: ImportJob) -> ImportJob:
    """The same job with its uploaded file loaded (for reading its header while mapping
    columns); ``job`` came from ``access.get_import_job_for``, so access is settled."""
    return ImportJob.objects.get(pk=job.pk)


def recent_import_jobs(organisation: Organisation, *, limit: int = 10) -> list[ImportJob]:
    """The organisation's latest import jobs (default ordering), without file or errors."""
    return list(
        ImportJob.objects.filter(organisation=organisation)
        .defer("content", "errors")
        .select_related("created_by")[:limit]
    )


def leaders_in(
    organisation: Organisation, *, unit_path: str = "", level: str = ""
) -> QuerySet[Person]:
    """The active leaders of a unit's subtree and/or a level (all active leaders when
    both are empty), by name, with their unit: whom a leader-based KPI counts."""
    rows = Person.objects.filter(organisation=organisation, active=True).exclude(leader_level="")
    if unit_path:
        rows = rows.filter(org_unit__path__startswith=unit_path)
    if level:
        rows = rows.filter(leader_level=level)
    return rows.select_related("org_unit").order_by("name", "pk")


def leader_ids_in(organisation: Organisation, *, unit_path: str = "", level: str = "") -> list[int]:
    return list(
        leaders_in(organisation, unit_path=unit_path, level=level).values_list("pk", flat=True)
    )


def people_version(organisation: Organisation) -> tuple[Any, ...]:
    """A cheap summary of the organisation's people and units (how many, when one last
    changed): it changes whenever a person or unit is added, edited, moved, deactivated
    or erased, so what was computed from them can tell it is out of date."""
    people = Person.objects.filter(organisation=organisation).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    units = OrgUnit.objects.filter(organisation=organisation).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return (people["n"], people["last"], units["n"], units["last"])
