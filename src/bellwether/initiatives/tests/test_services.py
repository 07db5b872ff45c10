"""Writing initiatives: every service, its refusals, and its audit rows."""

from __future__ import annotations

import datetime
import functools
from typing import cast

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.initiatives import services
from bellwether.initiatives.models import (
    AlignmentPosition,
    BottleneckTeam,
    ChainLink,
    GateReview,
    Initiative,
    Measurement,
    TeamDemand,
)
from bellwether.initiatives.services import MeasurementPoint
from bellwether.initiatives.tests.factories import (
    OPEN_AFTER_DATA_RIGHTS,
    T0,
    add_impact,
    add_repeat_contact,
    add_reply_right,
    make_scale_ready,
)
from bellwether.people.models import Person
from bellwether.testing.concurrency import at_once
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_a_new_initiative_carries_five_gates_and_three_non_negotiables(initiative) -> None:
    assert initiative.stage == "stage.idea"
    assert sorted(initiative.gates.values_list("key", flat=True)) == sorted(
        [
            "gate.data_rights",
            "gate.workflow_instrumentation",
            "gate.integration_support",
            "gate.governance_controls",
            "gate.operational_ownership",
            "non_negotiable.decision_logging",
            "non_negotiable.monitoring_ownership",
            "non_negotiable.incident_process",
        ]
    )
    assert AuditEvent.objects.filter(action="initiative.created").count() == 1


def test_an_unknown_archetype_is_refused(org, executive) -> None:
    with pytest.raises(DomainError) as exc:
        services.create_initiative(
            organisation=org, actor=None, name="X", archetype="archetype.nope", sponsor=executive
        )
    assert exc.value.field_errors == {"archetype": ["Unknown archetype “archetype.nope”."]}
    assert Initiative.objects.count() == 0


def test_a_sponsor_from_another_organisation_is_refused(org, other_org) -> None:
    stranger = cast(Person, PersonFactory(organisation=other_org))
    with pytest.raises(DomainError):
        services.create_initiative(
            organisation=org, actor=None, name="X", archetype="archetype.other", sponsor=stranger
        )
    assert Initiative.objects.count() == 0


def test_the_package_is_updated_and_audited_with_the_changed_fields(initiative, bystander) -> None:
    services.update_initiative(
        initiative=initiative,
        actor=None,
        changes={
            "operational_owner": bystander,
            "rollback_procedure": "Feature flag off",
            "raci": {"incidents": {"responsible": "Ops", "accountable": "Head of Support"}},
        },
    )
    initiative.refresh_from_db()
    assert initiative.operational_owner == bystander
    assert initiative.raci == {
        "incidents": {
            "responsible": "Ops",
            "accountable": "Head of Support",
            "consulted": "",
            "informed": "",
        }
    }
    event = AuditEvent.objects.get(action="initiative.updated")
    assert event.details == {"fields": ["operational_owner", "raci", "rollback_procedure"]}


def test_the_stage_cannot_be_changed_through_the_package(initiative) -> None:
    with pytest.raises(DomainError) as exc:
        services.update_initiative(initiative=initiative, actor=None, changes={"stage": "x"})
    assert exc.value.message == "These fields can't be changed here: stage."


def test_a_chain_without_a_decision_step_is_stored_and_reported_weak(initiative) -> None:
    weak = services.set_outcome_chain(
        initiative=initiative,
        actor=None,
        links=[
            ("chain.ai_output", "Draft replies"),
            ("chain.business_risk_outcome", "Lower cost to serve"),
        ],
    )
    assert weak == [
        "The chain never reaches a human decision or workflow step, so the business impact "
        "will be weak or unmeasurable."
    ]
    assert list(ChainLink.objects.values_list("position", "kind")) == [
        (1, "chain.ai_output"),
        (2, "chain.business_risk_outcome"),
    ]


def test_moving_to_scale_ready_lists_exactly_what_is_missing(initiative, executive) -> None:
    gate = initiative.gates.get(key="gate.data_rights")
    services.submit_gate_evidence(gate=gate, actor=None, text="DPA signed")
    services.endorse_gate(gate=gate, actor=None, executive=executive)
    with pytest.raises(DomainError) as exc:
        services.change_stage(initiative=initiative, actor=None, stage="stage.scale_ready")
    assert exc.value.code == "not_scale_ready"
    assert exc.value.field_errors["stage"] == [
        "Measurement integrity: An operational metric with a baseline and a comparison method "
        "other than “None”.",
        "Measurement integrity: A business/risk outcome metric with a baseline and a "
        "comparison method other than “None”.",
        "Measurement integrity: A counter-metric.",
        *OPEN_AFTER_DATA_RIGHTS,
    ]
    initiative.refresh_from_db()
    assert initiative.stage == "stage.idea"
    assert not AuditEvent.objects.filter(action="initiative.stage_changed").exists()


def test_a_complete_package_moves_to_scale_ready_and_the_change_is_audited(
    initiative, executive
) -> None:
    make_scale_ready(initiative, executive)
    services.change_stage(initiative=initiative, actor=None, stage="stage.scale_ready")
    initiative.refresh_from_db()
    assert initiative.stage == "stage.scale_ready"
    event = AuditEvent.objects.get(action="initiative.stage_changed")
    assert event.details == {"from": "stage.idea", "to": "stage.scale_ready"}


def test_a_learning_only_pilot_needs_no_gates(initiative) -> None:
    services.change_stage(initiative=initiative, actor=None, stage="stage.learning_only_pilot")
    initiative.refresh_from_db()
    assert initiative.stage == "stage.learning_only_pilot"


def test_a_waived_gate_still_blocks_scale_ready(initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    gate = initiative.gates.get(key="gate.governance_controls")
    services.waive_gate(gate=gate, actor=None, executive=executive, reason="Pilot only")
    with pytest.raises(DomainError) as exc:
        services.change_stage(initiative=initiative, actor=None, stage="stage.scaling")
    assert exc.value.field_errors["stage"] == ["Gate 4: Governance controls is waived."]


def test_a_gate_without_evidence_cannot_be_endorsed(initiative, executive) -> None:
    gate = initiative.gates.get(key="gate.data_rights")
    with pytest.raises(DomainError) as exc:
        services.endorse_gate(gate=gate, actor=None, executive=executive)
    assert exc.value.message == (
        "Gate 1: Data rights and access has no evidence yet: submit it before endorsing."
    )
    gate.refresh_from_db()
    assert gate.status == "open"


def test_only_an_executive_endorses(initiative, leader_person) -> None:
    gate = initiative.gates.get(key="gate.data_rights")
    services.submit_gate_evidence(gate=gate, actor=None, text="x")
    with pytest.raises(DomainError):
        services.endorse_gate(gate=gate, actor=None, executive=leader_person)
    gate.refresh_from_db()
    assert gate.status == "evidence_submitted"


def test_evidence_can_be_an_uploaded_file_and_new_evidence_reopens_the_endorsement(
    initiative, executive, media_root
) -> None:
    gate = initiative.gates.get(key="gate.data_rights")
    services.submit_gate_evidence(gate=gate, actor=None, text="DPA")
    services.endorse_gate(gate=gate, actor=None, executive=executive)
    services.submit_gate_evidence(
        gate=gate, actor=None, file=SimpleUploadedFile("dpa.pdf", b"%PDF-1.4 evidence")
    )
    gate.refresh_from_db()
    assert gate.status == "evidence_submitted"
    assert gate.endorsed_by is None
    assert gate.evidence_file.read() == b"%PDF-1.4 evidence"


def test_a_waiver_needs_a_reason(initiative, executive) -> None:
    gate = initiative.gates.get(key="gate.data_rights")
    with pytest.raises(DomainError):
        services.waive_gate(gate=gate, actor=None, executive=executive, reason="  ")
    assert GateReview.objects.get(pk=gate.pk).status == "open"


def test_measurements_are_idempotent_on_metric_and_timestamp(initiative) -> None:
    metric = add_repeat_contact(initiative)
    batch = [MeasurementPoint(metric.pk, T0 + datetime.timedelta(days=d), 10 + d) for d in range(3)]
    first = services.record_measurements(initiative=initiative, actor=None, points=batch)
    rows = list(Measurement.objects.order_by("pk").values())
    events = AuditEvent.objects.count()
    again = services.record_measurements(initiative=initiative, actor=None, points=batch)
    assert (first.created, first.updated, first.unchanged) == (3, 0, 0)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    assert list(Measurement.objects.order_by("pk").values()) == rows
    assert AuditEvent.objects.count() == events


def test_a_corrected_value_replaces_the_old_one(initiative) -> None:
    metric = add_repeat_contact(initiative)
    services.record_measurements(
        initiative=initiative, actor=None, points=[MeasurementPoint(metric.pk, T0, 10)]
    )
    result = services.record_measurements(
        initiative=initiative, actor=None, points=[MeasurementPoint(metric.pk, T0, 11)]
    )
    assert (result.created, result.updated) == (0, 1)
    assert Measurement.objects.get().value == 11


def test_a_measurement_for_another_initiatives_metric_is_refused(
    initiative, org, executive
) -> None:
    other = services.create_initiative(
        organisation=org, actor=None, name="Other", archetype="archetype.other", sponsor=executive
    )
    metric = add_repeat_contact(other)
    with pytest.raises(DomainError) as exc:
        services.record_measurements(
            initiative=initiative, actor=None, points=[MeasurementPoint(metric.pk, T0, 1)]
        )
    assert exc.value.field_errors == {
        "measurements[1].metric": ["This initiative has no metric with that id."]
    }
    assert Measurement.objects.count() == 0


def test_a_csv_import_stores_measurements_and_a_bad_file_stores_none(initiative) -> None:
    add_repeat_contact(initiative)
    good = b"metric,measured_at,value\nRepeat contact,2026-01-05T00:00:00Z,11.5\n"
    result = services.import_measurements_csv(initiative=initiative, actor=None, content=good)
    assert result.created == 1
    bad = b"metric,measured_at,value\nRepeat contact,yesterday,x\nNope,2026-01-07T00:00Z,1\n"
    with pytest.raises(DomainError) as exc:
        services.import_measurements_csv(initiative=initiative, actor=None, content=bad)
    assert exc.value.field_errors == {
        "line 2": ["measured_at is not a date and time.", "value is not a number."],
        "line 3": ["No metric named “Nope”."],
    }
    assert Measurement.objects.count() == 1


def _team(org, cap=1):
    return BottleneckTeam.objects.create(organisation=org, name="Legal", cap=cap)


def test_starting_work_beyond_a_cap_is_refused_with_the_reason(org, initiative, executive) -> None:
    team = _team(org)
    first = services.create_initiative(
        organisation=org,
        actor=None,
        name="Credit limits",
        archetype="archetype.ml_decisioning",
        sponsor=executive,
    )
    services.start_team_work(initiative=first, team=team, actor=None)
    with pytest.raises(DomainError) as exc:
        services.start_team_work(initiative=initiative, team=team, actor=None)
    assert exc.value.message == (
        "Legal is at its cap: 1 of 1 initiatives in flight (Credit limits). The sponsor may "
        "override with a written reason."
    )
    assert TeamDemand.objects.filter(in_flight=True).count() == 1


def test_the_sponsor_overrides_a_cap_with_a_written_reason_which_is_audited(
    org, initiative, executive
) -> None:
    team = _team(org, cap=0)
    demand = services.start_team_work(
        initiative=initiative, team=team, actor=None, override_reason="Regulator deadline"
    )
    assert demand.in_flight is True
    assert demand.override_reason == "Regulator deadline"
    event = AuditEvent.objects.get(action="initiative.capacity_overridden")
    assert event.details == {"team": "Legal", "cap": 0, "reason": "Regulator deadline"}


def test_finishing_work_frees_the_team(org, initiative) -> None:
    team = _team(org)
    services.start_team_work(initiative=initiative, team=team, actor=None)
    services.finish_team_work(initiative=initiative, team=team, actor=None)
    assert TeamDemand.objects.get().in_flight is False


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_starts_at_one_below_the_cap_let_exactly_one_through(
    org, executive
) -> None:
    team = _team(org, cap=1)
    a, b = (
        services.create_initiative(
            organisation=org, actor=None, name=n, archetype="archetype.other", sponsor=executive
        )
        for n in ("A", "B")
    )
    started, refused = at_once(
        [
            functools.partial(
                services.start_team_work, initiative=initiative, team=team, actor=None
            )
            for initiative in (a, b)
        ]
    )
    assert len(started) == 1
    assert len(refused) == 1
    assert isinstance(refused[0], DomainError), refused
    assert TeamDemand.objects.filter(team=team, in_flight=True).count() == 1


def test_alignment_is_recorded_per_element_and_a_disagreement_needs_a_comment(
    initiative, executive
) -> None:
    services.record_alignment(
        initiative=initiative,
        actor=None,
        executive=executive,
        element="alignment.outcome_chain",
        agrees=True,
    )
    with pytest.raises(DomainError):
        services.record_alignment(
            initiative=initiative,
            actor=None,
            executive=executive,
            element="alignment.gates",
            agrees=False,
        )
    services.record_alignment(
        initiative=initiative,
        actor=None,
        executive=executive,
        element="alignment.outcome_chain",
        agrees=False,
        comment="The chain skips the agent's edit step",
    )
    assert list(AlignmentPosition.objects.values_list("element", "agrees")) == [
        ("alignment.outcome_chain", False)
    ]
    assert list(initiative.signatories.all()) == [executive]


def test_a_non_executive_cannot_record_alignment(initiative, leader_person) -> None:
    with pytest.raises(DomainError):
        services.record_alignment(
            initiative=initiative,
            actor=None,
            executive=leader_person,
            element="alignment.gates",
            agrees=True,
        )
    assert AlignmentPosition.objects.count() == 0


def test_change_impacts_and_decision_rights_are_registered(initiative, bystander) -> None:
    impact = services.add_change_impact(
        initiative=initiative,
        actor=None,
        impact_type="impact.incentive_misalignment",
        affected_group="Support agents",
        owner=bystander,
        mitigation="Add repeat contact to the scorecard",
    )
    right = services.add_decision_right(
        initiative=initiative,
        actor=None,
        decision="Send a reply",
        decided_by_before="Agent",
        decided_by_after="Agent, from an AI draft",
        mode="advisory",
        accountable="Head of Support",
        override_handling="Agent edits are logged with a reason",
    )
    assert impact.status == "open"
    assert right.mode == "advisory"
    with pytest.raises(DomainError):
        services.add_decision_right(
            initiative=initiative,
            actor=None,
            decision="x",
            decided_by_before="a",
            decided_by_after="b",
            mode="automatic",
            accountable="c",
        )


def test_a_decision_cannot_be_recorded_twice_or_before_its_request(org, executive) -> None:
    entry = services.request_decision(
        organisation=org, actor=None, title="Fund eval harness", requested_at=T0
    )
    with pytest.raises(DomainError):
        services.record_decision(
            entry=entry,
            actor=None,
            decided_by=executive,
            outcome="Yes",
            decided_at=T0 - datetime.timedelta(days=1),
        )
    services.record_decision(
        entry=entry,
        actor=None,
        decided_by=executive,
        outcome="Yes",
        decided_at=T0 + datetime.timedelta(days=3),
    )
    with pytest.raises(DomainError):
        services.record_decision(entry=entry, actor=None, decided_by=executive, outcome="No")
    entry.refresh_from_db()
    assert entry.outcome == "Yes"


def test_adoption_samples_are_upserted_per_cohort_and_week(initiative) -> None:
    sample = {"cohort": "majority", "week": 5, "suggestions": 100, "accepted": 40, "overridden": 10}
    services.record_adoption(initiative=initiative, actor=None, samples=[sample])
    services.record_adoption(initiative=initiative, actor=None, samples=[sample | {"accepted": 45}])
    assert [(s.week, s.acceptance_rate) for s in initiative.adoption.all()] == [(5, 45.0)]
    with pytest.raises(DomainError):
        services.record_adoption(
            initiative=initiative, actor=None, samples=[sample | {"accepted": 95}]
        )


def test_a_change_impact_is_edited_closed_and_audited(initiative, executive, other_org) -> None:
    from bellwether.initiatives.models import ChangeImpact

    impact = add_impact(initiative, executive)
    services.update_change_impact(
        impact=impact, actor=None, changes={"status": "mitigated", "owner": executive}
    )
    impact.refresh_from_db()
    assert (impact.status, impact.owner_id) == ("mitigated", executive.pk)
    event = AuditEvent.objects.get(action="initiative.change_impact_updated")
    assert event.details["status"] == ["open", "mitigated"]
    outsider = PersonFactory(organisation=other_org, employee_id="OUT1")
    for changes, field in (
        ({"impact_type": "impact.nope"}, "impact_type"),
        ({"affected_group": "  "}, "affected_group"),
        ({"status": "closed"}, "status"),
        ({"owner": outsider}, "owner"),
    ):
        with pytest.raises(DomainError) as refused:
            services.update_change_impact(impact=impact, actor=None, changes=changes)
        assert field in refused.value.field_errors
    with pytest.raises(DomainError):
        services.update_change_impact(impact=impact, actor=None, changes={"initiative": None})
    assert ChangeImpact.objects.get().status == "mitigated"


def test_a_decision_right_is_edited_and_bad_changes_are_refused(initiative) -> None:
    right = add_reply_right(initiative)
    services.update_decision_right(
        right=right, actor=None, changes={"mode": "binding", "accountable": " COO "}
    )
    right.refresh_from_db()
    assert (right.mode, right.accountable) == ("binding", "COO")
    for changes, field in (
        ({"mode": "maybe"}, "mode"),
        ({"decision": ""}, "decision"),
        ({"accountable": " "}, "accountable"),
    ):
        with pytest.raises(DomainError) as refused:
            services.update_decision_right(right=right, actor=None, changes=changes)
        assert field in refused.value.field_errors
    right.refresh_from_db()
    assert (right.mode, right.decision, right.accountable) == ("binding", "Send a reply", "COO")
    assert AuditEvent.objects.filter(action="initiative.decision_right_updated").count() == 1
