"""Readiness reports: the reads behind the individual report and the organisation views.

Shared by the pages, the PDF, the XLSX export and the API. The individual report reads
the leader's stored ``LeaderResult`` (the scores of record) and, per rater category,
item means aggregated in SQL from the survey engine's answers, with categories under
the minimum merged or withheld (``rater_columns``). The organisation views aggregate
stored results in SQL; the heatmap hides org units with fewer assessed leaders than the
organisation's minimum group, and any unit that could be worked out by difference
(``surveys.confidentiality.suppress``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, FloatField, OuterRef, Q, Subquery, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast

from bellwether.assessments import scoring
from bellwether.assessments.models import (
    DISCLOSED_CATEGORIES,
    Category,
    CycleLeader,
    LeaderResult,
    ReadinessCycle,
)
from bellwether.assessments.rater_columns import Column, ColumnPlan, plan_columns
from bellwether.assessments.scoring import LeaderScore
from bellwether.assessments.selectors import of_record_first
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys.confidentiality import Cell, Policy, suppress
from bellwether.surveys.models import Answer, Invitation, Question
from bellwether.surveys.selectors import policy_for

INSTRUMENT = CATALOGUE.instrument
DIMENSION_KEYS = tuple(d.key for d in INSTRUMENT.dimensions)
BAND_KEYS = tuple(b.key for b in INSTRUMENT.bands)  # Champion first
QUALIFYING_SCORE = next(k.qualifying_score for k in CATALOGUE.primary_kpis if k.qualifying_score)
FLUENCY_KPI = next(k for k in CATALOGUE.primary_kpis if k.qualifying_score)


def _org_id(organisation: Organisation | int) -> int:
    return organisation if isinstance(organisation, int) else organisation.pk


def cycles_of(organisation: Organisation | int) -> list[ReadinessCycle]:
    """The organisation's cycles, newest first."""
    return list(
        ReadinessCycle.objects.filter(organisation_id=_org_id(organisation)).order_by(
            "-opens_at", "-id"
        )
    )


# --- the individual report -----------------------------------------------------------------


@dataclass(frozen=True)
class TrendPoint:
    cycle_id: int
    cycle_name: str
    opens_at: dt.datetime
    total: float | None
    band_key: str
    band_name: str
    self_reported: bool


@dataclass(frozen=True)
class ItemRow:
    key: str
    text: str
    dimension_key: str
    self: float | None
    others: float | None
    record: float | None
    columns: dict[str, float | None]
    blind_spot: bool
    hidden_strength: bool
    column_values: tuple[float | None, ...] = ()  # in the order of the report's columns


@dataclass(frozen=True)
class DimensionRow:
    key: str
    name: str
    self: float | None
    others: float | None
    record: float | None
    columns: dict[str, float | None]
    items: list[ItemRow]


@dataclass(frozen=True)
class FailureSignal:
    key: str
    name: str
    description: str
    rule: str
    signalled: bool


@dataclass(frozen=True)
class Priority:
    dimension_key: str
    dimension_name: str
    record: float | None
    items: list[ItemRow]


@dataclass
class IndividualReport:
    person: Person
    cycle: ReadinessCycle | None
    score: LeaderScore | None
    computed_at: dt.datetime | None
    band: catalogue.Band | None
    minimum_others: int
    band_rule: str
    rounding_rule: str
    columns: tuple[Column, ...]
    column_note: str
    dimensions: list[DimensionRow]
    blind_spots: list[ItemRow]
    hidden_strengths: list[ItemRow]
    priorities: list[Priority]
    failure_signals: list[FailureSignal]
    trend: list[TrendPoint]
    cycles: list[ReadinessCycle] = field(default_factory=list)

    @property
    def items(self) -> list[ItemRow]:
        return [item for dim in self.dimensions for item in dim.items]

    @property
    def signalled(self) -> list[FailureSignal]:
        return [s for s in self.failure_signals if s.signalled]

    def chart_data(self) -> dict[str, Any]:
        """What the radar and bar charts draw (also the PDF's SVG)."""
        show_others = self.score is not None and self.score.others_shown
        return {
            "dimensions": [d.name for d in self.dimensions],
            "dimension_self": [d.self for d in self.dimensions],
            "dimension_others": [d.others for d in self.dimensions] if show_others else None,
            "dimension_max": max(d.max_score for d in INSTRUMENT.dimensions),
            "items": [i.text for i in self.items],
            "item_self": [i.self for i in self.items],
            "item_others": [i.others for i in self.items] if show_others else None,
            "trend": [
                {"cycle": t.cycle_name, "total": t.total, "band": t.band_name} for t in self.trend
            ],
        }


def _item_texts(cycle: ReadinessCycle | None) -> dict[str, str]:
    """The cycle's own wording (an adapted version keeps its text), else the catalogue's."""
    texts = {item.key: item.text for item in catalogue.instrument_items()}
    if cycle is not None:
        texts.update(
            dict(
                Question.objects.filter(version_id=cycle.campaign.version_id).values_list(
                    "key", "text"
                )
            )
        )
    return texts


def category_aggregates(
    cycle: ReadinessCycle, person_id: int
) -> tuple[dict[str, int], dict[str, dict[str, tuple[float, int]]]]:
    """Per rater category: respondents who answered, and per item (sum, count) — in SQL."""
    answers = Answer.objects.filter(
        response__campaign_id=cycle.campaign_id,
        response__subject_id=person_id,
        value__isnull=False,
    )
    counts = {
        row["response__category"]: row["n"]
        for row in answers.values("response__category").annotate(
            n=Count("response_id", distinct=True)
        )
    }
    sums: dict[str, dict[str, tuple[float, int]]] = defaultdict(dict)
    for row in answers.values("response__category", "question__key").annotate(
        s=Sum("value"), n=Count("id")
    ):
        sums[row["response__category"]][row["question__key"]] = (float(row["s"]), row["n"])
    return counts, sums


def _disclosed(cycle: ReadinessCycle, person_id: int) -> set[str]:
    """Categories shown as such: self always; manager only if every manager invitation said so."""
    disclosed = set(DISCLOSED_CATEGORIES)
    undisclosed = Invitation.objects.filter(
        campaign_id=cycle.campaign_id,
        subject_id=person_id,
        category__in=list(DISCLOSED_CATEGORIES),
        category_disclosed=False,
    ).values_list("category", flat=True)
    disclosed -= set(undisclosed)
    return disclosed


def rater_columns(
    cycle: ReadinessCycle, person_id: int, *, score: LeaderScore | None, policy: Policy
) -> tuple[ColumnPlan, dict[str, dict[str, float | None]]]:
    """The columns a report may show and each column's item means."""
    counts, sums = category_aggregates(cycle, person_id)
    plan = plan_columns(
        counts,
        policy=policy,
        disclosed=_disclosed(cycle, person_id),
        others_published=bool(score and score.others_shown),
    )
    means: dict[str, dict[str, float | None]] = {}
    for column in plan.columns:
        per_item: dict[str, float | None] = {}
        for item in catalogue.instrument_items():
            total = sum(sums.get(c, {}).get(item.key, (0.0, 0))[0] for c in column.members)
            n = sum(sums.get(c, {}).get(item.key, (0.0, 0))[1] for c in column.members)
            per_item[item.key] = round(total / n, 2) if n else None
        means[column.key] = per_item
    return plan, means


def trend_for(person: Person) -> list[TrendPoint]:
    rows = (
        LeaderResult.objects.filter(organisation_id=person.organisation_id, person=person)
        .exclude(band_key="")
        .select_related("cycle")
        .only(
            "total",
            "band_key",
            "self_reported",
            "cycle__id",
            "cycle__name",
            "cycle__opens_at",
        )
        .order_by("cycle__opens_at", "cycle_id")
    )
    return [
        TrendPoint(
            r.cycle_id,
            r.cycle.name,
            r.cycle.opens_at,
            r.total,
            r.band_key,
            catalogue.band(r.band_key).name,
            r.self_reported,
        )
        for r in rows
    ]


def cycles_for_person(person: Person) -> list[ReadinessCycle]:
    return list(
        ReadinessCycle.objects.filter(
            organisation_id=person.organisation_id,
            pk__in=CycleLeader.objects.filter(person=person).values("cycle_id"),
        ).order_by("-opens_at", "-id")
    )


def individual_report(
    person: Person, *, cycle: ReadinessCycle | None = None, policy: Policy | None = None
) -> IndividualReport:
    """A leader's report for ``cycle`` (default: the result of record, see
    ``selectors.of_record_first``)."""
    policy = policy or policy_for(person.organisation_id)
    results = LeaderResult.objects.filter(
        organisation_id=person.organisation_id, person=person
    ).select_related("cycle", "cycle__campaign")
    if cycle is not None:
        result = results.filter(cycle=cycle).first()
    else:
        result = of_record_first(results.exclude(band_key="")).first()
        cycle = result.cycle if result is not None else None
    score = LeaderScore.from_json(result.score) if result is not None and result.score else None
    texts = _item_texts(cycle)
    if cycle is not None:
        plan, means = rater_columns(cycle, person.pk, score=score, policy=policy)
    else:
        plan, means = ColumnPlan((), (), ""), {}

    blind = set(score.blind_spots) if score else set()
    hidden = set(score.hidden_strengths) if score else set()
    rows: dict[str, ItemRow] = {}
    dimensions: list[DimensionRow] = []
    for dim in INSTRUMENT.dimensions:
        items = []
        for item in dim.items:
            s = (score.item_scores.get(item.key) if score else None) or {}
            row = ItemRow(
                key=item.key,
                text=texts.get(item.key, item.text),
                dimension_key=dim.key,
                self=s.get("self"),
                others=s.get("others"),
                record=s.get("record"),
                columns={c.key: means[c.key].get(item.key) for c in plan.columns},
                blind_spot=item.key in blind,
                hidden_strength=item.key in hidden,
                column_values=tuple(means[c.key].get(item.key) for c in plan.columns),
            )
            rows[item.key] = row
            items.append(row)
        d = (score.dimension_scores.get(dim.key) if score else None) or {}
        column_totals: dict[str, float | None] = {}
        for c in plan.columns:
            values = [means[c.key].get(i.key) for i in dim.items]
            present = [v for v in values if v is not None]
            column_totals[c.key] = (
                round(sum(present) / len(present) * len(values), 2) if present else None
            )
        dimensions.append(
            DimensionRow(
                dim.key,
                dim.name,
                d.get("self"),
                d.get("others"),
                d.get("record"),
                column_totals,
                items,
            )
        )
    names = {d.key: d.name for d in INSTRUMENT.dimensions}
    priorities = []
    if score is not None:
        for key in score.priorities:
            priorities.append(
                Priority(
                    key,
                    names.get(key, key),
                    score.dimension_scores.get(key, {}).get("record"),
                    [rows[k] for k in score.priority_items.get(key, ()) if k in rows],
                )
            )
    fired = set(score.failure_modes) if score else set()
    signals = [
        FailureSignal(
            rule.key,
            catalogue.entry(rule.key).name,
            catalogue.entry(rule.key).description,
            rule.describe(),
            rule.key in fired,
        )
        for rule in scoring.FAILURE_MODE_RULES
    ]
    return IndividualReport(
        person=person,
        cycle=cycle,
        score=score,
        computed_at=result.computed_at if result is not None else None,
        band=catalogue.band(score.band_key) if score and score.band_key else None,
        minimum_others=policy.min_360_group,
        band_rule=scoring.band_of_record_rule(policy.min_360_group),
        rounding_rule=(
            "Scores are sums of item scores (20–100; 5–25 per dimension). An item's others' "
            "score is the mean of the manager, peer and direct-report ratings."
        ),
        columns=plan.columns,
        column_note=plan.note,
        dimensions=dimensions,
        blind_spots=[rows[k] for k in (score.blind_spots if score else ()) if k in rows],
        hidden_strengths=[rows[k] for k in (score.hidden_strengths if score else ()) if k in rows],
        priorities=priorities,
        failure_signals=signals,
        trend=trend_for(person),
        cycles=cycles_for_person(person),
    )


# --- organisation views ------------------------------------------------------------------------


def _scored(cycle: ReadinessCycle) -> Any:
    return LeaderResult.objects.filter(
        organisation_id=cycle.organisation_id, cycle=cycle, total__isnull=False
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
    return {
        f"d_{key}": Sum(Cast(KT(f"score__dimension_scores__{key}__record"), FloatField()))
        for key in DIMENSION_KEYS
    }


def heatmap(cycle: ReadinessCycle, *, policy: Policy | None = None) -> Heatmap:
    """Mean record score per dimension × top-level org unit, small units suppressed.

    Units are the first level of the org tree at which the assessed leaders fall into
    more than one unit (under a single root, the units right below it); a leader counts
    in the unit at that level above their own. Leaders placed higher up count only in
    the organisation row. A unit with
    fewer assessed leaders than the minimum group is hidden (primary), and a unit whose
    figures could be derived from the organisation row minus the shown units is hidden too
    (secondary, ``surveys.confidentiality.suppress``).
    """
    policy = policy or policy_for(cycle.organisation_id)
    minimum = policy.min_group
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
    earlier = LeaderResult.objects.filter(
        cycle=from_cycle, person_id=OuterRef("person_id"), total__isnull=False
    ).exclude(band_key="")
    rows = (
        _scored(to_cycle)
        .annotate(prev=Subquery(earlier.values("band_key")[:1]))
        .values("prev", "band_key")
        .annotate(n=Count("id"))
        .order_by()
    )
    matrix = {a: dict.fromkeys(BAND_KEYS, 0) for a in BAND_KEYS}
    rank = {key: len(BAND_KEYS) - i for i, key in enumerate(BAND_KEYS)}
    both = up = same = down = new = 0
    for r in rows:
        if not r["prev"]:
            new += r["n"]
            continue
        matrix[r["prev"]][r["band_key"]] += r["n"]
        both += r["n"]
        delta = rank[r["band_key"]] - rank[r["prev"]]
        if delta > 0:
            up += r["n"]
        elif delta < 0:
            down += r["n"]
        else:
            same += r["n"]
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
class CompletionRow:
    category: str
    label: str
    invited: int
    completed: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.completed / self.invited, 1) if self.invited else None


def completion(cycle: ReadinessCycle) -> list[CompletionRow]:
    """Invitations and completed ratings per rater category, plus all (one query)."""
    rows: dict[str, dict[str, Any]] = {
        r["category"]: dict(r)
        for r in Invitation.objects.filter(campaign_id=cycle.campaign_id, revoked_at__isnull=True)
        .values("category")
        .annotate(invited=Count("id"), completed=Count("completion"))
        .order_by()
    }
    out = [
        CompletionRow(
            c.value,
            c.label,
            rows.get(c.value, {}).get("invited", 0),
            rows.get(c.value, {}).get("completed", 0),
        )
        for c in Category
    ]
    out.append(
        CompletionRow(
            "all", "All ratings", sum(r.invited for r in out), sum(r.completed for r in out)
        )
    )
    return out


@dataclass(frozen=True)
class ShareFigure:
    """KPI "≥90% of leaders score 70+": each leader's band of record."""

    kpi_key: str
    name: str
    target: str
    qualifying_score: int
    leaders: int
    at_or_above: int
    self_reported: int
    percent: float | None
    meets_target: bool | None


def share_at_or_above_70(organisation: Organisation | int) -> ShareFigure:
    """Share of leaders whose band-of-record total is 70+ (rounded half up: 69.5
    counts), one SQL query."""
    org_id = _org_id(organisation)
    base = LeaderResult.objects.filter(organisation_id=org_id, total__isnull=False).exclude(
        band_key=""
    )
    latest = of_record_first(base.filter(person_id=OuterRef("person_id")))
    threshold = QUALIFYING_SCORE - 0.5
    figures = (
        base.annotate(latest_id=Subquery(latest.values("pk")[:1]))
        .filter(pk=F("latest_id"))
        .aggregate(
            leaders=Count("id"),
            ok=Count("id", filter=Q(total__gte=threshold)),
            self_n=Count("id", filter=Q(self_reported=True)),
        )
    )
    leaders = figures["leaders"] or 0
    percent = round(100 * figures["ok"] / leaders, 1) if leaders else None
    return ShareFigure(
        FLUENCY_KPI.key,
        FLUENCY_KPI.name,
        FLUENCY_KPI.target,
        QUALIFYING_SCORE,
        leaders,
        figures["ok"] or 0,
        figures["self_n"] or 0,
        percent,
        FLUENCY_KPI.meets_target(percent) if percent is not None else None,
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


def leader_rows(cycle: ReadinessCycle) -> list[LeaderRow]:
    """Every scored leader of a cycle with dimension record scores (one query)."""
    rows = (
        _scored(cycle)
        .annotate(
            **{
                f"d_{k}": Cast(KT(f"score__dimension_scores__{k}__record"), FloatField())
                for k in DIMENSION_KEYS
            }
        )
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


def organisation_view(
    organisation: Organisation,
    *,
    cycle_id: int | None = None,
    compare_id: int | None = None,
    cycles: Sequence[ReadinessCycle] | None = None,
) -> OrganisationView:
    """All organisation views for a cycle (default the latest closed one) vs an earlier one (default the one
    before it)."""
    cycles = list(cycles) if cycles is not None else cycles_of(organisation)
    by_id = {c.pk: c for c in cycles}
    if cycle_id is not None:
        cycle = by_id.get(cycle_id)
    else:
        # By default the latest closed cycle: an open one is still filling up.
        closed = [c for c in cycles if c.is_closed]
        cycle = closed[0] if closed else (cycles[0] if cycles else None)
    compare = None
    if cycle is not None:
        if compare_id is not None:
            compare = by_id.get(compare_id)
        else:
            earlier = [c for c in cycles if c.opens_at < cycle.opens_at]
            compare = earlier[0] if earlier else None
        if compare is not None and compare.pk == cycle.pk:
            compare = None
    policy = policy_for(organisation)
    return OrganisationView(
        cycles=cycles,
        cycle=cycle,
        compare=compare,
        distribution=band_distribution(cycle) if cycle else None,
        heatmap=heatmap(cycle, policy=policy) if cycle else None,
        transitions=transitions(compare, cycle) if cycle and compare else None,
        completion=completion(cycle) if cycle else [],
        share=share_at_or_above_70(organisation),
    )
