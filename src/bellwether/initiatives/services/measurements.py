"""Layered metrics and their measurements (pushed, typed on the page or imported from CSV)."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.uploads import UploadLimits
from bellwether.initiatives import alignment, measurement_csv
from bellwether.initiatives.models import (
    Initiative,
    Measurement,
    Metric,
)
from bellwether.initiatives.services._common import (
    MAX_MEASUREMENTS,
    _refuse,
    _saved,
)
from bellwether.initiatives.services.stage import hold_stage_rule

if TYPE_CHECKING:
    from bellwether.accounts.models import User


METRIC_FIELDS = (
    "name",
    "layer",
    "unit",
    "direction",
    "target",
    "baseline_value",
    "baseline_period",
    "baseline_source",
    "comparison",
    "guardrail",
)


def _check_metric(metric: Metric) -> None:
    if not metric.name.strip():
        raise _refuse("name", "Give the metric a name.")
    if metric.layer not in alignment.LAYERS:
        raise _refuse("layer", f"Unknown metric layer “{metric.layer}”.")
    if metric.comparison not in alignment.COMPARISONS:
        raise _refuse("comparison", f"Unknown comparison method “{metric.comparison}”.")
    if metric.direction not in Metric.Direction.values:
        raise _refuse("direction", "The direction is “increase” or “decrease”.")
    if metric.baseline_value is not None and not metric.baseline_period.strip():
        raise _refuse("baseline_period", "Say which period the baseline covers.")
    clash = Metric.objects.filter(initiative_id=metric.initiative_id, name=metric.name)
    if clash.exclude(pk=metric.pk).exists():
        raise _refuse("name", "This initiative already has a metric with that name.")


@transaction.atomic
def add_metric(
    *,
    initiative: Initiative,
    actor: User | None,
    name: str,
    layer: str,
    direction: str,
    unit: str = "",
    target: float | None = None,
    baseline_value: float | None = None,
    baseline_period: str = "",
    baseline_source: str = "",
    comparison: str = alignment.COMPARISON_NONE,
    guardrail: float | None = None,
) -> Metric:
    metric = Metric(
        organisation=initiative.organisation,
        initiative=initiative,
        name=name.strip(),
        layer=layer,
        unit=unit,
        direction=direction,
        target=target,
        baseline_value=baseline_value,
        baseline_period=baseline_period,
        baseline_source=baseline_source,
        comparison=comparison,
        guardrail=guardrail,
    )
    _check_metric(metric)
    return _saved(
        metric,
        "initiative.metric_added",
        actor=actor,
        details={"initiative": initiative.pk, "layer": layer},
    )


@transaction.atomic
def update_metric(*, metric: Metric, actor: User | None, changes: Mapping[str, Any]) -> Metric:
    unknown = set(changes) - set(METRIC_FIELDS)
    if unknown:
        raise DomainError(f"These fields can't be changed here: {', '.join(sorted(unknown))}.")
    for field, value in changes.items():
        setattr(metric, field, value)
    _check_metric(metric)
    _saved(metric, "initiative.metric_updated", actor=actor, details={"fields": sorted(changes)})
    # A baseline removed or a comparison set to “None” may take away measurement integrity.
    hold_stage_rule(
        initiative_id=metric.initiative_id, actor=actor, cause="initiative.metric_updated"
    )
    return metric


@dataclass(frozen=True, slots=True)
class MeasurementResult:
    created: int
    updated: int
    unchanged: int


@dataclass(frozen=True, slots=True)
class MeasurementPoint:
    metric_id: int
    measured_at: datetime.datetime
    value: float


def record_measurements(
    *,
    initiative: Initiative,
    actor: User | None,
    points: Sequence[MeasurementPoint],
    source: str = Measurement.Source.UI,
) -> MeasurementResult:
    """Store measurements, idempotent on (metric, instant): a re-sent batch changes nothing,
    a corrected value replaces the old one."""
    if len(points) > MAX_MEASUREMENTS:
        raise DomainError(f"Send at most {MAX_MEASUREMENTS:,} measurements at a time.")
    metric_ids = set(Metric.objects.filter(initiative=initiative).values_list("pk", flat=True))
    latest: dict[tuple[int, datetime.datetime], float] = {}
    for index, point in enumerate(points, start=1):
        if point.metric_id not in metric_ids:
            raise _refuse(
                f"measurements[{index}].metric", "This initiative has no metric with that id."
            )
        if timezone.is_naive(point.measured_at):
            raise _refuse(f"measurements[{index}].measured_at", "Give the time with its time zone.")
        if point.value != point.value or point.value in (float("inf"), float("-inf")):
            raise _refuse(f"measurements[{index}].value", "The value must be a finite number.")
        latest[(point.metric_id, point.measured_at)] = point.value
    with transaction.atomic():
        existing: dict[tuple[int, datetime.datetime], float] = {}
        instants = {at for _, at in latest}
        if latest:
            for metric_id, at, value in Measurement.objects.filter(
                metric_id__in={m for m, _ in latest}, measured_at__in=instants
            ).values_list("metric_id", "measured_at", "value"):
                existing[(metric_id, at)] = value
        new = [key for key in latest if key not in existing]
        changed = [key for key in latest if key in existing and existing[key] != latest[key]]
        Measurement.objects.bulk_create(
            [
                Measurement(
                    organisation_id=initiative.organisation_id,
                    metric_id=metric_id,
                    measured_at=at,
                    value=latest[(metric_id, at)],
                    source=source,
                )
                for metric_id, at in new
            ],
            batch_size=5000,
        )
        for metric_id, at in changed:
            Measurement.objects.filter(metric_id=metric_id, measured_at=at).update(
                value=latest[(metric_id, at)], source=source, updated_at=timezone.now()
            )
        result = MeasurementResult(
            created=len(new),
            updated=len(changed),
            unchanged=len(latest) - len(new) - len(changed),
        )
        if new or changed:
            audit.record_on(
                initiative,
                "initiative.measurements_recorded",
                actor=actor,
                details={"created": result.created, "updated": result.updated, "source": source},
            )
    return result


def import_measurements_csv(
    *, initiative: Initiative, actor: User | None, content: bytes
) -> MeasurementResult:
    """A CSV with the columns ``metric`` (the metric's name), ``measured_at`` (ISO 8601)
    and ``value``. A file with any error writes nothing (``initiatives/measurement_csv``)."""
    by_name = dict(Metric.objects.filter(initiative=initiative).values_list("name", "pk"))
    points = measurement_csv.parse_measurements(
        content,
        metrics=by_name,
        limits=measurement_csv.limits_for(UploadLimits.from_settings(), MAX_MEASUREMENTS),
    )
    return record_measurements(
        initiative=initiative,
        actor=actor,
        points=[MeasurementPoint(*point) for point in points],
        source=Measurement.Source.CSV,
    )
