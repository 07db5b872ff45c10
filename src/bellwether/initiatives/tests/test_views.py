"""The initiative pages: what each shows and does, and refusals that change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.accounts.roles import Role
from bellwether.core.models import AuditEvent
from bellwether.initiatives import services
from bellwether.initiatives.models import (
    AlignmentPosition,
    BottleneckTeam,
    ChainLink,
    GateReview,
    Initiative,
    Measurement,
    Metric,
    TeamDemand,
)
from bellwether.initiatives.services import MeasurementPoint
from bellwether.initiatives.tests.factories import T0, make_scale_ready, scale_ready_initiatives
from bellwether.testing.factories import PersonFactory, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def executive_client(org, executive) -> Client:
    client = Client()
    client.force_login(make_member(org, Role.LEADER, email="eve@acme.test", person=executive).user)
    return client


def test_the_portfolio_groups_by_stage_and_lists_alerts(client_for, initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    metric = initiative.metrics.get(layer="layer.counter_metric")
    services.record_measurements(
        initiative=initiative, actor=None, points=[MeasurementPoint(metric.pk, T0, 15)]
    )
    response = client_for("sponsor").get(reverse("initiatives:portfolio"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Counter-metric “Repeat contact in 7 days” is at 15 %, past its guardrail of 12." in html
    assert "Scale-ready possible" in html


def test_the_portfolio_page_takes_a_fixed_number_of_queries(client_for, org, executive) -> None:
    client = client_for("admin")
    url = reverse("initiatives:portfolio")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    services.create_initiative(
        organisation=org, actor=None, name="A", archetype="archetype.other", sponsor=executive
    )
    count()  # the first request of a session does extra work once
    one = count()
    scale_ready_initiatives(org, executive, 6)
    assert count() == one


def test_the_initiative_page_shows_the_chain_and_chart_data(
    client_for, initiative, executive
) -> None:
    make_scale_ready(initiative, executive)
    services.set_outcome_chain(
        initiative=initiative, actor=None, links=[("chain.ai_output", "Drafts replies")]
    )
    metric = initiative.metrics.get(name="Handling time")
    services.record_measurements(
        initiative=initiative,
        actor=None,
        points=[MeasurementPoint(metric.pk, datetime.datetime.now(tz=datetime.UTC), 9)],
    )
    response = client_for("admin").get(reverse("initiatives:detail", args=[initiative.pk]))
    html = response.content.decode()
    assert "Drafts replies" in html
    assert "The chain never reaches a human decision or workflow step" in html
    assert f'id="chart-{metric.pk}"' in html
    charts = {c["name"]: c for c in response.context["charts"]}
    assert charts["Handling time"]["baseline"] == 12
    assert len(charts["Handling time"]["points"]) == 1
    assert "<script>" not in html.replace('<script id="metric-charts" type="application/json">', "")


def test_a_stage_change_refusal_shows_what_is_missing_and_changes_nothing(
    executive_client, initiative
) -> None:
    response = executive_client.post(
        reverse("initiatives:stage", args=[initiative.pk]), {"stage": "stage.scale_ready"}
    )
    assert response.status_code == 200
    assert response.context["stage_refusal"][0] == (
        "Measurement integrity: An operational metric with a baseline and a comparison method other than “None”."
    )
    assert "Gate 1: Data rights and access is open." in response.content.decode()
    initiative.refresh_from_db()
    assert initiative.stage == "stage.idea"


def test_a_sponsor_role_member_who_is_not_the_initiatives_sponsor_cannot_change_its_stage(
    client_for, initiative
) -> None:
    response = client_for("sponsor").post(
        reverse("initiatives:stage", args=[initiative.pk]), {"stage": "stage.learning_only_pilot"}
    )
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.stage == "stage.idea"


def test_gate_evidence_is_uploaded_and_an_executive_endorses_it(
    executive_client, initiative, media_root
) -> None:
    url = reverse("initiatives:gate", args=[initiative.pk, "gate.data_rights"])
    response = executive_client.post(
        url, {"action": "evidence", "text": "DPA", "file": SimpleUploadedFile("dpa.txt", b"signed")}
    )
    assert response.status_code == 302
    assert executive_client.post(url, {"action": "endorse"}).status_code == 302
    gate = GateReview.objects.get(initiative=initiative, key="gate.data_rights")
    assert gate.endorsed_by is not None
    download = executive_client.get(
        reverse("initiatives:evidence_file", args=[initiative.pk, "gate.data_rights"])
    )
    assert b"".join(download.streaming_content) == b"signed"
    assert (gate.status, gate.endorsed_by.name, gate.evidence_file.read()) == (
        "endorsed",
        "Eve Executive",
        b"signed",
    )


def test_an_admin_who_is_not_an_executive_cannot_endorse(client_for, initiative) -> None:
    url = reverse("initiatives:gate", args=[initiative.pk, "gate.data_rights"])
    client_for("admin").post(url, {"action": "evidence", "text": "DPA"})
    assert client_for("admin").post(url, {"action": "endorse"}).status_code == 403
    assert (
        GateReview.objects.get(initiative=initiative, key="gate.data_rights").status
        == "evidence_submitted"
    )


def test_an_unknown_gate_is_404(client_for, initiative) -> None:
    assert (
        client_for("admin")
        .get(reverse("initiatives:gate", args=[initiative.pk, "gate.nope"]))
        .status_code
        == 404
    )


def test_an_executive_records_alignment_on_every_element(
    executive_client, initiative, executive
) -> None:
    services.set_signatories(initiative=initiative, actor=None, people=[executive])
    data = {
        "outcome_chain_agrees": "yes",
        "operating_model_agrees": "yes",
        "change_load_agrees": "no",
        "change_load_comment": "Training budget is missing",
        "risk_posture_agrees": "yes",
        "gates_agrees": "yes",
    }
    response = executive_client.post(reverse("initiatives:align", args=[initiative.pk]), data)
    assert response.status_code == 302
    assert (
        AlignmentPosition.objects.filter(agrees=False).get().comment == "Training budget is missing"
    )
    assert AlignmentPosition.objects.count() == 5
    # Leaving a choice out brings the form back with the comments typed, in words.
    partial = {k: v for k, v in data.items() if k != "gates_agrees"}
    partial["change_load_comment"] = "Budget still missing in Q3"
    refused = executive_client.post(reverse("initiatives:align", args=[initiative.pk]), partial)
    assert refused.status_code == 400
    assert "Say whether you agree with each element of the package." in refused.text
    assert "Budget still missing in Q3</textarea>" in refused.text
    assert not AlignmentPosition.objects.filter(comment="Budget still missing in Q3").exists()
    page = executive_client.get(
        reverse("initiatives:detail", args=[initiative.pk])
    ).content.decode()
    assert "0 of 1" in page


def test_registering_an_initiative(client_for, executive) -> None:
    response = client_for("sponsor").post(
        reverse("initiatives:new"),
        {
            "name": "Credit limits",
            "archetype": "archetype.ml_decisioning",
            "horizon": "H1",
            "sponsor": executive.email,
        },
    )
    initiative = Initiative.objects.get()
    assert response.url == reverse("initiatives:detail", args=[initiative.pk])
    assert initiative.gates.count() == 8


def test_the_package_chain_and_metric_forms_save(client_for, initiative, bystander) -> None:
    client = client_for("admin")
    response = client.post(
        reverse("initiatives:edit", args=[initiative.pk]),
        {"operational_owner": bystander.email, "on_call": "Ops rota"},
    )
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert (initiative.operational_owner, initiative.on_call) == (bystander, "Ops rota")
    client.post(
        reverse("initiatives:chain", args=[initiative.pk]),
        {
            "kind_1": "chain.ai_output",
            "text_1": "Drafts",
            "kind_2": "chain.decision_or_workflow_step",
            "text_2": "Agent sends",
        },
    )
    assert list(ChainLink.objects.values_list("text", flat=True)) == ["Drafts", "Agent sends"]
    response = client.post(
        reverse("initiatives:metric_new", args=[initiative.pk]),
        {
            "name": "Edit distance",
            "layer": "layer.operational",
            "direction": "decrease",
            "comparison": "comparison.none",
            "baseline_value": "3",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "baseline_period": ["Say which period the baseline covers."]
    }
    assert not Metric.objects.exists()


def test_measurements_are_entered_and_imported_from_csv(client_for, initiative, executive) -> None:
    make_scale_ready(initiative, executive)
    metric = initiative.metrics.get(name="Handling time")
    client = client_for("admin")
    url = reverse("initiatives:measurements", args=[initiative.pk])
    client.post(url, {"metric": metric.pk, "measured_at": "2026-01-05T09:00", "value": "10.5"})
    csv = b"metric,measured_at,value\nHandling time,2026-01-06T09:00:00Z,10\n"
    client.post(url, {"file": SimpleUploadedFile("m.csv", csv, content_type="text/csv")})
    assert list(Measurement.objects.order_by("measured_at").values_list("value", "source")) == [
        (10.5, "ui"),
        (10.0, "csv"),
    ]


def test_a_leader_owner_cannot_record_measurements(
    client_for, initiative, executive, leader_person
) -> None:
    make_scale_ready(initiative, executive)
    initiative.operational_owner = leader_person
    initiative.save()
    metric = initiative.metrics.first()
    response = client_for("leader").post(
        reverse("initiatives:measurements", args=[initiative.pk]),
        {"metric": metric.pk, "measured_at": "2026-01-05T09:00", "value": "1"},
    )
    assert response.status_code == 403
    assert not Measurement.objects.exists()


def test_starting_work_beyond_the_cap_shows_the_reason(client_for, org, initiative) -> None:
    team = BottleneckTeam.objects.create(organisation=org, name="Legal", cap=0)
    response = client_for("admin").post(
        reverse("initiatives:start_team", args=[initiative.pk]), {"team": team.pk}, follow=True
    )
    assert "Legal is at its cap: 0 of 0 initiatives in flight ()." in response.content.decode()
    assert not TeamDemand.objects.filter(in_flight=True).exists()
    assert response.status_code == 400  # the form again, not a redirect that forgets it
    refused = client_for("admin").post(
        reverse("initiatives:start_team", args=[initiative.pk]),
        {"team": team.pk, "override_reason": "Regulator deadline in March"},
    )
    assert refused.status_code == 403
    html = refused.content.decode()
    # Why, in words, and what was typed, kept: never a bare "Not allowed".
    assert "Not allowed" not in html
    assert "Only the initiative&#x27;s sponsor may start work beyond a team&#x27;s cap" in html
    assert "Regulator deadline in March</textarea>" in html
    assert f'name="team" value="{team.pk}"' in html
    assert not AuditEvent.objects.filter(action="initiative.capacity_overridden").exists()
    assert AuditEvent.objects.filter(
        action="permission.denied", details__check="initiatives.override_capacity"
    ).exists()


def test_the_capacity_page_sets_up_teams_and_caps(client_for, org) -> None:
    client = client_for("admin")
    client.post(reverse("initiatives:capacity"), {"create_defaults": "1"})
    legal = BottleneckTeam.objects.get(name="Legal")
    client.post(reverse("initiatives:capacity"), {"team": legal.pk, "cap": "2"})
    legal.refresh_from_db()
    assert legal.cap == 2
    assert sorted(BottleneckTeam.objects.values_list("name", flat=True)) == [
        "Data engineering",
        "Legal",
        "Security",
    ]


def test_the_package_pdf_is_a_pdf(client_for, initiative) -> None:
    response = client_for("sponsor").get(reverse("initiatives:pdf", args=[initiative.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_the_package_edit_page_ships_no_person_options(client_for, org, initiative) -> None:
    for i in range(40):
        PersonFactory(organisation=org, name=f"Many People {i:02}", employee_id=f"M{i:03}")
    html = (
        client_for("admin").get(reverse("initiatives:edit", args=[initiative.pk])).content.decode()
    )
    assert "Many People" not in html
    assert html.count('data-person-picker="one"') == 3
    assert reverse("people:search") in html
