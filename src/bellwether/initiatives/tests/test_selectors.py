"""Reading the portfolio, capacity, one package and the organisation-level figures."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bellwether.initiatives import selectors, services
from bellwether.initiatives.models import BottleneckTeam, Initiative
from bellwether.initiatives.services import MeasurementPoint
from bellwether.initiatives.tests.factories import (
    T0,
    adoption_weeks,
    agree_on_everything,
    make_scale_ready,
    scale_ready_initiatives,
)

pytestmark = pytest.mark.django_db


def _record_counter(initiative, *values: float) -> None:
    """One reading a day from T0 on the package's counter-metric (its guardrail is 12)."""
    metric = initiative.metrics.get(layer="layer.counter_metric")
    services.record_measurements(
        initiative=initiative,
        actor=None,
        points=[
            MeasurementPoint(metric.pk, T0 + datetime.timedelta(days=day), value)
            for day, value in enumerate(values)
        ],
    )


def _breach(initiative) -> None:
    _record_counter(initiative, 11, 14)


def _signed_by_two(
    initiative, executive, second_executive, *, gates_agreed: bool, comment: str = ""
) -> None:
    """Both executives sign; the first agrees on everything, the second states only the gates."""
    services.set_signatories(
        initiative=initiative, actor=None, people=[executive, second_executive]
    )
    agree_on_everything(initiative, executive)
    services.record_alignment(
        initiative=initiative,
        actor=None,
        executive=second_executive,
        element="alignment.gates",
        agrees=gates_agreed,
        comment=comment,
    )


def test_a_breached_counter_metric_raises_an_alert_on_the_portfolio(initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    _breach(initiative)
    [row] = selectors.portfolio(Initiative.objects.all())
    assert [(a.kind, a.message) for a in row.alerts if a.kind == "guardrail"] == [
        (
            "guardrail",
            "Counter-metric “Repeat contact in 7 days” is at 14 %, past its guardrail of 12.",
        )
    ]
    assert row.blockers == []
    assert row.gates_endorsed == 8


def test_the_latest_measurement_decides_the_breach(initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    _record_counter(initiative, 14, 11)
    [row] = selectors.portfolio(Initiative.objects.all())
    assert [a for a in row.alerts if a.kind == "guardrail"] == []


def test_the_portfolio_shows_readiness_alignment_capacity_and_a_weak_chain(
    org, initiative, executive, second_executive
) -> None:
    team = BottleneckTeam.objects.create(organisation=org, name="Security", cap=2)
    services.start_team_work(initiative=initiative, team=team, actor=None)
    _signed_by_two(initiative, executive, second_executive, gates_agreed=False, comment="Too slow")
    [row] = selectors.portfolio(Initiative.objects.all())
    assert row.teams_in_flight == ["Security"]
    assert row.alignment.share == 0.5
    assert row.alignment.disagreements == ((second_executive.pk, "alignment.gates"),)
    assert row.learning_only is True
    assert [a.kind for a in row.alerts] == ["weak_chain"]
    assert len(row.blockers) == 11


def test_the_portfolio_takes_a_fixed_number_of_queries(org, executive) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.portfolio(Initiative.objects.filter(organisation=org))
        return len(ctx.captured_queries)

    first = services.create_initiative(
        organisation=org, actor=None, name="A", archetype="archetype.other", sponsor=executive
    )
    make_scale_ready(first, executive)
    one = count()
    for other in scale_ready_initiatives(org, executive, 5):
        _breach(other)
    assert count() == one == 9


def test_capacity_load_counts_in_flight_overrides_and_waiting(org, executive) -> None:
    team = BottleneckTeam.objects.create(organisation=org, name="Legal", cap=1)
    a, b, c = (
        services.create_initiative(
            organisation=org, actor=None, name=n, archetype="archetype.other", sponsor=executive
        )
        for n in "ABC"
    )
    services.start_team_work(initiative=a, team=team, actor=None)
    services.start_team_work(initiative=b, team=team, actor=None, override_reason="Board mandate")
    services.start_team_work(initiative=c, team=team, actor=None, override_reason="x")
    services.finish_team_work(initiative=c, team=team, actor=None)
    with CaptureQueriesContext(connection) as ctx:
        [load] = selectors.capacity_load(org)
    assert len(ctx.captured_queries) == 1
    assert (load.in_flight, load.overrides, load.waiting, load.over_cap, load.percent) == (
        2,
        1,
        1,
        True,
        100,
    )


def test_the_package_of_one_initiative(initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    _breach(initiative)
    services.set_outcome_chain(
        initiative=initiative,
        actor=None,
        links=[
            ("chain.ai_output", "Draft replies with citations"),
            ("chain.decision_or_workflow_step", "Agent reviews and sends"),
            ("chain.operational_metric", "Handling time"),
            ("chain.business_risk_outcome", "Cost to serve"),
        ],
    )
    package = selectors.initiative_package(initiative, series_days=None)
    counter = next(m for m in package.metrics if m.metric.layer == "layer.counter_metric")
    assert counter.series == [("2026-01-05", 11.0), ("2026-01-06", 14.0)]
    assert counter.breached is True
    assert package.chain_weaknesses == []
    assert package.blockers == []
    assert [a.kind for a in package.alerts] == ["guardrail"]


def test_the_majority_wall_is_flagged_with_its_guidance(initiative) -> None:
    services.record_adoption(
        initiative=initiative, actor=None, samples=adoption_weeks([80] * 8, [50] * 8)
    )
    package = selectors.initiative_package(initiative)
    assert package.majority_wall.flagged is True
    assert package.majority_wall.weeks == (5, 6, 7, 8)
    assert "coaching" in package.alerts[-1].message


def test_organisation_alignment_counts_executives_aligned_on_every_live_package(
    org, initiative, executive, second_executive
) -> None:
    services.change_stage(initiative=initiative, actor=None, stage="stage.learning_only_pilot")
    _signed_by_two(initiative, executive, second_executive, gates_agreed=True)
    summary = selectors.organisation_alignment(org)
    assert (summary.executives, summary.aligned, summary.share) == (2, 1, 0.5)
    assert summary.pending == (second_executive.pk,)


def test_time_to_decision_is_the_median_by_month_against_a_baseline(org, executive) -> None:
    for days in (2, 4, 9):
        entry = services.request_decision(
            organisation=org, actor=None, title=f"D{days}", requested_at=T0
        )
        services.record_decision(
            entry=entry,
            actor=None,
            decided_by=executive,
            outcome="ok",
            decided_at=T0 + datetime.timedelta(days=days),
        )
    services.request_decision(organisation=org, actor=None, title="Open", requested_at=T0)
    result = selectors.time_to_decision(org, baseline_days=8)
    assert result.median_days == 4
    assert result.change_percent == -50
    assert result.by_month == [("2026-01", 4)]
    assert result.open_requests == 1


@pytest.mark.parametrize(
    ("majority_rates", "flagged"),
    [
        ([40] * 10, True),  # trails all along
        ([40] * 7 + [70] * 3, False),  # caught up in the last weeks
        ([40] * 5, False),  # too few weeks after the initial ones
        ([40] * 9 + [None], True),  # a week without the majority is skipped
    ],
)
def test_the_portfolio_flags_the_majority_wall_like_the_package(
    initiative, majority_rates, flagged
) -> None:
    samples = []
    for week, rate in enumerate(majority_rates, start=1):
        samples.append({"cohort": "early_adopters", "week": week, "suggestions": 10, "accepted": 8})
        if rate is not None:
            samples.append(
                {"cohort": "majority", "week": week, "suggestions": 100, "accepted": rate}
            )
    services.record_adoption(initiative=initiative, actor=None, samples=samples)
    [row] = selectors.portfolio(Initiative.objects.filter(pk=initiative.pk))
    package = selectors.initiative_package(initiative, series_days=0)
    assert package.majority_wall.flagged is flagged
    assert ("majority_wall" in [a.kind for a in row.alerts]) is flagged
