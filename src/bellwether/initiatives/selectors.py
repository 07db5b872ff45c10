"""Reading initiatives: the portfolio, capacity load, one initiative's package and the
decision log (the organisation-level figures and the inbox live in ``selectors_kpi`` and
are re-exported here). A fixed number of queries per page."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from bellwether.core.models import Organisation
from bellwether.initiatives import alignment as rules
from bellwether.initiatives.models import (
    ELEMENT_CHOICES,
    STAGE_ORDER,
    AdoptionSample,
    AlignmentPosition,
    BottleneckTeam,
    ChainLink,
    DecisionLogEntry,
    GateReview,
    Initiative,
    Measurement,
    Metric,
    Signatory,
    TeamDemand,
)
from bellwether.initiatives.selectors_kpi import LeaderSupport as LeaderSupport
from bellwether.initiatives.selectors_kpi import TimeToDecision as TimeToDecision
from bellwether.initiatives.selectors_kpi import decision_days as decision_days
from bellwether.initiatives.selectors_kpi import inbox_items as inbox_items
from bellwether.initiatives.selectors_kpi import leader_support as leader_support
from bellwether.initiatives.selectors_kpi import organisation_alignment as organisation_alignment
from bellwether.initiatives.selectors_kpi import pilot_support as pilot_support
from bellwether.initiatives.selectors_kpi import time_to_decision as time_to_decision
from bellwether.people.models import LeaderLevel, Person

COUNTER = rules.LAYER_COUNTER
ELEMENT_NAMES = dict(ELEMENT_CHOICES)


@dataclass
class Alert:
    kind: str  # "guardrail" | "weak_chain" | "majority_wall"
    message: str


@dataclass
class PortfolioRow:
    initiative: Initiative
    blockers: list[str]
    integrity_gaps: list[str]
    gates_endorsed: int
    gates_total: int
    teams_in_flight: list[str]
    alignment: rules.AlignmentSummary
    alerts: list[Alert] = field(default_factory=list)

    @property
    def scale_ready_possible(self) -> bool:
        return not self.blockers

    @property
    def learning_only(self) -> bool:
        """Without measurement integrity the initiative can be at most learning-only."""
        return bool(self.integrity_gaps)


def _latest_value() -> Subquery:
    return Subquery(
        Measurement.objects.filter(metric=OuterRef("pk"))
        .order_by("-measured_at")
        .values("value")[:1]
    )


def guardrail_alerts(metrics: list[dict[str, Any]]) -> list[Alert]:
    return [
        Alert(
            "guardrail",
            f"Counter-metric “{m['name']}” is at {m['latest']:g}{m['unit'] and ' ' + m['unit']}, "
            f"past its guardrail of {m['guardrail']:g}.",
        )
        for m in metrics
        if m["layer"] == COUNTER
        and rules.guardrail_breached(
            direction=m["direction"], guardrail=m["guardrail"], value=m["latest"]
        )
    ]


PORTFOLIO_FIELDS = (
    "id",
    "organisation_id",
    "name",
    "archetype",
    "horizon",
    "stage",
    "sponsor_id",
    "sponsor__id",
    "sponsor__name",
)


# Raw SQL where the ORM would cost more than the query: only table names and the ORM's own
# compiled restriction (``{ids}``) are formatted in; values go as parameters.
SIGNERS_SQL = """
SELECT s.initiative_id, s.person_id, COUNT(a.id)
FROM {signatory} s
LEFT JOIN {position} a
  ON a.initiative_id = s.initiative_id AND a.executive_id = s.person_id AND a.agrees = %s
WHERE s.required = %s AND s.initiative_id IN ({ids})
GROUP BY s.initiative_id, s.person_id
"""
DISAGREEMENTS_SQL = """
SELECT initiative_id, executive_id, element FROM {position}
WHERE agrees = %s AND initiative_id IN ({ids})
"""
# Only picks the weeks: the latest ``sustained_weeks`` after the initial ones in which both
# cohorts were shown suggestions (a week without any has no rate: ``rules.rate``). The
# counts it returns go through ``rules.adoption_points`` like the initiative page's.
WALL_SQL = """
WITH measured AS (
  SELECT initiative_id, week
  FROM {adoption}
  WHERE week > %s AND suggestions > 0 AND initiative_id IN ({ids})
  GROUP BY initiative_id, week HAVING COUNT(DISTINCT cohort) = 2
), recent AS (
  SELECT initiative_id, week,
    ROW_NUMBER() OVER (PARTITION BY initiative_id ORDER BY week DESC) AS n
  FROM measured
)
SELECT a.initiative_id, a.week, a.cohort, a.accepted, a.suggestions
FROM {adoption} a JOIN recent r ON r.initiative_id = a.initiative_id AND r.week = a.week
WHERE r.n <= %s
"""


def portfolio(initiatives: QuerySet[Initiative]) -> list[PortfolioRow]:
    """Every initiative in ``initiatives`` (already restricted to what the member may see)
    with readiness, gates, capacity, alignment and alerts, in nine queries."""
    # Only what the portfolio shows: timestamps would cost more to parse than the rest.
    items = list(
        initiatives.select_related("sponsor").only(*PORTFOLIO_FIELDS).order_by("name", "id")
    )
    # The same restriction as a subquery: the database joins it, no id list is sent.
    ids = initiatives.order_by().values("pk")
    statuses: dict[int, dict[str, str]] = defaultdict(dict)
    for initiative_id, key, status in GateReview.objects.filter(initiative_id__in=ids).values_list(
        "initiative_id", "key", "status"
    ):
        statuses[initiative_id][key] = status
    # Measurement integrity is counted in SQL; only guarded counter-metrics need their
    # latest value, looked up through the (metric, measured_at) index.
    defensible = Q(baseline_value__isnull=False, comparison__in=rules.COMPARISONS_WITH_INTEGRITY)
    counts = {
        row[0]: row[1:]
        for row in Metric.objects.filter(initiative_id__in=ids)
        .values("initiative_id")
        .annotate(
            operational=Count("pk", filter=Q(layer=rules.LAYER_OPERATIONAL) & defensible),
            outcome=Count("pk", filter=Q(layer=rules.LAYER_OUTCOME) & defensible),
            counter=Count("pk", filter=Q(layer=COUNTER)),
        )
        .values_list("initiative_id", "operational", "outcome", "counter")
    }
    metrics: dict[int, list[Any]] = defaultdict(list)
    for initiative_id, name, unit, direction, guardrail, latest in (
        Metric.objects.filter(initiative_id__in=ids, layer=COUNTER, guardrail__isnull=False)
        .annotate(latest=_latest_value())
        .values_list("initiative_id", "name", "unit", "direction", "guardrail", "latest")
    ):
        metrics[initiative_id].append(
            {
                "name": name,
                "unit": unit,
                "layer": COUNTER,
                "direction": direction,
                "guardrail": guardrail,
                "latest": latest,
            }
        )
    chains: dict[int, list[str]] = defaultdict(list)
    for initiative_id, kind in (
        ChainLink.objects.filter(initiative_id__in=ids)
        .order_by("initiative_id", "position")
        .values_list("initiative_id", "kind")
    ):
        chains[initiative_id].append(kind)
    teams: dict[int, list[str]] = defaultdict(list)
    for initiative_id, name in (
        TeamDemand.objects.filter(initiative_id__in=ids, in_flight=True)
        .order_by("team__name")
        .values_list("initiative_id", "team__name")
    ):
        teams[initiative_id].append(name)
    # Alignment: each signatory with their count of agreements (one join), plus the (few)
    # disagreements themselves.
    ids_sql, ids_params = ids.query.sql_with_params()
    signers: dict[int, list[int]] = defaultdict(list)
    agreed: dict[int, dict[int, int]] = defaultdict(dict)
    disagreements: dict[int, list[tuple[int, str]]] = defaultdict(list)
    wall_points: dict[int, list[rules.AdoptionPoint]] = defaultdict(list)
    tables = {
        "signatory": Signatory._meta.db_table,
        "position": AlignmentPosition._meta.db_table,
        "adoption": AdoptionSample._meta.db_table,
        "ids": ids_sql,
    }
    wall = rules.MAJORITY_WALL
    with connection.cursor() as cursor:
        # Only the required signatories: one who stays silent counts against alignment.
        cursor.execute(SIGNERS_SQL.format(**tables), [True, True, *ids_params])
        for initiative_id, person_id, n in cursor.fetchall():
            signers[initiative_id].append(person_id)
            if n:
                agreed[initiative_id][person_id] = n
        cursor.execute(DISAGREEMENTS_SQL.format(**tables), [False, *ids_params])
        for initiative_id, executive_id, element in cursor.fetchall():
            disagreements[initiative_id].append((executive_id, element))
        # The majority wall needs only the latest weeks after the initial ones in which both
        # cohorts were measured: the rule looks at the last ``sustained_weeks`` of them.
        cursor.execute(
            WALL_SQL.format(**tables),
            [wall.initial_weeks, *ids_params, wall.sustained_weeks],
        )
        wall_counts: dict[int, list[tuple[int, str, int, int]]] = defaultdict(list)
        for initiative_id, week, cohort, accepted, suggestions in cursor.fetchall():
            wall_counts[initiative_id].append((week, cohort, accepted, suggestions))
        for initiative_id, counts_of_weeks in wall_counts.items():
            wall_points[initiative_id] = rules.adoption_points(counts_of_weeks)

    rows = []
    for item in items:
        operational, outcome, counter = counts.get(item.pk, (0, 0, 0))
        gaps = rules.integrity_gaps(
            defensible_operational=operational,
            defensible_outcome=outcome,
            counter_metrics=counter,
        )
        gate_statuses = statuses[item.pk]
        alerts = guardrail_alerts(metrics[item.pk])
        alerts += [
            Alert("weak_chain", reason) for reason in rules.chain_weaknesses(chains[item.pk])
        ]
        if wall_points[item.pk] and rules.majority_wall(wall_points[item.pk]).flagged:
            alerts.append(Alert("majority_wall", wall.guidance))
        rows.append(
            PortfolioRow(
                initiative=item,
                blockers=rules.scale_ready_blockers(gaps=gaps, gate_statuses=gate_statuses),
                integrity_gaps=gaps,
                gates_endorsed=sum(1 for s in gate_statuses.values() if s == "endorsed"),
                gates_total=len(rules.GATE_KEYS),
                teams_in_flight=teams[item.pk],
                alignment=rules.alignment_from_counts(
                    executives=signers[item.pk],
                    agreed=agreed[item.pk],
                    disagreements=disagreements[item.pk],
                ),
                alerts=alerts,
            )
        )
    return rows


def portfolio_by_stage(rows: list[PortfolioRow]) -> list[tuple[str, list[PortfolioRow]]]:
    from bellwether.initiatives.models import STAGE_CHOICES

    return [(name, [r for r in rows if r.initiative.stage == key]) for key, name in STAGE_CHOICES]


@dataclass(frozen=True)
class TeamLoad:
    team: BottleneckTeam
    in_flight: int
    overrides: int
    waiting: int  # initiatives that need the team but haven't started with it

    @property
    def over_cap(self) -> bool:
        return self.in_flight > self.team.cap

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.in_flight / self.team.cap)) if self.team.cap else 100


def capacity_load(organisation: Organisation) -> list[TeamLoad]:
    """Load against caps for every bottleneck team, in one query."""
    teams = BottleneckTeam.objects.filter(organisation=organisation).annotate(
        n_in_flight=Count("demands", filter=Q(demands__in_flight=True)),
        n_overrides=Count(
            "demands", filter=Q(demands__in_flight=True) & ~Q(demands__override_reason="")
        ),
        n_waiting=Count("demands", filter=Q(demands__in_flight=False)),
    )
    return [
        TeamLoad(team=t, in_flight=t.n_in_flight, overrides=t.n_overrides, waiting=t.n_waiting)
        for t in teams
    ]


# --- one initiative -------------------------------------------------------------------------


@dataclass
class MetricView:
    metric: Metric
    latest: float | None
    series: list[tuple[str, float]]
    breached: bool


@dataclass(frozen=True)
class SignerStatus:
    """A required signatory and where they stand on the package."""

    person: Person
    given: int  # elements with a position
    disagrees_on: tuple[str, ...]  # the elements' names

    @property
    def signed(self) -> bool:
        """A position on every element of the package."""
        return self.given >= len(rules.ALIGNMENT_ELEMENTS)

    @property
    def aligned(self) -> bool:
        return self.signed and not self.disagrees_on


@dataclass
class InitiativePackage:
    initiative: Initiative
    chain: list[ChainLink]
    chain_weaknesses: list[str]
    metrics: list[MetricView]
    integrity_gaps: list[str]
    gates: list[GateReview]
    blockers: list[str]
    alignment: rules.AlignmentSummary
    positions: list[AlignmentPosition]
    signatories: list[Any]  # the required signatories
    signers: list[SignerStatus]  # the same, with where each stands
    impacts: list[Any]
    decision_rights: list[Any]
    team_demands: list[TeamDemand]
    adoption: list[AdoptionSample]
    majority_wall: rules.MajorityWall
    alerts: list[Alert]


def adoption_wall(samples: list[AdoptionSample]) -> rules.MajorityWall:
    """The majority wall of one initiative's samples: the same points as the portfolio's."""
    return rules.majority_wall(
        rules.adoption_points((s.week, s.cohort, s.accepted, s.suggestions) for s in samples)
    )


def initiative_package(
    initiative: Initiative, *, series_days: int | None = 400
) -> InitiativePackage:
    chain = list(initiative.chain.all())
    metric_rows = list(initiative.metrics.annotate(latest=_latest_value()))
    since = None
    if series_days is not None:
        since = datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=series_days)
    series: dict[int, list[tuple[str, float]]] = defaultdict(list)
    points = Measurement.objects.filter(metric__initiative=initiative)
    if since is not None:
        points = points.filter(measured_at__gte=since)
    for metric_id, at, value in points.order_by("metric_id", "measured_at").values_list(
        "metric_id", "measured_at", "value"
    ):
        series[metric_id].append((at.date().isoformat(), value))
    metric_views = [
        MetricView(
            metric=m,
            latest=m.latest,
            series=series[m.pk],
            breached=m.layer == COUNTER
            and rules.guardrail_breached(
                direction=m.direction,
                guardrail=m.guardrail,
                value=m.latest,
            ),
        )
        for m in metric_rows
    ]
    facts = [rules.MetricFacts(m.layer, m.has_baseline, m.comparison) for m in metric_rows]
    gates = list(initiative.gates.select_related("endorsed_by"))
    positions = list(
        AlignmentPosition.objects.filter(initiative=initiative)
        .select_related("executive")
        .order_by("executive__name", "element")
    )
    signatories = [
        s.person
        for s in Signatory.objects.filter(initiative=initiative, required=True)
        .select_related("person")
        .order_by("person__name", "person_id")
    ]
    summary = rules.alignment_summary(
        executives=[p.pk for p in signatories],
        positions={(p.executive_id, p.element): p.agrees for p in positions},
    )
    signers = [
        SignerStatus(
            person=person,
            given=sum(1 for p in positions if p.executive_id == person.pk),
            disagrees_on=tuple(
                ELEMENT_NAMES[p.element]
                for p in positions
                if p.executive_id == person.pk and not p.agrees
            ),
        )
        for person in signatories
    ]
    adoption = list(initiative.adoption.all())
    wall = adoption_wall(adoption)
    weaknesses = rules.chain_weaknesses([link.kind for link in chain])
    alerts = [
        Alert(
            "guardrail",
            f"Counter-metric “{v.metric.name}” is at {v.latest:g}, past its guardrail of "
            f"{v.metric.guardrail:g}.",
        )
        for v in metric_views
        if v.breached
    ]
    alerts += [Alert("weak_chain", reason) for reason in weaknesses]
    if wall.flagged:
        alerts.append(Alert("majority_wall", wall.guidance))
    return InitiativePackage(
        initiative=initiative,
        chain=chain,
        chain_weaknesses=weaknesses,
        metrics=metric_views,
        integrity_gaps=rules.measurement_integrity_gaps(facts),
        gates=gates,
        blockers=rules.scale_ready_blockers(
            metrics=facts, gate_statuses={g.key: g.status for g in gates}
        ),
        alignment=summary,
        positions=positions,
        signatories=signatories,
        signers=signers,
        impacts=list(initiative.impacts.select_related("owner")),
        decision_rights=list(initiative.decision_rights.all()),
        team_demands=list(initiative.demands.select_related("team")),
        adoption=adoption,
        majority_wall=wall,
        alerts=alerts,
    )


def stage_of(initiative: Initiative) -> str:
    """The initiative's stage as stored now (an edit may have moved it back)."""
    return Initiative.objects.filter(pk=initiative.pk).values_list("stage", flat=True).get()


def stage_order(stage: str) -> int:
    return STAGE_ORDER[stage]


# --- the decision log ---------------------------------------------------------------------------


def decision_entries(
    organisation: Organisation,
    *,
    status: str = "",
    initiative_id: int | None = None,
    query: str = "",
) -> QuerySet[DecisionLogEntry]:
    """The organisation's decision log, newest request first, filtered by status
    (open/decided), initiative and words of the title or outcome: the page and the API."""
    entries = DecisionLogEntry.objects.filter(organisation=organisation).select_related(
        "decided_by", "initiative"
    )
    if status == "open":
        entries = entries.filter(decided_at__isnull=True)
    elif status == "decided":
        entries = entries.filter(decided_at__isnull=False)
    if initiative_id is not None:
        entries = entries.filter(initiative_id=initiative_id)
    if query.strip():
        entries = entries.filter(
            Q(title__icontains=query.strip()) | Q(outcome__icontains=query.strip())
        )
    return entries.order_by("-requested_at", "-id")


def decision_log(
    organisation: Organisation,
    *,
    status: str = "",
    initiative_id: int | None = None,
    query: str = "",
    page: int | str = 1,
    per_page: int = 25,
) -> Page[DecisionLogEntry]:
    """One page of ``decision_entries``. Two queries."""
    entries = decision_entries(
        organisation, status=status, initiative_id=initiative_id, query=query
    )
    return Paginator(entries, per_page).get_page(page)


# --- single rows the pages and the API resolve from a form or a payload -----------------------


def initiative_choices(organisation: Organisation) -> QuerySet[Initiative]:
    """The organisation's initiatives by name, for a choice of initiative."""
    return Initiative.objects.filter(organisation=organisation).only("id", "name").order_by("name")


def initiative_in(organisation: Organisation, pk: int) -> Initiative | None:
    """An initiative of this organisation named in a payload (None if unknown)."""
    return Initiative.objects.filter(organisation=organisation, pk=pk).first()


def person_in(organisation: Organisation, pk: int) -> Person | None:
    """A person of this organisation named in a payload (None if unknown)."""
    return Person.objects.filter(organisation=organisation, pk=pk).first()


def executives(organisation: Organisation) -> QuerySet[Person]:
    """The organisation's active executives by name: who may be named to sign a package."""
    return Person.objects.filter(
        organisation=organisation, active=True, leader_level=LeaderLevel.EXECUTIVE
    ).order_by("name", "id")


def people_in(organisation: Organisation, pks: list[int]) -> list[Person]:
    """The people of this organisation among ``pks`` (unknown ids are left out)."""
    return list(Person.objects.filter(organisation=organisation, pk__in=pks))


def bottleneck_teams(organisation: Organisation) -> QuerySet[BottleneckTeam]:
    return BottleneckTeam.objects.filter(organisation=organisation)


def adoption_samples(initiative: Initiative) -> list[AdoptionSample]:
    return list(initiative.adoption.all())


def portfolio_row(initiative: Initiative) -> PortfolioRow:
    """The portfolio's row for one initiative."""
    [row] = portfolio(Initiative.objects.filter(pk=initiative.pk))
    return row
