"""Reads of the influence map shared by pages, the API, panels, the worker and other apps."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from bellwether.assessments.selectors import current_bands
from bellwether.core.models import Organisation
from bellwether.influence import network
from bellwether.influence.models import (
    METRIC_FIELDS,
    AnalysisRun,
    InfluenceProfile,
    PlannerRun,
    ProfileRevision,
    RunStatus,
    Tie,
)
from bellwether.people.models import Person


def as_pk(leader_id: Any) -> int:
    """A leader id of the pure analytics (a person id here) as an int."""
    return int(leader_id)


def bands_for(
    organisation: Organisation, person_ids: Iterable[int] | None = None
) -> dict[int, str]:
    """Each assessed leader's current band key; a leader with no entry is not assessed."""
    ids = None if person_ids is None else list(person_ids)
    return {
        person_id: band.band_key
        for person_id, band in current_bands(organisation, person_ids=ids).items()
    }


def leaders(organisation: Organisation) -> QuerySet[Person]:
    """The people on the map: active leaders."""
    return Person.objects.filter(organisation=organisation, active=True).exclude(leader_level="")


def profile_for(organisation: Organisation, person_id: int) -> InfluenceProfile | None:
    return (
        InfluenceProfile.objects.filter(organisation=organisation, person_id=person_id)
        .select_related("person")
        .first()
    )


def revisions_for(profile: InfluenceProfile) -> QuerySet[ProfileRevision]:
    return profile.revisions.all()


def ties(organisation: Organisation, *, query: str = "", by_id: bool = False) -> QuerySet[Tie]:
    """The organisation's ties, by source and target name (or by id: the API's stable
    paging); ``query`` keeps those with the words in either leader's name."""
    rows = Tie.objects.filter(organisation=organisation).select_related(
        "source", "target", "source__org_unit", "target__org_unit"
    )
    query = query.strip()
    if query:
        rows = rows.filter(Q(source__name__icontains=query) | Q(target__name__icontains=query))
    return rows.order_by("id") if by_id else rows


def tie_page(organisation: Organisation, *, query: str = "", number: Any = None) -> Page[Any]:
    """One page of ``ties`` for the ties list: the page's ids are chosen by name over
    narrow rows (the tie and the two names), then only those ties are read with their
    leaders, so the sort never carries the people's whole rows."""
    ordered = ties(organisation, query=query).select_related(None).values_list("pk", flat=True)
    page: Page[Any] = Paginator(ordered, PAGE_SIZE).get_page(number)
    ids = list(page.object_list)
    found = Tie.objects.filter(pk__in=ids).select_related("source", "target").in_bulk()
    page.object_list = [found[pk] for pk in ids if pk in found]
    return page


def leader_choices(organisation_id: int) -> QuerySet[Person]:
    """The active leaders a tie may join (the tie form's choices)."""
    return (
        Person.objects.filter(organisation_id=organisation_id, active=True)
        .exclude(leader_level="")
        .only("id", "name", "title", "email", "employee_id")
    )


def leader_in(organisation: Organisation, person_id: int) -> Person | None:
    """The person with this id in the organisation, or None."""
    return Person.objects.filter(organisation=organisation, pk=person_id).first()


def influencers_of(organisation: Organisation, person_id: int) -> list[tuple[Person, int]]:
    """Who influences this person and how strongly, strongest first (then by name).

    The person's manager counts through the reporting line (strength 2) when the
    manager is an active leader and has no stronger recorded tie.
    """
    found: dict[int, tuple[Person, int]] = {}
    for tie in Tie.objects.filter(organisation=organisation, target_id=person_id).select_related(
        "source"
    ):
        found[tie.source_id] = (tie.source, tie.strength)
    person = (
        Person.objects.filter(organisation=organisation, pk=person_id)
        .select_related("manager")
        .first()
    )
    manager = person.manager if person is not None else None
    if manager is not None and manager.active and manager.leader_level:
        strength = network.REPORTING_LINE_STRENGTH
        if manager.pk not in found or found[manager.pk][1] < strength:
            found[manager.pk] = (manager, strength)
    return sorted(found.values(), key=lambda item: (-item[1], item[0].name, item[0].pk))


# --- The network as the analytics read it ----------------------------------------------------


@dataclass(frozen=True)
class LeaderRow:
    id: int
    name: str
    title: str
    unit_id: int | None
    unit_name: str
    level: str
    manager_id: int | None
    band_key: str | None
    metrics: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class NetworkInputs:
    leaders: tuple[LeaderRow, ...]
    # (tie id, source id, target id, strength, note): recorded ties between leaders on the map.
    ties: tuple[tuple[int, int, int, int, str], ...]
    # (manager id, report id): reporting lines between leaders on the map, computed.
    lines: tuple[tuple[int, int], ...]

    def by_id(self) -> dict[int, LeaderRow]:
        return {row.id: row for row in self.leaders}

    def as_network(self) -> tuple[list[network.Leader], list[network.Tie]]:
        nodes = [
            network.Leader(row.id, row.band_key, row.metrics, row.name) for row in self.leaders
        ]
        edges = [network.Tie(s, t, strength) for _, s, t, strength, _ in self.ties]
        edges += [network.reporting_line(m, r) for m, r in self.lines]
        return nodes, edges


def network_inputs(organisation: Organisation) -> NetworkInputs:
    """Leaders (with band and ratings), recorded ties and reporting lines, in 4 queries."""
    people = list(
        leaders(organisation)
        .select_related("org_unit")
        .only("id", "name", "title", "org_unit__name", "leader_level", "manager_id")
        .order_by("id")
    )
    ids = {person.pk for person in people}
    bands = bands_for(organisation)
    profiles = {
        profile.person_id: profile.metrics()
        for profile in InfluenceProfile.objects.filter(organisation=organisation)
    }
    rows = tuple(
        LeaderRow(
            id=person.pk,
            name=person.name,
            title=person.title,
            unit_id=person.org_unit_id,
            unit_name=person.org_unit.name if person.org_unit else "",
            level=person.leader_level,
            manager_id=person.manager_id,
            band_key=bands.get(person.pk),
            metrics=profiles.get(person.pk, {}),
        )
        for person in people
    )
    tie_rows = tuple(
        (tie_id, s, t, strength, note)
        for tie_id, s, t, strength, note in Tie.objects.filter(organisation=organisation)
        .order_by("source_id", "target_id")
        .values_list("id", "source_id", "target_id", "strength", "note")
        if s in ids and t in ids
    )
    lines = tuple(
        (person.manager_id, person.pk)
        for person in people
        if person.manager_id in ids and person.manager_id != person.pk
    )
    return NetworkInputs(rows, tie_rows, lines)


def influence_strengths(inputs: NetworkInputs) -> dict[tuple[int, int], int]:
    """(source id, target id) -> how strongly the source already influences the target
    (1–3): recorded ties, and reporting lines (manager -> report) at the reporting-line
    strength unless a stronger tie is recorded. Read by mentorship matching."""
    strengths: dict[tuple[int, int], int] = {}
    for manager_id, report_id in inputs.lines:
        strengths[(manager_id, report_id)] = network.REPORTING_LINE_STRENGTH
    for _, source, target, strength, _ in inputs.ties:
        strengths[(source, target)] = max(strength, strengths.get((source, target), 0))
    return strengths


# --- Messengers -------------------------------------------------------------------------------


@dataclass(frozen=True)
class MessengerView:
    person_id: int
    name: str
    band_key: str | None
    strength: int
    via_person_id: int | None
    via_name: str | None
    reason: str


def messengers_from(
    inputs: NetworkInputs, person_ids: Iterable[int] | None = None, *, limit: int = 5
) -> dict[int, list[MessengerView]]:
    """Best messengers for each Cautious/Skeptical/Resistant leader (or only ``person_ids``)."""
    nodes, edges = inputs.as_network()
    if person_ids is not None:
        wanted = set(person_ids)
        # Only ties ending at a wanted leader or at one of their direct influencers matter.
        near = wanted | {edge.source for edge in edges if edge.target in wanted}
        edges = [edge for edge in edges if edge.target in near]
    rows = inputs.by_id()
    found = network.messengers(nodes, edges, limit=limit)
    result: dict[int, list[MessengerView]] = {}
    for target, chosen in found.items():
        if person_ids is not None and target not in wanted:
            continue
        result[as_pk(target)] = [
            MessengerView(
                person_id=as_pk(m.messenger_id),
                name=rows[as_pk(m.messenger_id)].name,
                band_key=rows[as_pk(m.messenger_id)].band_key,
                strength=m.strength,
                via_person_id=None if m.via_id is None else as_pk(m.via_id),
                via_name=None if m.via_id is None else rows[as_pk(m.via_id)].name,
                reason=m.reason,
            )
            for m in chosen
        ]
    return result


def messengers_for(
    organisation: Organisation, person_id: int, *, limit: int = 5
) -> list[MessengerView]:
    """The Champions and Supporters best placed to influence this leader (empty when the
    leader is engaged, not assessed, or not on the map)."""
    inputs = network_inputs(organisation)
    return messengers_from(inputs, [person_id], limit=limit).get(person_id, [])


# --- Cached runs -------------------------------------------------------------------------------


def latest_analysis(organisation: Organisation) -> AnalysisRun | None:
    return (
        AnalysisRun.objects.filter(organisation=organisation, status=RunStatus.DONE)
        .order_by("-computed_at", "-id")
        .first()
    )


def planner_runs(organisation: Organisation) -> QuerySet[PlannerRun]:
    return PlannerRun.objects.filter(organisation=organisation).select_related("requested_by")


def latest_plan(organisation: Organisation) -> PlannerRun | None:
    return (
        planner_runs(organisation)
        .filter(status=RunStatus.DONE)
        .order_by("-computed_at", "-id")
        .first()
    )


def metric_labels() -> dict[str, str]:
    from bellwether.framework.catalogue import CATALOGUE

    names = {metric.key: metric.name for metric in CATALOGUE.influence_metrics}
    return {field: names[key] for field, key in METRIC_FIELDS.items()}


# --- What the pages draw --------------------------------------------------------------------


from bellwether.influence.selectors_analysis import (  # noqa: E402
    COMMUNITIES_PER_PAGE,
    MAX_SLICE,
    NOT_ASSESSED,
    PAGE_SIZE,
    QUADRANT_PREVIEW,
    AnalysisStatus,
    analysis_status,
    communities,
    community,
    community_members,
    current_version,
    figures,
    figures_of,
    forget_version,
    grid_points,
    messenger_targets,
    names_of,
    network_version,
    paged,
    quadrant_counts,
    quadrant_members,
)
from bellwether.influence.selectors_network import (  # noqa: E402
    BAND_COLOURS,
    SliceError,
    SliceFilter,
    network_slice,
)

__all__ = [
    "BAND_COLOURS",
    "COMMUNITIES_PER_PAGE",
    "MAX_SLICE",
    "NOT_ASSESSED",
    "PAGE_SIZE",
    "QUADRANT_PREVIEW",
    "AnalysisStatus",
    "SliceError",
    "SliceFilter",
    "analysis_status",
    "communities",
    "community",
    "community_members",
    "current_version",
    "figures",
    "figures_of",
    "forget_version",
    "grid_points",
    "messenger_targets",
    "names_of",
    "network_slice",
    "network_version",
    "paged",
    "quadrant_counts",
    "quadrant_members",
]
