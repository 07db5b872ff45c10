"""Initiatives for tests (here, in the access matrix, and in the apps that read initiatives,
such as chat): the package, its metrics and registers, and a scale-ready one."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any, cast

from bellwether.core.models import Organisation
from bellwether.initiatives import alignment, services
from bellwether.initiatives.models import (
    ChangeImpact,
    DecisionRight,
    GateReview,
    Initiative,
    Metric,
)
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.factories import PersonFactory

T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)

# What still keeps a package from scale-ready once Gate 1 (data rights) is endorsed.
OPEN_AFTER_DATA_RIGHTS = [
    "Gate 2: Workflow instrumentation is open.",
    "Gate 3: Integration and production support is open.",
    "Gate 4: Governance controls is open.",
    "Gate 5: Named operational ownership is open.",
    "Non-negotiable: Decision logging is open.",
    "Non-negotiable: Monitoring ownership is open.",
    "Non-negotiable: Incident process is open.",
]


def adoption_weeks(
    early: Sequence[int | None], majority: Sequence[int | None]
) -> list[dict[str, int | str]]:
    """Samples from acceptance percents per week; None is a week with no suggestions."""
    samples: list[dict[str, int | str]] = []
    for cohort, rates in (("early_adopters", early), ("majority", majority)):
        for week, rate in enumerate(rates, start=1):
            samples.append(
                {
                    "cohort": cohort,
                    "week": week,
                    "suggestions": 0 if rate is None else 100,
                    "accepted": 0 if rate is None else rate,
                }
            )
    return samples


def make_executive(org: Organisation, employee_id: str, name: str) -> Person:
    """An executive of ``org``: a sponsor, a signatory, an endorser of gates."""
    return cast(
        Person,
        PersonFactory(
            organisation=org,
            employee_id=employee_id,
            name=name,
            leader_level=LeaderLevel.EXECUTIVE,
        ),
    )


def make_initiative(org: Organisation, sponsor: Person) -> Initiative:
    """The GenAI support assistant, sponsored by ``sponsor``."""
    return services.create_initiative(
        organisation=org,
        actor=None,
        name="GenAI support assistant",
        archetype="archetype.genai_customer_facing",
        sponsor=sponsor,
        problem="Slow first responses",
    )


def add_repeat_contact(initiative: Initiative) -> Metric:
    """The counter-metric “Repeat contact”, with a guardrail of 12."""
    return services.add_metric(
        initiative=initiative,
        actor=None,
        name="Repeat contact",
        layer="layer.counter_metric",
        direction="decrease",
        guardrail=12,
    )


def add_reply_right(initiative: Initiative) -> DecisionRight:
    """The advisory decision right “Send a reply”, accountable to the Head of Support."""
    return services.add_decision_right(
        initiative=initiative,
        actor=None,
        decision="Send a reply",
        decided_by_before="Agent",
        decided_by_after="Agent with AI draft",
        mode="advisory",
        accountable="Head of Support",
    )


# The three metrics that give a package measurement integrity.
INTEGRITY_METRICS: list[dict[str, Any]] = [
    {
        "name": "Handling time",
        "layer": "layer.operational",
        "direction": "decrease",
        "unit": "min",
        "baseline_value": 12,
        "baseline_period": "Q4 2025",
        "comparison": "comparison.ab_test",
    },
    {
        "name": "Cost to serve",
        "layer": "layer.business_risk_outcome",
        "direction": "decrease",
        "baseline_value": 4.2,
        "baseline_period": "Q4 2025",
        "comparison": "comparison.before_after",
    },
    {
        "name": "Repeat contact in 7 days",
        "layer": "layer.counter_metric",
        "direction": "decrease",
        "unit": "%",
        "guardrail": 12,
    },
]


def make_scale_ready(initiative: Initiative, executive: Person) -> None:
    """Give ``initiative`` measurement integrity and endorse every gate."""
    for fields in INTEGRITY_METRICS:
        services.add_metric(initiative=initiative, actor=None, **fields)
    for gate in GateReview.objects.filter(initiative=initiative):
        services.submit_gate_evidence(gate=gate, actor=None, text="Signed off")
        services.endorse_gate(gate=gate, actor=None, executive=executive)


def scale_ready_initiatives(org: Organisation, executive: Person, count: int) -> list[Initiative]:
    """``count`` more scale-ready initiatives, B0, B1, …, sponsored by ``executive``."""
    made = []
    for n in range(count):
        other = services.create_initiative(
            organisation=org,
            actor=None,
            name=f"B{n}",
            archetype="archetype.other",
            sponsor=executive,
        )
        make_scale_ready(other, executive)
        made.append(other)
    return made


def add_impact(initiative: Initiative, owner: Person) -> ChangeImpact:
    """A complete change impact: every impact has an owner and a mitigation."""
    return services.add_change_impact(
        initiative=initiative,
        actor=None,
        impact_type="impact.decision_rights",
        affected_group="A",
        owner=owner,
        mitigation="Coach the team",
    )


def agree_on_everything(initiative: Initiative, executive: Person) -> None:
    """``executive`` agrees on every element of the package."""
    for element in alignment.ALIGNMENT_ELEMENTS:
        services.record_alignment(
            initiative=initiative, actor=None, executive=executive, element=element, agrees=True
        )
