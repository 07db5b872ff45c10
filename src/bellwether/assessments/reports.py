"""Readiness reports: the individual report (the organisation views are in
``reports_org`` and the completion and 70+ KPI figures in ``reports_org_kpi``, both
re-exported here).

Shared by the pages, the PDF and the API. A report shows a released cycle only: the
leader's stored ``LeaderResult`` (the scores of record) and the rater groups stored
beside it when the cycle was released (``release.py``, ``rater_columns``), read as
stored. For an open cycle, or one closed and not yet released, it says when results
come and shows nothing from the ratings, the leader's own self-assessment included
(it is sealed with the others until the cycle closes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count

from bellwether.assessments import scoring
from bellwether.assessments.models import (
    CycleLeader,
    LeaderResult,
    RaterChange,
    ReadinessCycle,
)
from bellwether.assessments.rater_columns import Column
from bellwether.assessments.reports_org import (
    BAND_KEYS,
    DIMENSION_KEYS,
    INSTRUMENT,
    BandCount,
    Distribution,
    Heatmap,
    HeatmapRow,
    LeaderRow,
    OrganisationView,
    Transitions,
    band_distribution,
    closes_label,
    cycles_of,
    heatmap,
    leader_rows,
    organisation_view,
    pending_message,
    transitions,
)
from bellwether.assessments.reports_org_kpi import (
    FLUENCY_KPI,
    QUALIFYING_SCORE,
    CompletionRow,
    ShareFigure,
    completion,
    share_at_or_above_70,
)
from bellwether.assessments.scoring import LeaderScore
from bellwether.assessments.selectors import of_record_first
from bellwether.framework import catalogue
from bellwether.people.models import Person
from bellwether.surveys.models import Question

__all__ = [
    "BAND_KEYS",
    "DIMENSION_KEYS",
    "FLUENCY_KPI",
    "INSTRUMENT",
    "QUALIFYING_SCORE",
    "BandCount",
    "CompletionRow",
    "Distribution",
    "Heatmap",
    "HeatmapRow",
    "LeaderRow",
    "OrganisationView",
    "ShareFigure",
    "Transitions",
    "band_distribution",
    "closes_label",
    "completion",
    "cycles_of",
    "heatmap",
    "leader_rows",
    "organisation_view",
    "pending_message",
    "share_at_or_above_70",
    "transitions",
]


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
    # Why the chosen cycle shows nothing yet (open, or closed and being released).
    pending: str = ""
    # A later cycle not released yet, and when its results come.
    upcoming: str = ""
    # Changes to the leader's raters after the cycle opened, by kind.
    changes: dict[str, int] = field(default_factory=dict)
    base_minimum: int = 0

    @property
    def changes_note(self) -> str:
        return changes_note(self.changes)

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


def trend_for(person: Person) -> list[TrendPoint]:
    """The band of record of each released cycle: what each cycle's report showed."""
    rows = (
        LeaderResult.objects.filter(
            organisation_id=person.organisation_id,
            person=person,
            cycle__released_at__isnull=False,
        )
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
        )
        .select_related("campaign")
        .order_by("-opens_at", "-id")
    )


CHANGE_WORDS = {
    "added": ("rater was added", "raters were added"),
    "removed": ("rater was removed", "raters were removed"),
    "resent": ("rater was sent a new link", "raters were sent a new link"),
    "email_changed": ("rater's e-mail changed", "raters' e-mails changed"),
}


def changes_note(changes: dict[str, int]) -> str:
    """ "2 raters were added after the cycle opened …" (empty when there were none)."""
    parts = [
        f"{n} {CHANGE_WORDS[kind][0 if n == 1 else 1]}"
        for kind, n in changes.items()
        if n and kind in CHANGE_WORDS
    ]
    if not parts:
        return ""
    listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return (
        f"After the cycle opened, {listed}. Whoever receives such a link may not be the "
        "person invited, so each change raises the minimum of the rater group it touches "
        "by one (and such raters are never counted on to protect another's answers)."
    )


def live_changes(cycle: ReadinessCycle, person_id: int) -> dict[str, int]:
    """The late rater changes of a leader so far (for a cycle not released yet)."""
    counts = dict.fromkeys(CHANGE_WORDS, 0)
    for kind, n in (
        RaterChange.objects.filter(cycle=cycle, leader_id=person_id)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    ):
        counts[kind] = n
    return counts


def individual_report(person: Person, *, cycle: ReadinessCycle | None = None) -> IndividualReport:
    """A leader's report for ``cycle`` (default: the latest released cycle, see
    ``selectors.of_record_first``). A cycle not released yet gives an empty report with
    ``pending`` saying when results come."""
    results = LeaderResult.objects.filter(
        organisation_id=person.organisation_id, person=person
    ).select_related("cycle", "cycle__campaign")
    result: LeaderResult | None
    cycles = cycles_for_person(person)
    if cycle is not None:
        result = results.filter(cycle=cycle, cycle__released_at__isnull=False).first()
    else:
        result = of_record_first(results.exclude(band_key="")).first()
        cycle = result.cycle if result is not None else None
        if cycle is None and cycles:
            cycle = cycles[0]  # never released yet: the latest cycle, and when it comes
    pending = pending_message(cycle) if cycle is not None else ""
    newer = [
        c for c in cycles if not c.is_released and (cycle is None or c.opens_at > cycle.opens_at)
    ]
    upcoming = pending_message(newer[0]) if newer else ""
    if pending:
        result = None
    score = LeaderScore.from_json(result.score) if result is not None and result.score else None
    groups: dict[str, Any] = (result.groups or {}) if result is not None else {}
    texts = _item_texts(cycle)
    stored_columns = groups.get("columns", [])
    columns = tuple(
        Column(c["key"], c["label"], tuple(c["categories"]), int(c["n"])) for c in stored_columns
    )
    means = {c["key"]: c.get("items", {}) for c in stored_columns}
    base = (
        int(groups.get("base_minimum") or 0)
        or (cycle.campaign.min_360_group if cycle is not None else 0)
        or 3
    )
    minimum_others = int(groups.get("minimum_others") or base)

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
                columns={c.key: means[c.key].get(item.key) for c in columns},
                blind_spot=item.key in blind,
                hidden_strength=item.key in hidden,
                column_values=tuple(means[c.key].get(item.key) for c in columns),
            )
            rows[item.key] = row
            items.append(row)
        d = (score.dimension_scores.get(dim.key) if score else None) or {}
        column_totals: dict[str, float | None] = {}
        for c in columns:
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
    if result is not None:
        changes = {k: int(v) for k, v in (groups.get("changes") or {}).items()}
    elif cycle is not None:
        changes = live_changes(cycle, person.pk)
    else:
        changes = {}
    return IndividualReport(
        person=person,
        cycle=cycle,
        score=score,
        computed_at=result.computed_at if result is not None else None,
        band=catalogue.band(score.band_key) if score and score.band_key else None,
        minimum_others=minimum_others,
        band_rule=scoring.band_of_record_rule(minimum_others),
        rounding_rule=(
            "Scores are sums of item scores (20–100; 5–25 per dimension). An item's others' "
            "score is the mean of the manager, peer and direct-report ratings."
        ),
        columns=columns,
        column_note=str(groups.get("note", "")),
        dimensions=dimensions,
        blind_spots=[rows[k] for k in (score.blind_spots if score else ()) if k in rows],
        hidden_strengths=[rows[k] for k in (score.hidden_strengths if score else ()) if k in rows],
        priorities=priorities,
        failure_signals=signals,
        trend=trend_for(person),
        cycles=cycles,
        pending=pending,
        upcoming=upcoming,
        changes=changes,
        base_minimum=base,
    )
