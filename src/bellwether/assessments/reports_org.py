"""Readiness organisation views: band distribution, heatmap, transitions and the leader
list, for released cycles only (completion and the 70+ KPI: ``reports_org_kpi``).

They aggregate the stored ``LeaderResult`` rows in SQL. Only a released cycle has any
(``release.py``): an open cycle, or a closed one not yet released, shows no rater-based
figure. The heatmap hides org units with fewer assessed leaders than the cycle's
minimum group (taken at launch), and any unit that could be worked out by difference
(``surveys.confidentiality.suppress``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db.models import Count, FloatField, Max, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import dateformat, timezone

from bellwether.assessments.models import (
    CycleLeader,
    LeaderResult,
    ReadinessCycle,
)
from bellwether.assessments.reports_org_kpi import (
    QUALIFYING_SCORE,
    CompletionRow,
    ShareFigure,
    completion,
    share_at_or_above_70,
)
from bellwether.core import cache as shared
from bellwether.core.confidentiality import Cell, suppress
from bellwether.core.models import Organisation, org_id_of
from bellwether.framework import catalogue
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import OrgUnit
from bellwether.people.selectors import people_version

INSTRUMENT = CATALOGUE.instrument
DIMENSION_KEYS = tuple(d.key for d in INSTRUMENT.dimensions)
BAND_KEYS = tuple(b.key for b in INSTRUMENT.bands)  # Champion first


def cycles_of(organisation: Organisation | int) -> list[ReadinessCycle]:
    """The organisation's cycles, newest first."""
    return list(
        ReadinessCycle.objects.filter(organisation_id=org_id_of(organisation))
        .select_related("campaign")
        .order_by("-opens_at", "-id")
    )


# --- organisation views ------------------------------------------------------------------------


def _scored(cycle: ReadinessCycle) -> Any:
    """A cycle's scored results; none until it is released."""
    return LeaderResult.objects.filter(
        organisation_id=cycle.organisation_id,
        cycle=cycle,
        cycle__released_at__isnull=False,
        total__isnull=False,
    ).exclude(band_key="")


@dataclass(frozen=True)
class BandCount:
    key: str
    name: str
    range_label: str
    count: int
    self_reported: int
    percent: float | None


@dataclass(frozen=True)
class Distribution:
    cycle_id: int
    leaders: int  # in the cycle
    scored: int
    bands: list[BandCount]
    at_or_above: int  # scoring QUALIFYING_SCORE or more (after rounding)

    @property
    def unscored(self) -> int:
        return self.leaders - self.scored

    @property
    def share_at_or_above(self) -> float | None:
        return round(100 * self.at_or_above / self.scored, 1) if self.scored else None


def band_distribution(cycle: ReadinessCycle) -> Distribution:
    """Leaders per band of record in a cycle (2 queries)."""
    rows = (
        _scored(cycle)
        .values("band_key")
        .annotate(n=Count("id"), self_n=Count("id", filter=Q(self_reported=True)))
    )
    by_band = {r["band_key"]: (r["n"], r["self_n"]) for r in rows}
    scored = sum(n for n, _ in by_band.values())
    leaders = CycleLeader.objects.filter(cycle=cycle).count()
    bands = [
        BandCount(
            b.key,
            b.name,
            b.range_label,
            by_band.get(b.key, (0, 0))[0],
            by_band.get(b.key, (0, 0))[1],
            round(100 * by_band.get(b.key, (0, 0))[0] / scored, 1) if scored else None,
        )
        for b in INSTRUMENT.bands
    ]
    at_or_above = sum(c.count for c in bands if catalogue.band(c.key).min_score >= QUALIFYING_SCORE)
    return Distribution(cycle.pk, max(leaders, scored), scored, bands, at_or_above)


@dataclass(frozen=True)
class HeatmapRow:
    key: str
    name: str
    n: int
    values: dict[str, float | None]  # dimension key -> mean record score (5–25); None hidden
    shown: bool
    reason: str  # "", "too_few", "difference"

    @property
    def cells(self) -> list[tuple[float | None, str]]:
        """(value, css class) per dimension: heat-1 (low) … heat-5 (high), or heat-hidden."""
        out: list[tuple[float | None, str]] = []
        for key in DIMENSION_KEYS:
            value = self.values.get(key)
            if value is None:
                out.append((None, "heat-hidden"))
            else:
                level = min(5, max(1, int((value - 5) / 4) + 1))
                out.append((value, f"heat-{level}"))
        return out


@dataclass(frozen=True)
class Heatmap:
    cycle_id: int
    minimum: int
    dimensions: list[tuple[str, str]]
    total: HeatmapRow
    rows: list[HeatmapRow]

    @property
    def all_rows(self) -> list[HeatmapRow]:
        return [self.total, *self.rows]


def _dimension_sums() -> dict[str, Any]:
    return {f"d_{key}": Sum(Cast(KT(f"dimensions__{key}"), FloatField())) for key in DIMENSION_KEYS}


def heatmap(cycle: ReadinessCycle) -> Heatmap:
    """``compute_heatmap``, from the shared cache while its inputs are unchanged: the
    cycle's scored results (how many, the last stored) and the organisation's people and
    units (``people_version``: a move between units, a renamed unit) and the cycle's own
    minimum. Any change to one moves the key (core/cache.py)."""
    results = _scored(cycle).aggregate(n=Count("id"), last=Max("updated_at"))
    version = (
        cycle.pk,
        results["n"],
        str(results["last"]),
        cycle.campaign.min_group,
        *(str(v) for v in people_version(Organisation(pk=cycle.organisation_id))),
    )
    return shared.remembered(
        "readiness.heatmap", cycle.organisation_id, version, lambda: compute_heatmap(cycle)
    )


def compute_heatmap(cycle: ReadinessCycle) -> Heatmap:
    """Mean record score per dimension × top-level org unit, small units suppressed.

    Units are the first level of the org tree at which the assessed leaders fall into
    more than one unit (under a single root, the units right below it); a leader counts
    in the unit at that level above their own. Leaders placed higher up count only in
    the organisation row. A unit with
    fewer assessed leaders than the minimum group is hidden (primary), and a unit whose
    figures could be derived from the organisation row minus the shown units is hidden too
    (secondary, ``surveys.confidentiality.suppress``). The minimum is the cycle's own,
    taken when it was launched: lowering the organisation's never re-shows a unit.
    """
    minimum = cycle.campaign.min_group
    rows = list(
        _scored(cycle)
        .values("person__org_unit_id")
        .annotate(n=Count("id"), **_dimension_sums())
        .order_by()
    )
    units = {
        u.pk: u
        for u in OrgUnit.objects.filter(organisation_id=cycle.organisation_id).only(
            "id", "name", "path", "parent_id"
        )
    }

    def chain(unit_id: int | None) -> list[int]:
        unit = units.get(unit_id) if unit_id is not None else None
        return [int(p) for p in unit.path.split("/") if p] if unit is not None else []

    # The units shown are the first level at which the assessed leaders split: under a
    # single root (or a single top unit holding everyone) go one level further down.
    chains = [chain(r["person__org_unit_id"]) for r in rows]
    level = 0
    while level < 5:
        heads = {c[level] for c in chains if len(c) > level}
        deeper = any(len(c) > level + 1 for c in chains)
        if len(heads) == 1 and deeper and all(len(c) > level for c in chains):
            level += 1
            continue
        break

    def top_of(unit_id: int | None) -> int | None:
        ids = chain(unit_id)  # root first, the unit last
        return ids[level] if len(ids) > level else None

    agg: dict[int | None, list[float]] = defaultdict(lambda: [0.0] * (1 + len(DIMENSION_KEYS)))
    total = [0.0] * (1 + len(DIMENSION_KEYS))
    for r in rows:
        top = top_of(r["person__org_unit_id"])
        values = [float(r["n"])] + [float(r[f"d_{k}"] or 0.0) for k in DIMENSION_KEYS]
        for i, v in enumerate(values):
            total[i] += v
            if top is not None:
                agg[top][i] += v

    def means(sums: list[float]) -> dict[str, float | None]:
        n = sums[0]
        return {k: (round(sums[i + 1] / n, 1) if n else None) for i, k in enumerate(DIMENSION_KEYS)}

    cells = [Cell("org", int(total[0]), None, fixed=True)]
    cells += [Cell(uid, int(s[0]), "org") for uid, s in agg.items() if uid is not None]
    decision = suppress(cells, minimum) if int(total[0]) > 0 else None
    out_rows = []
    for uid, sums in sorted(
        ((u, s) for u, s in agg.items() if u is not None),
        key=lambda pair: units[pair[0]].name if pair[0] in units else "",
    ):
        shown = decision is not None and decision.is_shown(uid)
        reason = "" if shown else (decision.reasons[uid].value if decision else "too_few")
        vals = means(sums) if shown else dict.fromkeys(DIMENSION_KEYS)
        name = units[uid].name if uid in units else "?"
        out_rows.append(HeatmapRow(str(uid), name, int(sums[0]), vals, shown, reason))
    org_n = int(total[0])
    org_shown = org_n >= minimum
    org_row = HeatmapRow(
        "org",
        "Whole organisation",
        org_n,
        means(total) if org_shown else dict.fromkeys(DIMENSION_KEYS),
        org_shown,
        "" if org_shown else "too_few",
    )
    if not org_shown:
        out_rows = [
            HeatmapRow(r.key, r.name, r.n, dict.fromkeys(DIMENSION_KEYS), False, "too_few")
            for r in out_rows
        ]
    return Heatmap(
        cycle.pk,
        minimum,
        [(d.key, d.name) for d in INSTRUMENT.dimensions],
        org_row,
        out_rows,
    )


@dataclass(frozen=True)
class Transitions:
    from_cycle_id: int
    to_cycle_id: int
    bands: list[tuple[str, str]]  # rows and columns, Champion first
    matrix: dict[str, dict[str, int]]  # from band -> to band -> leaders
    both: int
    up: int
    same: int
    down: int
    new: int  # scored in the later cycle only

    @property
    def table(self) -> list[tuple[str, list[tuple[int, str]]]]:
        """Rows for display: (from band name, [(leaders, "diag" | "up" | "down")])."""
        out = []
        for i, (key, name) in enumerate(self.bands):
            cells = []
            for j, (to, _) in enumerate(self.bands):
                kind = "diag" if i == j else ("up" if j < i else "down")
                cells.append((self.matrix[key][to], kind))
            out.append((name, cells))
        return out


def transitions(from_cycle: ReadinessCycle, to_cycle: ReadinessCycle) -> Transitions:
    """Leaders per (band in the earlier cycle, band in the later one), in one query."""
    # One plain read of each leader's band in either cycle (the later cycle's as
    # ``_scored`` keeps them), paired here rather than a subquery per result.
    rows = (
        LeaderResult.objects.filter(total__isnull=False, cycle__in=[from_cycle, to_cycle])
        .exclude(band_key="")
        .filter(
            Q(cycle=from_cycle)
            | Q(
                cycle=to_cycle,
                organisation_id=to_cycle.organisation_id,
                cycle__released_at__isnull=False,
            )
        )
        .order_by()
        .values_list("cycle_id", "person_id", "band_key")
    )
    earlier: dict[int, str] = {}
    later: list[tuple[int, str]] = []
    for cycle_id, person_id, band_key in rows:
        if cycle_id == from_cycle.pk:
            earlier[person_id] = band_key
        if cycle_id == to_cycle.pk:
            later.append((person_id, band_key))
    pairs: dict[tuple[str, str], int] = defaultdict(int)
    for person_id, band_key in later:
        pairs[(earlier.get(person_id, ""), band_key)] += 1
    matrix = {a: dict.fromkeys(BAND_KEYS, 0) for a in BAND_KEYS}
    rank = {key: len(BAND_KEYS) - i for i, key in enumerate(BAND_KEYS)}
    both = up = same = down = new = 0
    for (prev, band), n in pairs.items():
        if not prev:
            new += n
            continue
        matrix[prev][band] += n
        both += n
        delta = rank[band] - rank[prev]
        if delta > 0:
            up += n
        elif delta < 0:
            down += n
        else:
            same += n
    return Transitions(
        from_cycle.pk,
        to_cycle.pk,
        [(b.key, b.name) for b in INSTRUMENT.bands],
        matrix,
        both,
        up,
        same,
        down,
        new,
    )


@dataclass(frozen=True)
class LeaderRow:
    person_id: int
    name: str
    unit: str
    total: float | None
    band_key: str
    band_name: str
    self_reported: bool
    others_count: int
    dimensions: dict[str, float | None]

    @property
    def dimension_values(self) -> list[float | None]:
        return [self.dimensions.get(k) for k in DIMENSION_KEYS]


def leader_rows(cycle: ReadinessCycle, *, limit: int | None = None) -> list[LeaderRow]:
    """The scored leaders of a cycle by name (the first ``limit``, else all) with their
    dimension record scores (one query; the page asks for only the rows it shows)."""
    rows = (
        _scored(cycle)
        .annotate(**{f"d_{k}": Cast(KT(f"dimensions__{k}"), FloatField()) for k in DIMENSION_KEYS})
        .values(
            "person_id",
            "person__name",
            "person__org_unit__name",
            "total",
            "band_key",
            "self_reported",
            "others_count",
            *[f"d_{k}" for k in DIMENSION_KEYS],
        )
        .order_by("person__name", "person_id")
    )
    if limit is not None:
        rows = rows[:limit]
    return [
        LeaderRow(
            r["person_id"],
            r["person__name"],
            r["person__org_unit__name"] or "",
            r["total"],
            r["band_key"],
            catalogue.band(r["band_key"]).name,
            r["self_reported"],
            r["others_count"],
            {k: r[f"d_{k}"] for k in DIMENSION_KEYS},
        )
        for r in rows
    ]


@dataclass
class OrganisationView:
    cycles: list[ReadinessCycle]
    cycle: ReadinessCycle | None
    compare: ReadinessCycle | None
    distribution: Distribution | None
    heatmap: Heatmap | None
    transitions: Transitions | None
    completion: list[CompletionRow]
    share: ShareFigure
    pending: str = ""  # why the chosen cycle shows no results yet

    @property
    def released(self) -> list[ReadinessCycle]:
        return [c for c in self.cycles if c.is_released]


def closes_label(cycle: ReadinessCycle) -> str:
    """When the cycle closes, in its own time zone ("12 Mar 2027, 17:00 Europe/London")."""
    try:
        zone = ZoneInfo(cycle.campaign.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")
    when = dateformat.format(timezone.localtime(cycle.closes_at, zone), "j M Y, H:i")
    return f"{when} {zone.key}"


def pending_message(cycle: ReadinessCycle) -> str:
    """What a page says instead of the results of a cycle not released yet."""
    if cycle.is_released:
        return ""
    if not cycle.is_closed:
        return (
            f"“{cycle.name}” is open until {closes_label(cycle)}. Its results are released once, when it "
            "closes: nothing from its ratings is shown before, so that no rating can be "
            "worked out from a change in the figures."
        )
    return (
        f"“{cycle.name}” has closed and its results are being released. Reload this page "
        "in a moment."
    )


# A cycle speaks for the organisation when it assessed at least this share of the
# leaders of the largest released cycle: a pilot or a one-leader test cycle that closed
# last must not become "the organisation" by default.
ORGANISATION_WIDE_SHARE = 0.5


def organisation_wide_cycle(released: Sequence[ReadinessCycle]) -> ReadinessCycle | None:
    """The latest released cycle (``released`` is newest first) that is organisation-wide:
    it assessed at least ``ORGANISATION_WIDE_SHARE`` of the leaders the largest released
    cycle did. One query."""
    if not released:
        return None
    counts = dict(
        CycleLeader.objects.filter(cycle__in=released)
        .values("cycle_id")
        .annotate(n=Count("id"))
        .values_list("cycle_id", "n")
    )
    largest = max(counts.values(), default=0)
    for cycle in released:
        if counts.get(cycle.pk, 0) >= ORGANISATION_WIDE_SHARE * largest:
            return cycle
    return released[0]


def organisation_view(
    organisation: Organisation,
    *,
    cycle_id: int | None = None,
    compare_id: int | None = None,
    cycles: Sequence[ReadinessCycle] | None = None,
) -> OrganisationView:
    """All organisation views for a cycle (default: the latest organisation-wide released
    one, ``organisation_wide_cycle``) against an earlier released one (default: the one
    before it). A cycle not released yet shows
    its completion only."""
    cycles = list(cycles) if cycles is not None else cycles_of(organisation)
    by_id = {c.pk: c for c in cycles}
    released = [c for c in cycles if c.is_released]
    if cycle_id is not None:
        cycle = by_id.get(cycle_id)
    else:
        cycle = organisation_wide_cycle(released) or (cycles[0] if cycles else None)
    compare = None
    pending = pending_message(cycle) if cycle is not None else ""
    if cycle is not None and not pending:
        if compare_id is not None:
            compare = by_id.get(compare_id)
        else:
            earlier = [c for c in released if c.opens_at < cycle.opens_at]
            compare = earlier[0] if earlier else None
        if compare is not None and (compare.pk == cycle.pk or not compare.is_released):
            compare = None
    shown = cycle if cycle is not None and not pending else None
    return OrganisationView(
        cycles=cycles,
        cycle=cycle,
        compare=compare,
        distribution=band_distribution(shown) if shown else None,
        heatmap=heatmap(shown) if shown else None,
        transitions=transitions(compare, shown) if shown and compare else None,
        completion=completion(cycle) if cycle else [],
        share=share_at_or_above_70(organisation),
        pending=pending,
    )
