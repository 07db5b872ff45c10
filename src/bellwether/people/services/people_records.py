"""Creating and updating people from a file or the API's records, all or nothing."""

from __future__ import annotations

from django.db import connection, transaction

from bellwether.core.models import Organisation
from bellwether.people import importing
from bellwether.people.importing import (
    ImportResult,
    PersonValues,
    Progress,
)
from bellwether.people.models import Person
from bellwether.people.selectors import people_version
from bellwether.people.services._database import (
    PERSON_VALUE_FIELDS,
    _db_now,
    _existing_people,
    _insert_linking_managers,
    _insert_people_postgresql,
    _lock_reporting_lines,
    _unit_ids,
    _update,
    _value_row,
)
from bellwether.people.services._shared import (
    BATCH,
    ImportBatch,
    Importer,
)

# --- people ---------------------------------------------------------------------------------


def _import_people_rows(
    batch: ImportBatch, *, deactivate_absent: bool = False, date_format: str = "auto"
) -> ImportResult:
    organisation = batch.organisation

    def plan() -> importing.PeoplePlan:
        return importing.plan_people(
            columns=batch.columns,
            rows=batch.rows,
            existing=_existing_people(organisation),
            unit_ids=_unit_ids(organisation),
            deactivate_absent=deactivate_absent,
            progress=batch.progress,
            date_format=date_format,
        )

    batch.say("Checking rows")
    # Checked outside the write transaction so a long check does not hold the
    # database's write lock; the fingerprint catches anyone writing meanwhile.
    seen = people_version(organisation)
    people_plan = plan()
    if batch.early_errors or people_plan.errors:
        return batch.refused(people_plan.errors)
    if batch.dry_run:
        return _people_result(people_plan, dry_run=True)
    batch.say("Saving")
    with transaction.atomic():
        # The reporting-line lock the single-person upsert (SCIM, the API) takes: with
        # it, a file and a single change of manager cannot each miss the loop the
        # other makes, and the version read next sees everything committed before.
        _lock_reporting_lines(organisation)
        if people_version(organisation) != seen:
            people_plan = plan()
            if people_plan.errors:
                # Not a dry run, and no early errors (refused above).
                return batch.refused(people_plan.errors)
        _write_people(organisation, people_plan, batch.progress)
        result = _people_result(people_plan, dry_run=False)
        batch.record(result)
    return result


_PEOPLE = Importer(_import_people_rows, "people", pause_collector=True)
#: Create or update the organisation's people from a CSV or XLSX file (``deactivate_absent``:
#: deactivate the people the file leaves out; ``date_format``: the order of its start
#: dates, ``auto`` to take the file's own). People are matched by employee id; only rows
#: that differ are written, so importing the same file twice changes nothing the second time.
import_people = _PEOPLE.from_file
#: The API's batch upsert: records use the canonical field names; fields left out keep their
#: stored value. Error lines are 1-based record numbers.
upsert_people_records = _PEOPLE.from_records


def _people_result(plan: importing.PeoplePlan, *, dry_run: bool) -> ImportResult:
    return ImportResult(
        ok=True,
        total=plan.total,
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        deactivated=len(plan.deactivate),
        dry_run=dry_run,
        notes=(
            (f"Start dates were read as {importing.DATE_FORMAT_LABELS[plan.date_format]}.",)
            if plan.date_format
            else ()
        ),
    )


def _write_people(
    organisation: Organisation, plan: importing.PeoplePlan, progress: Progress | None
) -> None:
    now = _db_now()
    work = len(plan.create) + len(plan.update) + len(plan.deactivate)
    done = 0

    def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            progress(done, work)

    # 1. New people. The plan lists managers before their reports, so each row can
    # find its manager's id as it is inserted.
    if connection.vendor == "postgresql":
        _insert_people_postgresql(organisation, now, plan.create)
        tick(len(plan.create))
    else:
        insert_fields = ["organisation", "created_at", "updated_at", "employee_id"]
        insert_fields += PERSON_VALUE_FIELDS
        for start in range(0, len(plan.create), BATCH * 4):
            batch = plan.create[start : start + BATCH * 4]
            _insert_linking_managers(organisation, insert_fields, now, batch)
            tick(len(batch))
    ids: dict[str, int] = {}
    if any(values.manager for _pk, _eid, values in plan.update):
        ids = dict(
            Person.objects.filter(organisation=organisation)
            .order_by()
            .values_list("employee_id", "id")
        )

    def manager_id(values: PersonValues) -> int | None:
        return ids[values.manager] if values.manager is not None else None

    # 2. Changed people: every field at once; unchanged rows are never touched.
    _update(
        Person,
        [*PERSON_VALUE_FIELDS, "manager", "updated_at"],
        [[*_value_row(values), manager_id(values), now, pk] for pk, _eid, values in plan.update],
    )
    tick(len(plan.update))
    # 3. People missing from a full import.
    _update(Person, ["active", "updated_at"], [[False, now, pk] for pk in plan.deactivate])
    tick(len(plan.deactivate))
