"""The engagement plan's four success metrics (Template 1), read live for the plan's
leader from the apps that hold the data: the leader's behaviour check-ins
(``behaviours``), their unit's released pulse cell (``surveys``), the initiatives they
sponsor, own, endorse or align on (``initiatives``) and their own "used AI tools" ticks.
A metric without data says which data is missing and where it comes from.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from bellwether.framework.catalogue import (
    BEHAVIOUR_USED_AI_TOOLS,
    CATALOGUE,
    ENGAGEMENT_METRIC_BEHAVIOUR_FREQUENCY,
    ENGAGEMENT_METRIC_EMPLOYEE_PERCEPTION,
    ENGAGEMENT_METRIC_INITIATIVE_SUPPORT,
    ENGAGEMENT_METRIC_PERSONAL_TOOL_USAGE,
    KPI_COMMUNICATION_QUALITY,
    KPI_EMPLOYEE_CONFIDENCE,
    REGULAR_USE_DAYS_PER_WEEK,
    kpi,
)
from bellwether.people.models import Person

TOOL_USAGE_DAYS = 28  # the window of the "regular use" rule (four weeks)
CHECK_IN_HINT = "the leader's behaviour check-ins (Behaviours → Check in)"

Metric = tuple[str | None, str]  # (value, note)


def _behaviour_frequency(person: Person, today: dt.date) -> Metric:
    from bellwether.behaviours import selectors as behaviours

    if not behaviours.recent_check_ins(person, today=today, days=366):
        return (
            None,
            f"Missing: {person.name} has no behaviour check-in yet; it comes from {CHECK_IN_HINT}.",
        )
    scores = behaviours.person_consistency(person, today)
    parts = [
        f"{frequency} {share:.0f}%"
        for frequency, share in scores.by_frequency.items()
        if share is not None
    ]
    value = f"Consistency {scores.overall:.0f}%" + (f" ({', '.join(parts)})" if parts else "")
    return value, f"{person.name}'s own behaviour check-ins."


def _employee_perception(person: Person) -> Metric:
    from bellwether.surveys import selectors as surveys

    unit = person.org_unit
    if unit is None:
        return None, (
            f"Missing: {person.name} has no org unit in the people records, so no pulse "
            "cell is theirs (People → edit the person's org unit)."
        )
    found, reasons = [], []
    for kpi_key in (KPI_EMPLOYEE_CONFIDENCE, KPI_COMMUNICATION_QUALITY):
        result = surveys.pulse_kpi_at(
            person.organisation,
            kpi_key,
            as_of=timezone.now(),
            segment="org_unit",
            value=unit.path,
        )
        name = kpi(kpi_key).name
        if result.value is not None:
            found.append(f"{name}: {result.value:.0f}% favourable ({result.campaign_label})")
        else:
            reasons.append(f"{name}: {result.reason}")
    if not found:
        return None, (
            f"Missing for {unit.name}: " + " ".join(reasons) + " It comes from the employee "
            "pulses' results for the leader's org unit (Pulses)."
        )
    note = f"The released pulse cell of {unit.name}, {person.name}'s org unit."
    return "; ".join(found), note + (" " + " ".join(reasons) if reasons else "")


def _initiative_support(person: Person) -> Metric:
    from bellwether.initiatives import selectors as initiatives

    support = initiatives.leader_support(person.organisation, person.pk)
    if not support.any:
        return None, (
            f"Missing: {person.name} sponsors or owns no live initiative, endorsed no gate "
            "and recorded no alignment position; it comes from the AI initiative register "
            "(Initiatives)."
        )
    parts = []
    if support.sponsored:
        parts.append(f"sponsors {len(support.sponsored)} ({', '.join(support.sponsored)})")
    if support.owned:
        parts.append(f"owns {len(support.owned)} ({', '.join(support.owned)})")
    parts.append(f"{support.gates_endorsed} gates endorsed")
    if support.positions:
        parts.append(f"agrees on {support.agreeing} of {support.positions} alignment positions")
    value = "; ".join(parts)
    return value[:1].upper() + value[1:], f"{person.name}'s live initiatives in the register."


def _tool_usage(person: Person, today: dt.date) -> Metric:
    from bellwether.behaviours import selectors as behaviours

    start = today - dt.timedelta(days=TOOL_USAGE_DAYS - 1)
    checked_in = behaviours.recent_check_ins(person, today=today, days=TOOL_USAGE_DAYS)
    if not checked_in:
        return None, (
            f"Missing: no check-in from {person.name} in the last {TOOL_USAGE_DAYS} days; "
            f"it comes from the daily behaviour “used AI tools” in {CHECK_IN_HINT}."
        )
    days = behaviours.behaviour_days(
        organisation=person.organisation_id,
        behaviour_key=BEHAVIOUR_USED_AI_TOOLS,
        start=start,
        end=today,
        person_ids=[person.pk],
    ).get(person.pk, 0)
    per_week = days * 7 / TOOL_USAGE_DAYS
    regular = "regular use" if per_week >= REGULAR_USE_DAYS_PER_WEEK else "not yet regular use"
    return (
        f"Used AI tools on {days} of the last {TOOL_USAGE_DAYS} days ({regular}: "
        f"{REGULAR_USE_DAYS_PER_WEEK} days a week or more)",
        f"{person.name}'s own check-ins.",
    )


def live_metrics(person: Person, *, today: dt.date | None = None) -> list[dict[str, Any]]:
    """The four success metrics of ``person``'s plan, from their own live data."""
    today = today or timezone.localdate()
    computed = {
        ENGAGEMENT_METRIC_BEHAVIOUR_FREQUENCY: lambda: _behaviour_frequency(person, today),
        ENGAGEMENT_METRIC_EMPLOYEE_PERCEPTION: lambda: _employee_perception(person),
        ENGAGEMENT_METRIC_INITIATIVE_SUPPORT: lambda: _initiative_support(person),
        ENGAGEMENT_METRIC_PERSONAL_TOOL_USAGE: lambda: _tool_usage(person, today),
    }
    metrics = []
    for metric in CATALOGUE.engagement_plan.success_metrics:
        read = computed.get(metric.key)
        value, note = read() if read else (None, "Bellwether does not measure this metric.")
        metrics.append({"key": metric.key, "name": metric.name, "value": value, "note": note})
    return metrics
