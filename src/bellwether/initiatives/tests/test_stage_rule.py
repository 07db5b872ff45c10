"""Issue 19: the scale-ready rule holds at all times, not only at the moment of a stage
change. An edit that breaks it takes the initiative back to the learning-only pilot stage
(audited with its cause and what is missing); page, API and portfolio then agree."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent
from bellwether.initiatives import selectors, services
from bellwether.initiatives.models import GateReview, Initiative
from bellwether.initiatives.tests.factories import make_scale_ready
from bellwether.testing.factories import api_client_for, make_member

pytestmark = pytest.mark.django_db

PILOT = "stage.learning_only_pilot"
SCALE_READY = "stage.scale_ready"
BASE = "/api/v1/initiatives"


@pytest.fixture
def scale_ready(initiative, executive) -> Initiative:
    make_scale_ready(initiative, executive)
    return services.change_stage(initiative=initiative, actor=None, stage=SCALE_READY)


def _dropped() -> AuditEvent:
    return AuditEvent.objects.get(action="initiative.stage_dropped")


def test_removing_a_baseline_takes_a_scale_ready_initiative_back_to_the_pilot(
    scale_ready,
) -> None:
    metric = scale_ready.metrics.get(layer="layer.operational")
    services.update_metric(metric=metric, actor=None, changes={"baseline_value": None})
    scale_ready.refresh_from_db()
    assert scale_ready.stage == PILOT
    event = _dropped()
    assert event.details["from"] == SCALE_READY
    assert event.details["to"] == PILOT
    assert event.details["cause"] == "initiative.metric_updated"
    assert event.details["missing"] == [
        "Measurement integrity: An operational metric with a baseline and a comparison "
        "method other than “None”."
    ]
    [row] = selectors.portfolio(Initiative.objects.filter(pk=scale_ready.pk))
    assert row.learning_only is True
    assert row.initiative.stage == PILOT


def test_waiving_a_gate_takes_a_scaling_initiative_back(scale_ready, executive) -> None:
    services.change_stage(initiative=scale_ready, actor=None, stage="stage.scaling")
    gate = GateReview.objects.get(initiative=scale_ready, key="gate.data_rights")
    services.waive_gate(gate=gate, actor=None, executive=executive, reason="Legal is late")
    scale_ready.refresh_from_db()
    assert scale_ready.stage == PILOT
    assert _dropped().details["cause"] == "initiative.gate_waived"
    assert _dropped().details["missing"] == ["Gate 1: Data rights and access is waived."]


def test_new_evidence_reopening_an_endorsement_takes_it_back(scale_ready) -> None:
    gate = GateReview.objects.get(initiative=scale_ready, key="gate.data_rights")
    services.submit_gate_evidence(gate=gate, actor=None, text="A new contract")
    scale_ready.refresh_from_db()
    assert scale_ready.stage == PILOT
    assert _dropped().details["cause"] == "initiative.gate_evidence_submitted"


def test_edits_that_keep_the_rule_leave_the_stage_alone(scale_ready, executive) -> None:
    metric = scale_ready.metrics.get(layer="layer.operational")
    services.update_metric(metric=metric, actor=None, changes={"target": 8})
    scale_ready.refresh_from_db()
    assert scale_ready.stage == SCALE_READY
    # A retired initiative is not held to the rule.
    services.change_stage(initiative=scale_ready, actor=None, stage="stage.retired")
    gate = GateReview.objects.get(initiative=scale_ready, key="gate.data_rights")
    services.waive_gate(gate=gate, actor=None, executive=executive, reason="Retired")
    scale_ready.refresh_from_db()
    assert scale_ready.stage == "stage.retired"
    assert not AuditEvent.objects.filter(action="initiative.stage_dropped").exists()


def test_the_metric_page_says_the_stage_dropped(client_for, scale_ready) -> None:
    metric = scale_ready.metrics.get(layer="layer.business_risk_outcome")
    url = reverse("initiatives:metric_edit", args=[scale_ready.pk, metric.pk])
    form = {
        "name": metric.name,
        "layer": metric.layer,
        "unit": metric.unit,
        "direction": metric.direction,
        "comparison": "comparison.none",
        "baseline_value": metric.baseline_value,
        "baseline_period": metric.baseline_period,
    }
    response = client_for("sponsor").post(url, form, follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "no longer meets the rule for Scale-ready and is back to Learning-only pilot" in html
    assert "can be at most <em>learning-only</em>" in html
    scale_ready.refresh_from_db()
    assert scale_ready.stage == PILOT


def test_the_gate_page_says_the_stage_dropped(org, scale_ready, executive) -> None:
    from django.test import Client

    client = Client()
    client.force_login(make_member(org, Role.LEADER, email="eve@acme.test", person=executive).user)
    url = reverse("initiatives:gate", args=[scale_ready.pk, "gate.data_rights"])
    response = client.post(
        url, {"action": "waive", "reason": "Legal is late", "confirmed": "yes"}, follow=True
    )
    assert "is back to Learning-only pilot" in response.content.decode()


def test_the_api_answers_one_truth_after_the_edit(members, scale_ready) -> None:
    client = api_client_for(members["sponsor"])
    metric = scale_ready.metrics.get(layer="layer.operational")
    response = client.patch(
        f"{BASE}/{scale_ready.pk}/metrics/{metric.pk}",
        {"baseline_value": None},
        content_type="application/json",
    )
    assert response.status_code == 200
    detail = client.get(f"{BASE}/{scale_ready.pk}").json()
    assert detail["learning_only"] is True
    assert detail["stage"] == PILOT
    assert AuditEvent.objects.filter(action="initiative.stage_dropped").count() == 1


def test_the_migration_takes_back_initiatives_already_past_the_rule(
    scale_ready, org, executive
) -> None:
    import importlib

    from django.apps import apps

    migration = importlib.import_module("bellwether.initiatives.migrations.0003_hold_stage_rule")
    sound = services.create_initiative(
        organisation=org,
        actor=None,
        name="Sound",
        archetype="archetype.genai_customer_facing",
        sponsor=executive,
    )
    make_scale_ready(sound, executive)
    services.change_stage(initiative=sound, actor=None, stage=SCALE_READY)
    # An edit from before the rule held at all times: written past the services.
    GateReview.objects.filter(initiative=scale_ready, key="gate.data_rights").update(
        status="waived"
    )
    migration.hold_stage_rule(apps, None)
    scale_ready.refresh_from_db()
    sound.refresh_from_db()
    assert (scale_ready.stage, sound.stage) == (PILOT, SCALE_READY)
    event = _dropped()
    assert event.target_id == str(scale_ready.pk)
    assert event.details["cause"] == "migration"
    assert event.details["missing"] == ["Gate 1: Data rights and access is waived."]


def test_waiving_a_gate_is_confirmed_first(org, scale_ready, executive) -> None:
    from django.test import Client

    from bellwether.initiatives.models import GateReview

    client = Client()
    client.force_login(make_member(org, Role.LEADER, email="eve@acme.test", person=executive).user)
    url = reverse("initiatives:gate", args=[scale_ready.pk, "gate.data_rights"])
    assert "data-confirm=" in client.get(url).content.decode()
    gate = GateReview.objects.get(initiative=scale_ready, key="gate.data_rights")
    before = (gate.status, gate.updated_at)
    asked = client.post(url, {"action": "waive", "reason": "Legal is late"})
    html = asked.content.decode()
    assert asked.status_code == 200
    assert "A waiver cannot be withdrawn." in html
    assert 'name="reason" value="Legal is late"' in html  # the step posts the reason again
    gate.refresh_from_db()
    assert (gate.status, gate.updated_at) == before
    done = client.post(url, {"action": "waive", "reason": "Legal is late", "confirmed": "yes"})
    assert done.status_code == 302
    gate.refresh_from_db()
    assert gate.status == "waived"
