"""Layered metrics and pushed measurements."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Status
from ninja.errors import HttpError

from bellwether.core.api import answers
from bellwether.core.schema import ErrorOut, PathId
from bellwether.initiatives import services
from bellwether.initiatives.api.base import (
    add_part,
    initiative_for,
    metric_out,
    patch_part,
    router,
)
from bellwether.initiatives.api.schemas import (
    MAX_PUSH,
    MeasurementsIn,
    MeasurementsOut,
    MetricIn,
    MetricOut,
    MetricPatch,
)
from bellwether.initiatives.models import Metric


@router.post(
    "/{int:initiative_id}/metrics",
    **answers(MetricOut, "add_metric", "Add a layered metric", status=201),
)
def add_metric(
    request: HttpRequest, initiative_id: PathId, payload: MetricIn
) -> Status[dict[str, Any]]:
    metric = add_part(request, initiative_id, services.add_metric, payload)
    return Status(201, metric_out(metric))


@router.patch(
    "/{int:initiative_id}/metrics/{int:metric_id}",
    **answers(
        MetricOut,
        "update_metric",
        "Change a metric: layer, unit, direction, target, baseline, comparison, guardrail",
    ),
)
def update_metric(
    request: HttpRequest, initiative_id: PathId, metric_id: PathId, payload: MetricPatch
) -> dict[str, Any]:
    metric = patch_part(
        request,
        initiative_id,
        Metric,
        metric_id,
        payload,
        nullable={"target", "baseline_value", "guardrail"},
    )
    return metric_out(metric)


@router.post(
    "/{int:initiative_id}/measurements",
    **answers(MeasurementsOut, "push_measurements", "Push measurements", also={413: ErrorOut}),
)
def push_measurements(
    request: HttpRequest, initiative_id: PathId, payload: MeasurementsIn
) -> dict[str, Any]:
    """Idempotent on metric + measured_at: a re-sent batch changes nothing; a different
    value for the same instant replaces the stored one."""
    membership, initiative = initiative_for(request, initiative_id)
    if len(payload.measurements) > MAX_PUSH:
        raise HttpError(413, f"At most {MAX_PUSH:,} measurements per call.")
    result = services.record_measurements(
        initiative=initiative,
        actor=membership.user,
        points=[
            services.MeasurementPoint(m.metric_id, m.measured_at, m.value)
            for m in payload.measurements
        ],
        source="api",
    )
    return {"created": result.created, "updated": result.updated, "unchanged": result.unchanged}
