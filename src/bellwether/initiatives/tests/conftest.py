from __future__ import annotations

import datetime
from typing import cast

import pytest

from bellwether.initiatives import alignment, services
from bellwether.initiatives.models import ChangeImpact, GateReview, Initiative
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.factories import PersonFactory

T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def executive(org) -> Person:
    return cast(
        Person,
        PersonFactory(
            organisation=org,
            employee_id="X001",
            name="Eve Executive",
            leader_level=LeaderLevel.EXECUTIVE,
        ),
    )


@pytest.fixture
def second_executive(org) -> Person:
    return cast(
        Person,
        PersonFactory(
            organisation=org,
            employee_id="X002",
            name="Xavier Exec",
            leader_level=LeaderLevel.EXECUTIVE,
        ),
    )


@pytest.fixture
def initiative(org, executive) -> Initiative:
    return services.create_initiative(
        organisation=org,
        actor=None,
        name="GenAI support assistant",
        archetype="archetype.genai_customer_facing",
        sponsor=executive,
        problem="Slow first responses",
    )


def make_scale_ready(initiative: Initiative, executive: Person) -> None:
    """Give ``initiative`` measurement integrity and endorse every gate."""
    services.add_metric(
        initiative=initiative,
        actor=None,
        name="Handling time",
        layer="layer.operational",
        direction="decrease",
        unit="min",
        baseline_value=12,
        baseline_period="Q4 2025",
        comparison="comparison.ab_test",
    )
    services.add_metric(
        initiative=initiative,
        actor=None,
        name="Cost to serve",
        layer="layer.business_risk_outcome",
        direction="decrease",
        baseline_value=4.2,
        baseline_period="Q4 2025",
        comparison="comparison.before_after",
    )
    services.add_metric(
        initiative=initiative,
        actor=None,
        name="Repeat contact in 7 days",
        layer="layer.counter_metric",
        direction="decrease",
        unit="%",
        guardrail=12,
    )
    for gate in GateReview.objects.filter(initiative=initiative):
        services.submit_gate_evidence(gate=gate, actor=None, text="Signed off")
        services.endorse_gate(gate=gate, actor=None, executive=executive)


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
