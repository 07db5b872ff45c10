"""Writes of the KPI dashboard: an organisation's own targets and baselines."""

from __future__ import annotations

import math
from datetime import date

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import kpi
from bellwether.insights.models import KpiTarget

# A target is a percentage, a change from baseline or a monthly count: nothing sensible
# lies outside this range, and a typo like 8000 must not silently become the target.
TARGET_RANGE = (-1000.0, 1000.0)


@transaction.atomic
def set_target(
    *,
    organisation: Organisation,
    kpi_key: str,
    target_value: float,
    baseline_date: date | None = None,
    baseline_value: float | None = None,
    note: str = "",
    actor: AbstractBaseUser | None,
) -> KpiTarget:
    """Set (or change) the organisation's target for one KPI; audited with the old and
    new values (``actor`` None: the demo or a command)."""
    try:
        metric = kpi(kpi_key)
    except KeyError:
        raise DomainError(f"There is no KPI “{kpi_key}”.", code="unknown_kpi") from None
    for label, value in (("target", target_value), ("baseline", baseline_value)):
        if value is not None and (
            not math.isfinite(value) or not TARGET_RANGE[0] <= value <= TARGET_RANGE[1]
        ):
            raise DomainError(
                f"The {label} must be a number between {TARGET_RANGE[0]:g} and "
                f"{TARGET_RANGE[1]:g} ({metric.unit}).",
                code="out_of_range",
            )
    if baseline_date is not None and baseline_date > timezone.localdate():
        raise DomainError("The baseline date cannot be in the future.", code="future_baseline")
    row = (
        KpiTarget.objects.select_for_update()
        .filter(organisation=organisation, kpi_key=kpi_key)
        .first()
    )
    before = None if row is None else {"target": row.target_value, "baseline": row.baseline_value}
    if row is None:
        row = KpiTarget(organisation=organisation, kpi_key=kpi_key)
    row.target_value = target_value
    row.baseline_date = baseline_date
    row.baseline_value = baseline_value
    row.note = note.strip()[:300]
    row.save()
    audit.record(
        action="insights.target_set",
        organisation=organisation,
        actor=actor,
        target=row,
        target_label=metric.name,
        details={
            "kpi": kpi_key,
            "before": before,
            "after": {"target": target_value, "baseline": baseline_value},
        },
    )
    return row


@transaction.atomic
def reset_target(*, organisation: Organisation, kpi_key: str, actor: AbstractBaseUser) -> None:
    """Go back to the framework's target for one KPI."""
    deleted, _ = KpiTarget.objects.filter(organisation=organisation, kpi_key=kpi_key).delete()
    if deleted:
        audit.record(
            action="insights.target_reset",
            organisation=organisation,
            actor=actor,
            target_label=kpi_key,
            details={"kpi": kpi_key},
        )
