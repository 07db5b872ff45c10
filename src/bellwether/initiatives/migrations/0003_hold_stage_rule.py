"""Initiatives left scale-ready or scaling by an edit before the rule held at all times
(a baseline removed, a gate waived or reopened) go back to the learning-only pilot, each
with an ``initiative.stage_dropped`` audit event saying what is missing. Nothing else is
changed: change impacts without owner or mitigation are left as they are (shown as
incomplete), and signatories keep the default of 0002 (required)."""

from typing import Any

from django.db import migrations

from bellwether.initiatives import alignment

HELD = ("stage.scale_ready", "stage.scaling")


def hold_stage_rule(apps: Any, schema_editor: Any) -> None:
    Initiative = apps.get_model("initiatives", "Initiative")
    Metric = apps.get_model("initiatives", "Metric")
    GateReview = apps.get_model("initiatives", "GateReview")
    AuditEvent = apps.get_model("core", "AuditEvent")
    for initiative in Initiative.objects.filter(stage__in=HELD).order_by("pk"):
        facts = [
            alignment.MetricFacts(layer, baseline is not None, comparison)
            for layer, baseline, comparison in Metric.objects.filter(
                initiative_id=initiative.pk
            ).values_list("layer", "baseline_value", "comparison")
        ]
        statuses = dict(
            GateReview.objects.filter(initiative_id=initiative.pk).values_list("key", "status")
        )
        missing = alignment.scale_ready_blockers(metrics=facts, gate_statuses=statuses)
        if not missing:
            continue
        previous = initiative.stage
        Initiative.objects.filter(pk=initiative.pk).update(
            stage=alignment.STAGE_LEARNING_ONLY_PILOT
        )
        AuditEvent.objects.create(
            organisation_id=initiative.organisation_id,
            action="initiative.stage_dropped",
            target_type="initiatives.initiative",
            target_id=str(initiative.pk),
            target_label=initiative.name[:300],
            details={
                "from": previous,
                "to": alignment.STAGE_LEARNING_ONLY_PILOT,
                "cause": "migration",
                "missing": missing,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("initiatives", "0002_signatory_required"),
        ("core", "0004_mark_existing_demo_organisations"),
    ]

    operations = [migrations.RunPython(hold_stage_rule, migrations.RunPython.noop)]
