"""Reads of the stored analytics (re-exported from ``selectors``): the network's version
stamp, the run a page shows, and the grid, messengers, communities and network slices,
each paged in SQL from a finished run's rows. No page recomputes the network."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Max, OuterRef, Q, QuerySet, Subquery, When
from django.utils import timezone

from bellwether.assessments.models import LeaderResult
from bellwether.core.models import Organisation
from bellwether.influence import network
from bellwether.influence.models import (
    AnalysisRun,
    Community,
    InfluenceProfile,
    LeaderFigures,
    RunStatus,
    Tie,
    VersionStamp,
)
from bellwether.people.models import OrgUnit, Person

PAGE_SIZE = 50
QUADRANT_PREVIEW = 15
COMMUNITIES_PER_PAGE = 20
# The network picture draws at most this many leaders at once (a unit, a community, a
# search); a larger selection is paged.
MAX_SLICE = 400
# ... and at most this many ties among them (strongest first).
MAX_SLICE_TIES = 4000
# The overview of a large map draws communities, the largest first, at most this many.
MAX_OVERVIEW = 150
NOT_ASSESSED = "not-assessed"


# --- The version stamp ------------------------------------------------------------------------


def _count_and_last(rows: QuerySet[Any]) -> tuple[Subquery, Subquery]:
    base = rows.filter(organisation=OuterRef("pk")).order_by().values("organisation")
    return (
        # COUNT(*), not COUNT(id): the (organisation, updated_at) index answers both
        # aggregates alone (an index-only scan), without visiting the table.
        Subquery(base.annotate(c=Count("*")).values("c")[:1], output_field=IntegerField()),
        Subquery(base.annotate(m=Max("updated_at")).values("m")[:1]),
    )


def network_version(organisation: Organisation) -> str:
    """A stamp of what the analytics read, in one query: how many ties, profiles, active
    leaders and readiness results there are and when each last changed. Adding, editing
    or removing any of them moves it (a removal lowers a count, anything saved raises a
    time), without reading the network itself."""
    parts: dict[str, QuerySet[Any]] = {
        "ties": Tie.objects.all(),
        "profiles": InfluenceProfile.objects.all(),
        "leaders": Person.objects.filter(active=True).exclude(leader_level=""),
        "bands": LeaderResult.objects.filter(total__isnull=False).exclude(band_key=""),
    }
    annotations: dict[str, Any] = {}
    for name, rows in parts.items():
        annotations[f"{name}_n"], annotations[f"{name}_last"] = _count_and_last(rows)
    found = (
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(**annotations)
        .values(*annotations)
        .first()
        or {}
    )
    payload = [
        [found.get(f"{name}_n") or 0, str(found.get(f"{name}_last") or "")] for name in parts
    ]
    return hashlib.sha256(json.dumps(payload).encode()).hexdigest()


# How long a page trusts the stamp it last read. The services that change ties, profiles
# or bands clear it in their own transaction, so their changes count at once; others
# (a leader added or moved by the people import, a row written directly) within this.
STAMP_TTL = dt.timedelta(seconds=15)


def current_version(organisation: Organisation) -> str:
    """``network_version`` as pages read it: one row, re-read when older than
    ``STAMP_TTL`` or cleared by a service."""
    now = timezone.now()
    found = (
        VersionStamp.objects.filter(organisation=organisation)
        .values_list("version", "checked_at")
        .first()
    )
    if found is not None and found[0] and now - found[1] < STAMP_TTL:
        return found[0]
    version = network_version(organisation)
    if found is None:
        VersionStamp.objects.bulk_create(
            [VersionStamp(organisation=organisation, version=version, checked_at=now)],
            ignore_conflicts=True,
        )
    else:
        VersionStamp.objects.filter(organisation=organisation).update(
            version=version, checked_at=now
        )
    return version


def forget_version(organisation_id: int) -> None:
    """The network changed: the next page reads the stamp afresh (a service calls this
    in its own transaction, so a rolled-back change clears nothing)."""
    VersionStamp.objects.filter(organisation_id=organisation_id).update(version="")


# --- Which run a page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class AnalysisStatus:
    """The last finished analysis, the network's version now, and the newest run for
    that version (pending, running, done or failed) if there is one."""

    run: AnalysisRun | None
    version: str
    current: AnalysisRun | None

    @property
    def stale(self) -> bool:
        return self.run is None or self.run.version != self.version

    @property
    def pending(self) -> AnalysisRun | None:
        if self.current is not None and self.current.status in {
            RunStatus.PENDING,
            RunStatus.RUNNING,
        }:
            return self.current
        return None

    @property
    def failed(self) -> AnalysisRun | None:
        if self.current is not None and self.current.status == RunStatus.FAILED:
            return self.current
        return None

    @property
    def needs_run(self) -> bool:
        """Nothing finished, waiting or failed for the network as it is now."""
        return self.stale and self.current is None


def analysis_status(organisation: Organisation) -> AnalysisStatus:
    """In three queries (two when the stamp is fresh and the last run current): the
    stamp, the last finished run, the newest run for the stamp."""
    version = current_version(organisation)
    runs = AnalysisRun.objects.filter(organisation=organisation)
    run = runs.filter(status=RunStatus.DONE).order_by("-computed_at", "-id").first()
    current = (
        run
        if run is not None and run.version == version
        else runs.filter(version=version).order_by("-id").first()
    )
    return AnalysisStatus(run=run, version=version, current=current)


# --- Stored figures ----------------------------------------------------------------------------


def figures(run: AnalysisRun | None) -> QuerySet[LeaderFigures]:
    """The run's per-leader rows with each leader's name, title and unit."""
    if run is None:
        return LeaderFigures.objects.none()
    return LeaderFigures.objects.filter(run=run).select_related("person", "person__org_unit")


def figures_of(run: AnalysisRun | None, person_id: int) -> LeaderFigures | None:
    if run is None:
        return None
    return LeaderFigures.objects.filter(run=run, person_id=person_id).first()


def _search(rows: QuerySet[LeaderFigures], query: str) -> QuerySet[LeaderFigures]:
    query = query.strip()
    if query:
        rows = rows.filter(Q(person__name__icontains=query) | Q(person__title__icontains=query))
    return rows


def quadrant_counts(run: AnalysisRun | None) -> dict[str, int]:
    """Leaders per quadrant (``NOT_ASSESSED`` for those without a band)."""
    counts = dict.fromkeys((*network.QUADRANTS, NOT_ASSESSED), 0)
    if run is None:
        return counts
    for quadrant, n in (
        LeaderFigures.objects.filter(run=run)
        .order_by()
        .values_list("quadrant")
        .annotate(n=Count("id"))
    ):
        counts[quadrant or NOT_ASSESSED] = n
    return counts


def quadrant_members(run: AnalysisRun | None, quadrant: str) -> QuerySet[LeaderFigures]:
    """A quadrant's leaders (or ``NOT_ASSESSED``), most influential first (then by id),
    as the grid places them."""
    stored = "" if quadrant == NOT_ASSESSED else quadrant
    return (
        figures(run)
        .filter(quadrant=stored)
        .defer("messengers")
        .order_by("-influence_index", "person_id")
    )


def grid_points(run: AnalysisRun | None) -> list[tuple[str, float, int]]:
    """(band key, influence index, how many leaders) for the chart: the index moves in
    steps of ten, so 5,000 leaders make at most a few dozen points."""
    if run is None:
        return []
    return list(
        LeaderFigures.objects.filter(run=run)
        .exclude(band_key="")
        .order_by("band_key", "influence_index")
        .values_list("band_key", "influence_index")
        .annotate(n=Count("id"))
    )


def paged(rows: QuerySet[Any], page: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    return Paginator(rows, per_page).get_page(page)


def messenger_targets(
    run: AnalysisRun | None, *, query: str = "", band: str = ""
) -> QuerySet[LeaderFigures]:
    """The Cautious, Skeptical and Resistant leaders (or one ``band``) with their stored
    messengers: Cautious first, then by name."""
    wanted = [band] if band in network.NOT_YET_ENGAGED_BANDS else network.NOT_YET_ENGAGED_BANDS
    order = Case(
        *[When(band_key=key, then=position) for position, key in enumerate(network.BAND_KEYS)],
        default=len(network.BAND_KEYS),
        output_field=IntegerField(),
    )
    rows = figures(run).filter(band_key__in=list(wanted))
    return _search(rows, query).order_by(order, "person__name", "person_id")


def communities(run: AnalysisRun | None) -> QuerySet[Community]:
    if run is None:
        return Community.objects.none()
    return Community.objects.filter(run=run).order_by("number")


def community(run: AnalysisRun | None, number: int) -> Community | None:
    return communities(run).filter(number=number).first()


def community_members(run: AnalysisRun | None, number: int) -> QuerySet[LeaderFigures]:
    """A community's leaders, most central (PageRank) first."""
    return (
        figures(run).filter(community=number).defer("messengers").order_by("-pagerank", "person_id")
    )


def names_of(organisation: Organisation, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(
        Person.objects.filter(organisation=organisation, pk__in=ids).values_list("id", "name")
    )


def unit_subtree(organisation: Organisation, unit_id: int) -> list[int] | None:
    """The unit and every unit under it; None when the unit is not the organisation's."""
    unit = OrgUnit.objects.filter(organisation=organisation, pk=unit_id).first()
    if unit is None:
        return None
    if not unit.path:  # not placed in the tree: the unit alone
        return [unit.pk]
    return list(
        OrgUnit.objects.filter(organisation=organisation, path__startswith=unit.path).values_list(
            "id", flat=True
        )
    )
