"""Where each KPI's figure comes from: one source per KPI, reading the owning app's
selectors as of the last day of a period.

A source knows its definition (numerator, denominator, source, period), computes the
figure for a period and a scope (a unit's subtree, a leader level), and lists what is
behind the figure: rows for data about identified leaders, and for anonymous pulse data
only the released aggregate. A KPI whose data is not recorded by any module yet answers
"no data" with the reason, so the dashboard lights up as its sources arrive.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import cast
from zoneinfo import ZoneInfo

from bellwether.assessments import selectors as assessments
from bellwether.behaviours import selectors as behaviours
from bellwether.communications import selectors as communications
from bellwether.core.models import Organisation
from bellwether.development import selectors as development
from bellwether.framework.catalogue import (
    BEHAVIOUR_CONSISTENCY,
    BEHAVIOUR_CROSS_FUNCTIONAL,
    BEHAVIOUR_USED_AI_TOOLS,
    KPI_COMMUNICATION_QUALITY,
    KPI_EMPLOYEE_CONFIDENCE,
    REGULAR_USE_DAYS_PER_WEEK,
    kpi,
)
from bellwether.initiatives import selectors as initiatives
from bellwether.insights.measures import Definition, Figure, percent
from bellwether.insights.periods import Period
from bellwether.people import selectors as people
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.surveys import selectors as surveys


@dataclass(frozen=True)
class Scope:
    """Who a figure counts: the whole organisation, a unit's subtree and/or a level."""

    unit: OrgUnit | None = None
    level: str = ""

    @property
    def is_whole(self) -> bool:
        return self.unit is None and not self.level


@dataclass(frozen=True)
class Context:
    organisation: Organisation
    period: Period
    scope: Scope
    baseline: float | None = None
    # Shared by the periods of one trend: a source may keep what two periods have in
    # common (e.g. the same cycles of record) for the length of one computation.
    memo: dict[object, object] = field(default_factory=dict, compare=False)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period, in the organisation's time zone."""
        zone = ZoneInfo(self.organisation.time_zone or "UTC")
        return dt.datetime.combine(self.period.end + dt.timedelta(days=1), dt.time(), zone)

    @property
    def today(self) -> dt.date:
        return dt.datetime.now(ZoneInfo(self.organisation.time_zone or "UTC")).date()

    @property
    def last_day(self) -> dt.date:
        """The period's last day, or today for the period still running: a figure about
        "the four weeks to the end" or "due by the end" must not count days to come."""
        return min(self.period.end, self.today)

    @property
    def start(self) -> dt.datetime:
        zone = ZoneInfo(self.organisation.time_zone or "UTC")
        return dt.datetime.combine(self.period.start, dt.time(), zone)


@dataclass(frozen=True)
class Detail:
    """What is behind a figure. ``rows`` only for identified data; ``aggregates`` (label,
    value) for anonymous data, exactly as the release allowed."""

    columns: tuple[str, ...] = ()
    rows: tuple[tuple[object, ...], ...] = ()
    aggregates: tuple[tuple[str, str], ...] = ()
    anonymous: bool = False


@dataclass(frozen=True)
class Source:
    definition: Definition
    compute: Callable[[Context], Figure]
    detail: Callable[[Context], Detail] = field(default=lambda context: Detail())
    # Whether the figure is anonymous (pulse) data: filtered views obey the release.
    anonymous: bool = False
    # Days after a period's end past which its inputs can no longer change, so its figure
    # may be kept (``insights/snapshots.py``); None: always computed.
    settles_after_days: int | None = None


# --- KPI 1: leaders scoring 70+ ---------------------------------------------------------------

_FLUENCY = kpi("kpi.executive_fluency")
QUALIFYING_SCORE = _FLUENCY.qualifying_score or 0


def _fluency_rows(context: Context) -> list[assessments.FluencyRow]:
    return assessments.fluency_rows(
        context.organisation,
        as_of=context.end,
        unit_path=context.scope.unit.path if context.scope.unit else "",
        level=context.scope.level,
    )


def _qualifies(total: float) -> bool:
    # Totals are shown rounded half up: 69.5 is shown as 70 and counts.
    return total >= QUALIFYING_SCORE - 0.5


def _fluency(context: Context) -> Figure:
    # Periods in which the same cycles had closed share their results of record.
    cycles = tuple(assessments.released_cycles_closed_by(context.organisation, as_of=context.end))
    key = ("fluency", cycles)
    if key not in context.memo:
        context.memo[key] = assessments.fluency_counts(
            context.organisation,
            as_of=context.end,
            threshold=QUALIFYING_SCORE - 0.5,
            unit_path=context.scope.unit.path if context.scope.unit else "",
            level=context.scope.level,
        )
    ok, leaders = cast(tuple[int, int], context.memo[key])
    return percent(ok, leaders)


def _fluency_detail(context: Context) -> Detail:
    return Detail(
        columns=("Leader", "Unit", "Level", "Total", f"{QUALIFYING_SCORE}+", "Cycle"),
        rows=tuple(
            (
                r.name,
                r.unit,
                r.level,
                round(r.total, 1),
                "yes" if _qualifies(r.total) else "no",
                r.cycle_name,
            )
            for r in _fluency_rows(context)
        ),
    )


# --- KPIs 3 and 5: released pulses ------------------------------------------------------------


def _pulse_cell(context: Context) -> tuple[str, str] | None:
    """The one released cell a scope names, or None for a scope no release decided."""
    scope = context.scope
    if scope.is_whole:
        return "", ""
    if scope.unit is not None and scope.level:
        return None
    if scope.unit is not None:
        return "org_unit", scope.unit.path
    return "leader_level", scope.level


_BOTH_FILTERS = (
    "Pulse results are released for one unit or one level at a time, never both: "
    "a combination could reveal a group smaller than the minimum."
)


def _pulse(kpi_key: str) -> Callable[[Context], Figure]:
    def compute(context: Context) -> Figure:
        cell = _pulse_cell(context)
        if cell is None:
            return Figure(None, reason=_BOTH_FILTERS)
        result = surveys.pulse_kpi_at(
            context.organisation, kpi_key, as_of=context.end, segment=cell[0], value=cell[1]
        )
        note = f"Pulse “{result.campaign_label}”" if result.campaign_id else ""
        return Figure(result.value, reason=result.reason, note=note)

    return compute


def _pulse_detail(kpi_key: str) -> Callable[[Context], Detail]:
    def detail(context: Context) -> Detail:
        cell = _pulse_cell(context)
        if cell is None:
            return Detail(aggregates=(("Not shown", _BOTH_FILTERS),), anonymous=True)
        result = surveys.pulse_kpi_at(
            context.organisation, kpi_key, as_of=context.end, segment=cell[0], value=cell[1]
        )
        shown = f"{result.value:.1f}%" if result.value is not None else result.reason
        aggregates = [("Pulse", result.campaign_label or "none released")]
        if result.closes_at is not None:
            aggregates.append(("Closed", f"{result.closes_at:%-d %b %Y}"))
        aggregates.append(("Favourable share", shown))
        if result.n is not None:
            aggregates.append(("Answers counted", str(result.n)))
        return Detail(aggregates=tuple(aggregates), anonymous=True)

    return detail


# --- KPI 5: the communication pulse, else the audience ratings of deliveries -----------------


def _delivery_ratings(context: Context) -> tuple[int, int]:
    """(answers "effective" or better, answers) of the released audience ratings of the
    scope's leaders' deliveries in the period; (0, 0) below the minimum."""
    return communications.effectiveness_counts(
        organisation=context.organisation,
        start=context.period.start,
        end=context.last_day,
        unit_path=context.scope.unit.path if context.scope.unit else "",
        level=context.scope.level,
    )


def _communication_quality(context: Context) -> Figure:
    """The pulse's figure for the scope when a release showed one; otherwise the share
    of the audience ratings of the scope's leaders' deliveries in the period."""
    pulse = _pulse(KPI_COMMUNICATION_QUALITY)(context)
    if pulse.value is not None or _pulse_cell(context) is None:
        return pulse
    effective, answered = _delivery_ratings(context)
    if not answered:
        return pulse
    return Figure(
        round(100.0 * effective / answered, 1),
        numerator=effective,
        denominator=answered,
        note="Audience ratings of deliveries (no pulse result for this group)",
    )


def _communication_detail(context: Context) -> Detail:
    pulse = _pulse_detail(KPI_COMMUNICATION_QUALITY)(context)
    effective, answered = _delivery_ratings(context)
    shown = (
        f"{100.0 * effective / answered:.1f}% of {answered} answers"
        if answered
        else "fewer answers than the confidentiality minimum"
    )
    return Detail(
        aggregates=(*pulse.aggregates, ("Delivery ratings in the period", shown)),
        anonymous=True,
    )


# --- secondary: time-to-decision and pilot approvals -------------------------------------------


def _time_to_decision(context: Context) -> Figure:
    samples = initiatives.decision_days(context.organisation, start=context.start, end=context.end)
    if not samples:
        return Figure(None, reason="No AI decision was taken in this period.")
    median = statistics.median(samples)
    if not context.baseline:
        return Figure(
            None,
            numerator=round(median, 1),
            reason=(
                f"Median {median:.1f} days; set a baseline (days) under Targets to see the "
                "change against it."
            ),
        )
    return Figure(
        round(100.0 * (median - context.baseline) / context.baseline, 1),
        numerator=round(median, 1),
        denominator=context.baseline,
    )


def _pilot_support(context: Context) -> Figure:
    approved, proposed = initiatives.pilot_support(context.organisation, as_of=context.end)
    return percent(approved, proposed)


def _thought_leadership(context: Context) -> Figure:
    count = communications.external_contributions(
        context.organisation,
        start=context.period.start,
        end=context.period.end,
        unit_path=context.scope.unit.path if context.scope.unit else "",
        level=context.scope.level,
    )
    months = context.period.months
    return Figure(round(count / months, 2), numerator=count, denominator=months)


def _leaders_in_scope(context: Context) -> list[int] | None:
    """None for the whole organisation (the source counts every active leader)."""
    if context.scope.is_whole:
        return None
    return people.leader_ids_in(context.organisation, **_scope_args(context))


def _leadership_behaviour(context: Context) -> Figure:
    demonstrating, counted = behaviours.daily_behaviour_share(
        organisation=context.organisation,
        as_of=context.last_day,
        person_ids=_leaders_in_scope(context),
    )
    return percent(demonstrating, counted)


LEVEL_EXECUTIVE_KEY = LeaderLevel.EXECUTIVE.value
# A check-in for a day can be saved at most this many days later (the grace window):
# after that, a period's check-ins are final.
CHECK_INS_SETTLE_AFTER = BEHAVIOUR_CONSISTENCY.grace_days
# The window "regular use" is judged over, to the period's end.
_ADOPTION_DAYS = 28


def _executive_tool_adoption(context: Context) -> Figure:
    executives = people.leader_ids_in(
        context.organisation,
        unit_path=context.scope.unit.path if context.scope.unit else "",
        level=LEVEL_EXECUTIVE_KEY,
    )
    if context.scope.level and context.scope.level != LEVEL_EXECUTIVE_KEY:
        return Figure(None, reason="This indicator counts executives only.")
    days = behaviours.behaviour_days(
        organisation=context.organisation,
        behaviour_key=BEHAVIOUR_USED_AI_TOOLS,
        start=context.last_day - dt.timedelta(days=_ADOPTION_DAYS - 1),
        end=context.last_day,
        person_ids=executives,
    )
    regular = REGULAR_USE_DAYS_PER_WEEK * _ADOPTION_DAYS / 7
    return percent(sum(1 for n in days.values() if n >= regular), len(executives))


def _cross_functional(context: Context) -> Figure:
    ticks = behaviours.behaviour_days(
        organisation=context.organisation,
        behaviour_key=BEHAVIOUR_CROSS_FUNCTIONAL,
        start=context.period.start,
        end=context.period.end,
        person_ids=_leaders_in_scope(context),
    )
    logged = sum(ticks.values())
    if not context.baseline:
        return Figure(
            None,
            numerator=logged,
            reason=(
                f"{logged} logged in this period; set a baseline (the count in a period "
                "before the programme) under Targets to see the change against it."
            ),
        )
    return Figure(
        round(100.0 * (logged - context.baseline) / context.baseline, 1),
        numerator=logged,
        denominator=context.baseline,
    )


def _resource_commitment(context: Context) -> Figure:
    if not context.scope.is_whole:
        return Figure(None, reason="Committed resources are the organisation's, not a unit's.")
    on_time, due = development.resources_on_schedule(context.organisation, as_of=context.last_day)
    if not due:
        return Figure(None, 0, 0, "No committed resource was due by the end of this period.")
    return percent(on_time, due)


def _scope_args(context: Context) -> dict[str, str]:
    return {
        "unit_path": context.scope.unit.path if context.scope.unit else "",
        "level": context.scope.level,
    }


def _behaviour_detail(context: Context) -> Detail:
    leaders = list(people.leaders_in(context.organisation, **_scope_args(context)))
    shown = behaviours.demonstrating_by_leader(
        organisation=context.organisation,
        as_of=context.last_day,
        person_ids=[p.pk for p in leaders],
    )
    return Detail(
        columns=("Leader", "Unit", "Level", "Demonstrates daily AI leadership behaviours"),
        rows=tuple(
            (
                p.name,
                p.org_unit.name if p.org_unit else "",
                p.leader_level,
                "yes" if shown.get(p.pk) else "no",
            )
            for p in leaders
        ),
    )


def _resource_detail(context: Context) -> Detail:
    if not context.scope.is_whole:
        return Detail()
    rows = development.resource_commitments(context.organisation).filter(due__lte=context.last_day)
    return Detail(
        columns=("Commitment", "Owner", "Due", "Allocated on", "On schedule"),
        rows=tuple(
            (
                r.description,
                r.owner.name,
                r.due.isoformat(),
                r.allocated_on.isoformat() if r.allocated_on else "",
                "yes" if r.allocated_on is not None and r.allocated_on <= r.due else "no",
            )
            for r in rows.order_by("due", "pk")
        ),
    )


SOURCES: dict[str, Source] = {
    "kpi.executive_fluency": Source(
        Definition(
            f"Leaders whose readiness total of record is {QUALIFYING_SCORE} or more",
            "Active leaders with a released readiness result",
            "Readiness assessments (self + 360): released cycles that closed by the period's end",
            "As of the last day of the period",
        ),
        _fluency,
        _fluency_detail,
    ),
    "kpi.leadership_behaviour": Source(
        Definition(
            "Leaders whose daily-behaviour consistency over the four weeks to the period's "
            "end reaches the framework's threshold (see Behaviours)",
            "Active leaders",
            "Behaviour check-ins",
            "The four weeks to the period's last day",
        ),
        _leadership_behaviour,
        _behaviour_detail,
        settles_after_days=CHECK_INS_SETTLE_AFTER,
    ),
    KPI_EMPLOYEE_CONFIDENCE: Source(
        Definition(
            "Favourable answers to the confidence question",
            "Answers to that question in the released pulse",
            "Employee confidence pulse (anonymous; released results only)",
            "The latest released pulse that closed by the period's end",
        ),
        _pulse(KPI_EMPLOYEE_CONFIDENCE),
        _pulse_detail(KPI_EMPLOYEE_CONFIDENCE),
        anonymous=True,
    ),
    "kpi.resource_commitment": Source(
        Definition(
            "Committed AI resources allocated on or before their due date",
            "Committed AI resources due by the period's end",
            "Vision workshop commitments (Development)",
            "Due on or before the period's end",
        ),
        _resource_commitment,
        _resource_detail,
    ),
    KPI_COMMUNICATION_QUALITY: Source(
        Definition(
            "Answers rating leadership AI communication effective or very effective",
            "Answers to that question in the released pulse",
            "Communication effectiveness pulse (anonymous; released results only); without "
            "a pulse result for the group, the released audience ratings of its leaders' "
            "deliveries",
            "The latest released pulse that closed by the period's end (ratings: deliveries "
            "in the period)",
        ),
        _communication_quality,
        _communication_detail,
        anonymous=True,
    ),
    "kpi.time_to_decision": Source(
        Definition(
            "Median days from request to decision of decisions taken in the period, minus "
            "the baseline",
            "The baseline (days), set under Targets",
            "Initiative decision log",
            "Decisions taken within the period",
        ),
        _time_to_decision,
    ),
    "kpi.cross_functional_collaboration": Source(
        Definition(
            "Weekly check-ins ticking “engaged in cross-functional AI collaboration” in the "
            "period, minus the baseline",
            "The baseline (the same count in a period before the programme), set under Targets",
            "Behaviour check-ins",
            "Within the period",
        ),
        _cross_functional,
        settles_after_days=CHECK_INS_SETTLE_AFTER,
    ),
    "kpi.executive_tool_adoption": Source(
        Definition(
            "Executives who ticked “used AI tools” on at least "
            f"{REGULAR_USE_DAYS_PER_WEEK} days a week on average",
            "Active executives",
            "Behaviour check-ins (daily AI tool use)",
            "The four weeks to the period's end",
        ),
        _executive_tool_adoption,
        settles_after_days=CHECK_INS_SETTLE_AFTER,
    ),
    "kpi.innovation_support": Source(
        Definition(
            "Initiatives approved past the idea stage",
            "Initiatives registered by the period's end and not retired",
            "AI initiative register",
            "As of the last day of the period",
        ),
        _pilot_support,
    ),
    "kpi.thought_leadership": Source(
        Definition(
            "External thought-leadership contributions delivered (the thought-leadership "
            "cadence, or any delivery on the external channel)",
            "Months in the period (a week counts as 7/30 of a month)",
            "Communication delivery log",
            "Within the period",
        ),
        _thought_leadership,
    ),
}
