"""Creating and updating org units from a file or the API's records, all or nothing."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.people import importing
from bellwether.people.importing import (
    ExistingUnit,
    ImportResult,
)
from bellwether.people.models import OrgUnit
from bellwether.people.services._database import _existing_units
from bellwether.people.services._shared import (
    ImportBatch,
    Importer,
)

# --- org units ---------------------------------------------------------------------------------


def _import_unit_rows(batch: ImportBatch) -> ImportResult:
    batch.say("Checking rows")
    # Units are few; checking inside the transaction keeps this simple.
    with transaction.atomic():
        stored = _existing_units(batch.organisation)
        plan = importing.plan_units(
            columns=batch.columns,
            rows=batch.rows,
            existing={code: unit for code, (unit, _path, _depth) in stored.items()},
            progress=batch.progress,
        )
        if batch.early_errors or plan.errors:
            return batch.refused(plan.errors)
        result = ImportResult(
            ok=True,
            total=plan.total,
            created=len(plan.create),
            updated=len(plan.changed) - len(plan.create),
            unchanged=plan.unchanged,
            dry_run=batch.dry_run,
        )
        if batch.dry_run:
            return result
        batch.say("Saving")
        _write_units(batch.organisation, plan, stored)
        if batch.progress is not None:
            batch.progress(plan.total, plan.total)
        batch.record(result)
    return result


_UNITS = Importer(_import_unit_rows, "org_units")
#: Create or update org units (columns code, name, parent_code), matched by code.
import_org_units = _UNITS.from_file
#: The API's batch upsert of units (fields code, name, parent_code).
upsert_org_unit_records = _UNITS.from_records


def _write_units(
    organisation: Organisation,
    plan: importing.UnitsPlan,
    stored: dict[str, tuple[ExistingUnit, str, int]],
) -> None:
    now = timezone.now()
    new_names = dict(plan.create)
    OrgUnit.objects.bulk_create(
        [
            OrgUnit(organisation=organisation, code=code, name=name, path="", depth=0)
            for code, name in plan.create
        ],
        batch_size=1000,
    )
    ids = dict(OrgUnit.objects.filter(organisation=organisation).values_list("code", "id"))
    renamed = dict(plan.rename)
    # A moved unit moves its whole subtree: recompute every path, write those that differ.
    changed: list[OrgUnit] = []
    for code, (path, depth) in importing.unit_paths(plan.parents, ids).items():
        parent_code = plan.parents[code]
        parent_id = ids[parent_code] if parent_code is not None else None
        if code in new_names:
            changed.append(
                OrgUnit(
                    pk=ids[code],
                    name=new_names[code],
                    parent_id=parent_id,
                    path=path,
                    depth=depth,
                    updated_at=now,
                )
            )
            continue
        unit, old_path, old_depth = stored[code]
        name = renamed.get(unit.id, unit.name)
        old_parent_id = ids[unit.parent_code] if unit.parent_code is not None else None
        if (name, parent_id, path, depth) != (unit.name, old_parent_id, old_path, old_depth):
            changed.append(
                OrgUnit(
                    pk=unit.id,
                    name=name,
                    parent_id=parent_id,
                    path=path,
                    depth=depth,
                    updated_at=now,
                )
            )
    OrgUnit.objects.bulk_update(
        changed, ["name", "parent", "path", "depth", "updated_at"], batch_size=500
    )
