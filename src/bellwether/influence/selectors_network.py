"""What the network picture draws, one bounded slice at a time (re-exported from
``selectors``): a small map whole, a large one as its communities first, then the
leaders of one community, one org unit (with its subtree) or a search and their ties."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.urls import reverse

from bellwether.core.models import Organisation
from bellwether.framework.catalogue import (
    BAND_CAUTIOUS,
    BAND_CHAMPION,
    BAND_RESISTANT,
    BAND_SKEPTICAL,
    BAND_SUPPORTER,
)
from bellwether.influence import network
from bellwether.influence.models import AnalysisRun, InfluenceProfile, LeaderFigures, Tie
from bellwether.influence.selectors_analysis import (
    MAX_OVERVIEW,
    MAX_SLICE,
    MAX_SLICE_TIES,
    communities,
    unit_subtree,
)
from bellwether.people.models import Person

# The readiness palette of the stylesheet (--champion ... --resistant); grey: not assessed.
BAND_COLOURS: dict[str | None, str] = {
    BAND_CHAMPION: "#1c7c4a",
    BAND_SUPPORTER: "#5aa36f",
    BAND_CAUTIOUS: "#d9a21b",
    BAND_SKEPTICAL: "#e07b39",
    BAND_RESISTANT: "#b42318",
    None: "#9aa3b2",
}
# Up to this many leaders the page draws a force-directed layout; above, it lays the
# slice out by community (a force layout of thousands of nodes freezes a browser).
FORCE_LAYOUT_LIMIT = 300
# How many of the leaders matching a search are drawn with their neighbours.
MAX_MATCHES = 40


class SliceError(ValueError):
    """A filter names nothing of this organisation (a unit or community): 404."""


@dataclass(frozen=True)
class SliceFilter:
    unit_id: int | None = None
    community: int | None = None
    level: str = ""
    query: str = ""
    page: int = 1

    @property
    def empty(self) -> bool:
        return self.unit_id is None and self.community is None and not self.level and not self.query


def _leader_rows(organisation: Organisation) -> Any:
    return (
        Person.objects.filter(organisation=organisation, active=True)
        .exclude(leader_level="")
        .select_related("org_unit")
        .only("id", "name", "title", "org_unit__name", "leader_level", "manager_id")
    )


def network_slice(
    organisation: Organisation, run: AnalysisRun | None, wanted: SliceFilter
) -> dict[str, Any]:
    """The nodes and ties to draw for this filter, bounded (``MAX_SLICE`` leaders a page,
    ``MAX_SLICE_TIES`` ties), in a fixed number of queries."""
    rows = _leader_rows(organisation)
    total = rows.count()
    if wanted.empty and total > MAX_SLICE and run is not None:
        return _overview(run, total)
    figures_of: dict[int, LeaderFigures] = {}
    matched: set[int] = set()
    if wanted.unit_id is not None:
        subtree = unit_subtree(organisation, wanted.unit_id)
        if subtree is None:
            raise SliceError("There is no such org unit.")
        rows = rows.filter(org_unit_id__in=subtree)
    if wanted.level:
        rows = rows.filter(leader_level=wanted.level)
    if wanted.community is not None:
        if run is None or not communities(run).filter(number=wanted.community).exists():
            raise SliceError("There is no such community in the latest analytics.")
        # The members' ids first (at most the map): as a subquery, PostgreSQL may plan
        # a scan of every leader per member.
        members = list(
            LeaderFigures.objects.filter(run=run, community=wanted.community).values_list(
                "person_id", flat=True
            )
        )
        rows = rows.filter(pk__in=members)
    if wanted.query:
        found = list(
            rows.filter(Q(name__icontains=wanted.query) | Q(title__icontains=wanted.query))
            .order_by("name", "id")
            .values_list("id", flat=True)[: MAX_MATCHES + 1]
        )
        matched = set(found[:MAX_MATCHES])
        near = Tie.objects.filter(organisation=organisation).filter(
            Q(source_id__in=matched) | Q(target_id__in=matched)
        )
        hood = set(matched)
        for s, t in near.order_by("-strength", "id").values_list("source_id", "target_id")[
            : MAX_SLICE * 2
        ]:
            if len(hood) >= MAX_SLICE:
                break
            hood.update((s, t))
        rows = _leader_rows(organisation).filter(pk__in=hood)
    count = rows.count()
    pages = max(1, -(-count // MAX_SLICE))
    page = min(max(1, wanted.page), pages)
    people = list(rows.order_by("name", "id")[(page - 1) * MAX_SLICE : page * MAX_SLICE])
    ids = {person.pk for person in people}
    if run is not None:
        figures_of = {
            f.person_id: f
            for f in LeaderFigures.objects.filter(run=run, person_id__in=ids).only(
                "person_id", "community", "pagerank", "band_key"
            )
        }
    from bellwether.influence.selectors import bands_for

    bands = bands_for(organisation, ids)
    metrics = {
        profile.person_id: profile.metrics()
        for profile in InfluenceProfile.objects.filter(organisation=organisation, person_id__in=ids)
    }
    nodes = []
    for person in people:
        index = network.influence_index(metrics.get(person.pk, {}))
        band = bands.get(person.pk)
        figure = figures_of.get(person.pk)
        nodes.append(
            {
                "data": {
                    "id": f"p{person.pk}",
                    "label": person.name,
                    "band": network.band_name(band),
                    "colour": BAND_COLOURS[band],
                    "index": round(index),
                    "size": round(18 + 0.42 * index),
                    "community": figure.community if figure is not None else -1,
                    "unit": person.org_unit.name if person.org_unit else "",
                    "url": reverse("people:detail", args=[person.pk]),
                    "match": person.pk in matched,
                }
            }
        )
    edges = [
        {
            "data": {
                "id": f"t{tie_id}",
                "source": f"p{s}",
                "target": f"p{t}",
                "strength": strength,
                "kind": network.INFLUENCE,
            }
        }
        for tie_id, s, t, strength in Tie.objects.filter(
            organisation=organisation, source_id__in=ids, target_id__in=ids
        )
        .order_by("-strength", "id")
        .values_list("id", "source_id", "target_id", "strength")[:MAX_SLICE_TIES]
    ]
    edges += [
        {
            "data": {
                "id": f"l{person.pk}",
                "source": f"p{person.manager_id}",
                "target": f"p{person.pk}",
                "strength": network.REPORTING_LINE_STRENGTH,
                "kind": network.REPORTING_LINE,
            }
        }
        for person in people
        if person.manager_id in ids and person.manager_id != person.pk
    ]
    return {
        "mode": "leaders",
        "nodes": nodes,
        "edges": edges,
        "layout": "cose" if len(nodes) <= FORCE_LAYOUT_LIMIT else "community",
        "total": total,
        "count": count,
        "page": page,
        "pages": pages,
        "matched": len(matched),
    }


def _overview(run: AnalysisRun, total: int) -> dict[str, Any]:
    """A large map at first sight: one node per community (the largest ``MAX_OVERVIEW``),
    sized by members and coloured by its commonest band, linked by their ties."""
    shown = list(communities(run).order_by("-size", "number")[:MAX_OVERVIEW])
    numbers = {c.number for c in shown}
    nodes, edges = [], []
    for c in shown:
        assessed = {key: n for key, n in c.bands.items() if key}
        commonest = max(sorted(assessed), key=lambda key: assessed[key]) if assessed else None
        nodes.append(
            {
                "data": {
                    "id": f"c{c.number}",
                    "label": f"Community {c.number + 1} ({c.size})",
                    "band": network.band_name(commonest),
                    "colour": BAND_COLOURS.get(commonest, BAND_COLOURS[None]),
                    "index": 0,
                    "size": round(20 + 6 * c.size**0.5),
                    "community": c.number,
                    "kind": "community",
                }
            }
        )
        for other, weight in c.links.items():
            if int(other) in numbers and c.number < int(other):
                edges.append(
                    {
                        "data": {
                            "id": f"k{c.number}-{other}",
                            "source": f"c{c.number}",
                            "target": f"c{other}",
                            "strength": min(3, 1 + weight // 20),
                            "kind": network.INFLUENCE,
                        }
                    }
                )
    edges.sort(key=lambda edge: -edge["data"]["strength"])
    return {
        "mode": "communities",
        "nodes": nodes,
        "edges": edges[:MAX_SLICE_TIES],
        "layout": "cose" if len(nodes) <= FORCE_LAYOUT_LIMIT else "community",
        "total": total,
        "count": len(nodes),
        "page": 1,
        "pages": 1,
        "matched": 0,
    }
