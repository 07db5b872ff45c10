"""Demo data: the two initiatives of seed 003 with full alignment packages.

The genAI support assistant has every gate endorsed but its counter-metric (repeat
contact within 7 days) has breached its guardrail, and its majority adopters have hit
the wall; the ML credit-limit decision support still misses one gate. Values come from
``random.Random(seed)``; dates count back from today so the charts show recent weeks.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.initiatives import alignment, services
from bellwether.initiatives.models import GateReview, Initiative
from bellwether.people.models import LeaderLevel, Person

DAYS = 120


def _series(
    rng: random.Random, *, start: float, end: float, noise: float, days: int = DAYS
) -> list[float]:
    return [
        round(start + (end - start) * d / (days - 1) + rng.uniform(-noise, noise), 2)
        for d in range(days)
    ]


def _metrics(
    initiative: Initiative, rng: random.Random, specs: list[dict[str, Any]], today: datetime.date
) -> None:
    points = []
    for spec in specs:
        trend = spec.pop("trend")
        metric = services.add_metric(initiative=initiative, actor=None, **spec)
        values = _series(rng, **trend)
        for offset, value in enumerate(values):
            day = today - datetime.timedelta(days=DAYS - 1 - offset)
            at = datetime.datetime.combine(day, datetime.time(6), tzinfo=datetime.UTC)
            points.append(services.MeasurementPoint(metric.pk, at, value))
    services.record_measurements(initiative=initiative, actor=None, points=points, source="api")


def _gates(initiative: Initiative, executives: list[Person], *, missing: str = "") -> None:
    for gate in GateReview.objects.filter(initiative=initiative):
        services.submit_gate_evidence(
            gate=gate,
            actor=None,
            text=f"{alignment.GATE_NAMES[gate.key]}: evidence reviewed at the steering meeting.",
            link="https://wiki.example/ai/evidence",
        )
        if gate.key != missing:
            services.endorse_gate(
                gate=gate, actor=None, executive=executives[gate.pk % len(executives)]
            )


def _align(
    initiative: Initiative, executives: list[Person], disagree: tuple[int, str, str]
) -> None:
    services.set_signatories(initiative=initiative, actor=None, people=executives)
    who, element, comment = disagree
    for index, executive in enumerate(executives):
        for key in alignment.ALIGNMENT_ELEMENTS:
            agrees = not (index == who and key == element)
            services.record_alignment(
                initiative=initiative,
                actor=None,
                executive=executive,
                element=key,
                agrees=agrees,
                comment="" if agrees else comment,
            )


def _each(add: Callable[..., object], initiative: Initiative, rows: list[dict[str, Any]]) -> None:
    """``add`` (a service adding one row to an initiative) for each of ``rows``."""
    for row in rows:
        add(initiative=initiative, actor=None, **row)


def _advisory_right(
    initiative: Initiative, decision: str, by: tuple[str, str], accountable: str, overrides: str
) -> None:
    """A decision the AI advises on: who took it before and after (``by``), who is
    accountable, and how overrides are handled."""
    services.add_decision_right(
        initiative=initiative,
        actor=None,
        decision=decision,
        decided_by_before=by[0],
        decided_by_after=by[1],
        mode="advisory",
        accountable=accountable,
        override_handling=overrides,
    )


Week = tuple[int, int, int, int]  # active users, suggestions, accepted, overridden


def _adoption(initiative: Initiative, weeks: Callable[[int], tuple[Week, Week]]) -> None:
    """Ten weeks of usage: ``weeks(n)`` is week n's figures for the early adopters, then
    the majority."""
    samples = []
    for week in range(1, 11):
        for cohort, figures in zip(("early_adopters", "majority"), weeks(week), strict=True):
            active_users, suggestions, accepted, overridden = figures
            samples.append(
                {
                    "cohort": cohort,
                    "week": week,
                    "active_users": active_users,
                    "suggestions": suggestions,
                    "accepted": accepted,
                    "overridden": overridden,
                }
            )
    services.record_adoption(initiative=initiative, actor=None, samples=samples)


@transaction.atomic
def build_demo(*, organisation: Organisation, seed: int) -> str:
    rng = random.Random(seed)
    executives = list(
        Person.objects.filter(
            organisation=organisation, leader_level=LeaderLevel.EXECUTIVE
        ).order_by("employee_id")[:5]
    )
    if len(executives) < 2:
        return "initiatives: skipped (the demo organisation has fewer than two executives)"
    others = list(
        Person.objects.filter(organisation=organisation, leader_level=LeaderLevel.SENIOR).order_by(
            "employee_id"
        )[:4]
    )
    owners = others + executives
    today = timezone.now().date()
    teams = {
        t.catalogue_key: t
        for t in services.ensure_bottleneck_teams(
            organisation=organisation,
            actor=None,
            caps={
                "bottleneck.legal": 1,
                "bottleneck.security": 2,
                "bottleneck.data_engineering": 2,
            },
        )
    }

    # --- Example 1: genAI customer support assistant ---------------------------------
    support = services.create_initiative(
        organisation=organisation,
        actor=None,
        name="GenAI customer support assistant",
        archetype="archetype.genai_customer_facing",
        sponsor=executives[0],
        horizon="H1",
        problem="Slow time-to-first-response; agents search policy by hand.",
        teams_involved="Customer support, AI platform, Legal, Security",
    )
    services.update_initiative(
        initiative=support,
        actor=None,
        changes={
            "business_owner": owners[0],
            "model_owner": owners[1 % len(owners)],
            "operational_owner": owners[2 % len(owners)],
            "raci": {
                "monitoring": {
                    "responsible": "AI platform",
                    "accountable": "Head of Support Ops",
                    "consulted": "Quality",
                    "informed": "Legal",
                },
                "incidents": {
                    "responsible": "On-call support engineer",
                    "accountable": "Head of Support Ops",
                    "consulted": "Security",
                    "informed": "Sponsor",
                },
                "retraining": {
                    "responsible": "AI platform",
                    "accountable": "Model owner",
                    "consulted": "Support leads",
                    "informed": "Quality",
                },
                "change_approval": {
                    "responsible": "Model owner",
                    "accountable": "Business owner",
                    "consulted": "Legal",
                    "informed": "Agents",
                },
            },
            "incident_process": "Severity triage within 30 minutes; prompt/output logs reviewed; customers contacted where a commitment was wrong.",
            "rollback_procedure": "Feature flag returns agents to the manual reply flow within 5 minutes.",
            "on_call": "Support platform rota, 24/7.",
            "new_work": "Agents review and edit drafts; quality team samples 2% of replies.",
            "training": "Two-hour session on reviewing drafts and citations.",
            "incentives": "Handling-time targets paired with repeat-contact and complaint rates.",
            "controls": "PII redaction in prompts, retrieval with citations, logging of prompt, output and sources.",
            "dependencies": "Policy knowledge base clean-up; CRM integration.",
            "risk_posture": "No unverified commitments to customers; no PII in prompts.",
        },
    )
    services.set_outcome_chain(
        initiative=support,
        actor=None,
        links=[
            ("chain.ai_output", "Drafted replies with retrieved policy content and citations"),
            ("chain.decision_or_workflow_step", "Agent reviews, edits and sends the reply"),
            ("chain.operational_metric", "Handling time, acceptance rate, edit distance"),
            ("chain.business_risk_outcome", "Lower cost-to-serve without more complaints"),
        ],
    )
    _metrics(
        support,
        rng,
        [
            {
                "name": "Eval quality score",
                "layer": "layer.model_data_health",
                "direction": "increase",
                "unit": "%",
                "target": 90,
                "trend": {"start": 84, "end": 91, "noise": 1.5},
            },
            {
                "name": "Acceptance rate",
                "layer": "layer.operational",
                "direction": "increase",
                "unit": "%",
                "target": 70,
                "baseline_value": 0,
                "baseline_period": "Before launch",
                "baseline_source": "Agent desktop logs",
                "comparison": "comparison.ab_test",
                "trend": {"start": 45, "end": 66, "noise": 3},
            },
            {
                "name": "Handling time",
                "layer": "layer.operational",
                "direction": "decrease",
                "unit": "min",
                "target": 8,
                "baseline_value": 11.5,
                "baseline_period": "Q4 last year",
                "baseline_source": "CRM",
                "comparison": "comparison.ab_test",
                "trend": {"start": 11.2, "end": 8.9, "noise": 0.4},
            },
            {
                "name": "Cost-to-serve per ticket",
                "layer": "layer.business_risk_outcome",
                "direction": "decrease",
                "unit": "£",
                "target": 3.6,
                "baseline_value": 4.2,
                "baseline_period": "Q4 last year",
                "baseline_source": "Finance",
                "comparison": "comparison.before_after",
                "trend": {"start": 4.2, "end": 3.8, "noise": 0.08},
            },
            {
                "name": "Repeat contact within 7 days",
                "layer": "layer.counter_metric",
                "direction": "decrease",
                "unit": "%",
                "guardrail": 12,
                "baseline_value": 10.5,
                "baseline_period": "Q4 last year",
                "baseline_source": "CRM",
                "comparison": "comparison.ab_test",
                "trend": {"start": 10.4, "end": 13.4, "noise": 0.3},
            },
        ],
        today,
    )
    _gates(support, executives)
    services.change_stage(initiative=support, actor=None, stage="stage.learning_only_pilot")
    services.change_stage(initiative=support, actor=None, stage="stage.scale_ready")
    _each(
        services.add_change_impact,
        support,
        [
            {
                "impact_type": "impact.incentive_misalignment",
                "affected_group": "Support agents",
                "owner": owners[0],
                "mitigation": "Add repeat contact and complaint rate to the agent scorecard.",
                "status": "mitigating",
            },
            {
                "impact_type": "impact.workload_redistribution",
                "affected_group": "Support agents",
                "owner": owners[2 % len(owners)],
                "mitigation": "Instrument edit time; budget validation effort.",
            },
            {
                "impact_type": "impact.operational_obligations",
                "affected_group": "AI platform team",
                "owner": owners[1 % len(owners)],
                "mitigation": "Eval harness and on-call funded for H1.",
                "status": "mitigated",
            },
        ],
    )
    _advisory_right(
        support,
        "Send a reply to the customer",
        ("Agent", "Agent, from an AI draft"),
        "Head of Support Ops",
        "Agents edit or discard drafts; discards are logged with a reason.",
    )
    services.start_team_work(initiative=support, team=teams["bottleneck.legal"], actor=None)
    services.start_team_work(initiative=support, team=teams["bottleneck.security"], actor=None)
    _align(
        support,
        executives[:4],
        (1, "alignment.change_load", "Training budget for agents is not funded yet."),
    )
    # The majority's acceptance stalls well below the early adopters': the wall.
    _adoption(
        support,
        lambda week: (
            (40, 1200, 900 + rng.randint(-30, 30), 120),
            (
                60 + 25 * week,
                800 + 150 * week,
                int((800 + 150 * week) * (0.38 + 0.01 * week)),
                int((800 + 150 * week) * 0.3),
            ),
        ),
    )

    # --- Example 2: ML credit-limit decision support -----------------------------------
    credit = services.create_initiative(
        organisation=organisation,
        actor=None,
        name="ML credit-limit decision support",
        archetype="archetype.ml_decisioning",
        sponsor=executives[1],
        horizon="H2",
        problem="Credit-limit decisions are slow and inconsistently documented.",
        teams_involved="Underwriting, Risk, Data engineering, Legal",
    )
    services.update_initiative(
        initiative=credit,
        actor=None,
        changes={
            "business_owner": owners[3 % len(owners)],
            "model_owner": owners[1 % len(owners)],
            "incident_process": "Drift alerts page the model owner; underwriting falls back to manual limits.",
            "rollback_procedure": "Previous model version redeployed; recommendations hidden until cleared.",
            "new_work": "Underwriters record override reasons in the UI.",
            "training": "Reason-code training for underwriters.",
            "controls": "Inputs, outputs and reason codes logged; monthly fairness review.",
            "dependencies": "Data rights for bureau data; decision log in the underwriting UI.",
            "risk_posture": "Decision support, not automation, until auditability and stability are proven.",
        },
    )
    services.set_outcome_chain(
        initiative=credit,
        actor=None,
        links=[
            ("chain.ai_output", "Recommended credit limit with reason codes"),
            ("chain.decision_or_workflow_step", "Underwriter accepts or overrides with a reason"),
            ("chain.operational_metric", "Decision time and override rate"),
            ("chain.business_risk_outcome", "Early-delinquency rate (leading indicator of losses)"),
        ],
    )
    _metrics(
        credit,
        rng,
        [
            {
                "name": "Population drift (PSI)",
                "layer": "layer.model_data_health",
                "direction": "decrease",
                "guardrail": 0.25,
                "target": 0.1,
                "trend": {"start": 0.05, "end": 0.12, "noise": 0.02},
            },
            {
                "name": "Decision time",
                "layer": "layer.operational",
                "direction": "decrease",
                "unit": "h",
                "target": 4,
                "baseline_value": 26,
                "baseline_period": "Last 6 months",
                "baseline_source": "Underwriting system",
                "comparison": "comparison.matched_cohorts",
                "trend": {"start": 24, "end": 9, "noise": 1.5},
            },
            {
                "name": "Override rate",
                "layer": "layer.operational",
                "direction": "decrease",
                "unit": "%",
                "target": 20,
                "trend": {"start": 48, "end": 31, "noise": 3},
            },
            {
                "name": "Early-delinquency rate",
                "layer": "layer.business_risk_outcome",
                "direction": "decrease",
                "unit": "%",
                "target": 2.0,
                "baseline_value": 2.4,
                "baseline_period": "Last 12 months",
                "baseline_source": "Risk data mart",
                "comparison": "comparison.matched_cohorts",
                "trend": {"start": 2.4, "end": 2.3, "noise": 0.05},
            },
            {
                "name": "Approval-rate gap between groups",
                "layer": "layer.counter_metric",
                "direction": "decrease",
                "unit": "pp",
                "guardrail": 3,
                "trend": {"start": 1.5, "end": 1.8, "noise": 0.3},
            },
        ],
        today,
    )
    _gates(credit, executives, missing="gate.operational_ownership")
    services.change_stage(initiative=credit, actor=None, stage="stage.learning_only_pilot")
    _each(
        services.add_change_impact,
        credit,
        [
            {
                "impact_type": "impact.decision_rights",
                "affected_group": "Underwriters",
                "owner": owners[3 % len(owners)],
                "mitigation": "Advisory until auditability is proven; overrides logged with reasons.",
            },
            {
                "impact_type": "impact.operational_obligations",
                "affected_group": "Risk and ML platform",
                "owner": owners[4 % len(owners)],
                "mitigation": "Name the on-call owner for drift incidents.",
            },
        ],
    )
    _advisory_right(
        credit,
        "Set a customer's credit limit",
        ("Underwriter", "Underwriter, with an ML recommendation"),
        "Head of Underwriting",
        "Override reasons captured in the underwriting UI and reviewed monthly.",
    )
    services.start_team_work(
        initiative=credit, team=teams["bottleneck.data_engineering"], actor=None
    )
    services.start_team_work(
        initiative=credit,
        team=teams["bottleneck.legal"],
        actor=None,
        override_reason="Regulator review date is fixed; Legal agreed to absorb it.",
    )
    _align(
        credit,
        executives[:4],
        (2, "alignment.gates", "Operational ownership must be named before any expansion."),
    )
    # The underwriters' adoption: the majority catches up with the early adopters (no wall).
    _adoption(
        credit,
        lambda week: (
            (12, 300, 222 + rng.randint(-6, 6), 45),
            (
                20 + 6 * week,
                400 + 40 * week,
                int((400 + 40 * week) * min(0.72, 0.45 + 0.04 * week)) + rng.randint(-5, 5),
                int((400 + 40 * week) * 0.15),
            ),
        ),
    )

    # --- Decision log: AI decisions leadership had to take -------------------------------
    now = timezone.now()
    for index, (title, days) in enumerate(
        [
            ("Fund the evaluation harness", 21),
            ("Approve the support pilot scope", 14),
            ("Agree the credit model's advisory status", 9),
            ("Name the drift on-call owner", 6),
            ("Extend support to billing tickets", 4),
        ]
    ):
        requested = now - datetime.timedelta(days=90 - 15 * index)
        entry = services.request_decision(
            organisation=organisation,
            actor=None,
            title=title,
            initiative=support if index % 2 else credit,
            requested_at=requested,
        )
        if index < 4:
            services.record_decision(
                entry=entry,
                actor=None,
                decided_by=executives[index % len(executives)],
                outcome="Agreed",
                decided_at=requested + datetime.timedelta(days=days),
            )
    return "initiatives: 2 initiatives (one breached counter-metric, one gate missing), 3 bottleneck teams, 5 leadership decisions"
