"""Importing and exporting people and org units: the only code that writes them in bulk.

Reading and checking are plain Python (``people/importing.py``); this module
loads what the organisation already has, asks for a plan, and writes only the
rows that change, in one transaction, with one audit row. A file with any
error writes nothing.
"""

from __future__ import annotations

import gc
import io
import logging
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Count, Max
from django.utils import timezone

from bellwether.core import audit, exports, jobs
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.core.uploads import UploadLimits
from bellwether.people import importing, retention
from bellwether.people.importing import (
    ExistingPerson,
    ExistingUnit,
    ImportResult,
    PersonValues,
    Progress,
    RowError,
)
from bellwether.people.models import ImportJob, OrgUnit, Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User

__all__ = [
    "ImportResult",
    "RowError",
    "export_people",
    "import_org_units",
    "import_people",
    "run_import_job",
    "set_import_job_mapping",
    "start_import_job",
    "upsert_org_unit_records",
    "upsert_people_records",
]

Phase = Callable[[str], None]
logger = logging.getLogger(__name__)
BATCH = 5000
# Errors kept on an ImportJob: enough to fix a file, small enough for the page.
MAX_STORED_ERRORS = 2000


# Nothing written: every error, in order (core.tabular's all-or-nothing answer).
_refused = ImportResult.refused


def _read_file(
    content: bytes,
    filename: str,
    kind: str,
    mapping: dict[str, str] | None,
    *,
    dry_run: bool,
    progress: Progress | None,
    on_phase: Phase | None,
) -> tuple[importing.Table, dict[str, int]] | ImportResult:
    """Read a file and match its columns to ``kind``'s fields; a refusal if either fails."""
    _say(on_phase, "Reading the file")
    table = importing.read_table(content, filename, progress, limits=UploadLimits.from_settings())
    if not table.header:
        return _refused(table.errors, dry_run=dry_run)
    columns, column_errors = importing.resolve_columns(table.header, kind, mapping)
    if column_errors:
        return _refused(table.errors + column_errors, total=len(table.rows), dry_run=dry_run)
    return table, columns


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector during a bulk import.

    An import holds hundreds of thousands of small objects that all stay alive;
    the collector would rescan them again and again and free nothing.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _say(on_phase: Phase | None, text: str) -> None:
    if on_phase is not None:
        on_phase(text)


# --- what the database holds --------------------------------------------------------


def _fingerprint(organisation: Organisation) -> tuple[Any, ...]:
    """Cheap summary of the organisation's people and units, to notice concurrent edits."""
    people = Person.objects.filter(organisation=organisation).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    units = OrgUnit.objects.filter(organisation=organisation).aggregate(
        n=Count("id"), last=Max("updated_at")
    )
    return (people["n"], people["last"], units["n"], units["last"])


def _unit_ids(organisation: Organisation) -> dict[str, int]:
    return dict(OrgUnit.objects.filter(organisation=organisation).values_list("code", "id"))


def _existing_people(organisation: Organisation) -> dict[str, ExistingPerson]:
    """Everyone in the organisation, keyed by employee id, in one query.

    A raw query: the ORM's per-value converters cost more than the query itself
    at 100,000 rows.
    """
    table = connection.ops.quote_name(Person._meta.db_table)
    # On SQLite, plain text and integers skip the driver's per-value converters.
    start, active = (
        ("CAST(start_date AS TEXT)", "active + 0")
        if connection.vendor == "sqlite"
        else ("start_date", "active")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, employee_id, name, email, title, org_unit_id, manager_id, leader_level, "  # noqa: S608
            f"location, {start}, {active} FROM {table} WHERE organisation_id = %s",
            [organisation.pk],
        )
        rows = cursor.fetchall()
    employee_ids = {row[0]: row[1] for row in rows}
    dates: dict[Any, date | None] = {None: None}
    result: dict[str, ExistingPerson] = {}
    for pk, eid, name, email, title, unit_id, manager_id, level, location, start, active in rows:
        if start not in dates:
            # SQLite may hand back text; PostgreSQL a date already.
            dates[start] = date.fromisoformat(start) if isinstance(start, str) else start
        result[eid] = ExistingPerson(
            pk,
            PersonValues(
                name,
                email,
                title,
                unit_id,
                employee_ids[manager_id] if manager_id is not None else None,
                level,
                location,
                dates[start],
                bool(active),
            ),
        )
    return result


def _existing_units(organisation: Organisation) -> dict[str, tuple[ExistingUnit, str, int]]:
    """code → (unit, stored path, stored depth)."""
    rows = list(
        OrgUnit.objects.filter(organisation=organisation)
        .order_by()
        .values_list("id", "code", "name", "parent_id", "path", "depth")
    )
    codes = {row[0]: row[1] for row in rows}
    return {
        code: (
            ExistingUnit(id=pk, name=name, parent_code=codes.get(parent) if parent else None),
            path,
            depth,
        )
        for pk, code, name, parent, path, depth in rows
    }


# --- raw bulk writes -------------------------------------------------------------------
# The ORM's bulk_create/bulk_update build a model instance and a CASE per row;
# at 100,000 rows that dominates the import, so the hot paths write plain tuples.


def _column(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).column)


def _insert_linking_managers(
    organisation: Organisation,
    fields: Sequence[str],
    now: Any,
    batch: Sequence[tuple[str, PersonValues]],
) -> None:
    table = connection.ops.quote_name(Person._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(_column(Person, f)) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    # The (organisation, employee_id) unique index makes the lookup one probe.
    sql = (
        f"INSERT INTO {table} ({columns}, manager_id) VALUES ({marks}, "  # noqa: S608
        f"(SELECT id FROM {table} WHERE organisation_id = %s AND employee_id = %s))"
    )
    org_id = organisation.pk
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [
                [org_id, now, now, eid, *_value_row(values), org_id, values.manager]
                for eid, values in batch
            ],
        )


def _update(model: Any, fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """``rows`` are the new values of ``fields`` followed by the row's id."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(_column(model, f))} = %s" for f in fields)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(
                f"UPDATE {table} SET {sets} WHERE id = %s",  # noqa: S608
                rows[start : start + BATCH],
            )


def _insert_people_postgresql(
    organisation: Organisation, now: Any, create: Sequence[tuple[str, PersonValues]]
) -> None:
    """COPY the new rows into a temporary table, then insert them with their managers'
    ids joined in, one statement per "generation" (no row's manager in the same one)."""
    if not create:
        return
    table = connection.ops.quote_name(Person._meta.db_table)
    generation, members = 0, set[str]()
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bw_import_people")
        cursor.execute(
            "CREATE TEMPORARY TABLE bw_import_people (seq integer, generation integer, "
            "employee_id text, name text, email text, title text, org_unit_id bigint, "
            "leader_level text, location text, start_date date, active boolean, manager text) "
            "ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY bw_import_people FROM STDIN") as copy:
            for seq, (eid, v) in enumerate(create):
                if v.manager in members:
                    generation, members = generation + 1, set[str]()
                members.add(eid)
                copy.write_row(
                    (seq, generation, eid, v.name, v.email, v.title, v.org_unit_id,
                     v.leader_level, v.location, v.start_date, v.active, v.manager)
                )  # fmt: skip
        # The planner's statistics still describe the table before this import (often
        # empty), which makes it pick a nested loop that degrades quadratically.
        cursor.execute("SET LOCAL enable_nestloop = off")
        for current in range(generation + 1):
            cursor.execute(
                f"INSERT INTO {table} (organisation_id, created_at, updated_at, employee_id, "  # noqa: S608
                "name, email, title, org_unit_id, leader_level, location, start_date, active, "
                "manager_id) "
                "SELECT %s, %s, %s, t.employee_id, t.name, t.email, t.title, t.org_unit_id, "
                "t.leader_level, t.location, t.start_date, t.active, m.id "
                f"FROM bw_import_people t LEFT JOIN {table} m "
                "ON m.organisation_id = %s AND m.employee_id = t.manager "
                "WHERE t.generation = %s ORDER BY t.seq",
                [organisation.pk, now, now, organisation.pk, current],
            )
        cursor.execute("SET LOCAL enable_nestloop = on")
        cursor.execute("DROP TABLE bw_import_people")


def _db_date(value: date | None) -> Any:
    if connection.vendor == "sqlite":
        # What adapt_datefield_value does, without its per-call overhead.
        return value.isoformat() if value is not None else None
    return value


def _db_now() -> Any:
    return connection.ops.adapt_datetimefield_value(timezone.now())


# --- people ---------------------------------------------------------------------------------


def import_people(
    *,
    organisation: Organisation,
    actor: User | None,
    content: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    deactivate_absent: bool = False,
    progress: Progress | None = None,
    on_phase: Phase | None = None,
) -> ImportResult:
    """Create or update the organisation's people from a CSV or XLSX file.

    People are matched by employee id; only rows that differ are written, so
    importing the same file twice changes nothing the second time.
    """
    with _collector_paused():
        read = _read_file(
            content,
            filename,
            "people",
            mapping,
            dry_run=dry_run,
            progress=progress,
            on_phase=on_phase,
        )
        if isinstance(read, ImportResult):
            return read
        table, columns = read
        return _import_people_rows(
            organisation=organisation,
            actor=actor,
            columns=columns,
            rows=table.rows,
            early_errors=table.errors,
            dry_run=dry_run,
            deactivate_absent=deactivate_absent,
            progress=progress,
            on_phase=on_phase,
            source=filename,
        )


def upsert_people_records(
    *,
    organisation: Organisation,
    actor: User | None,
    records: list[dict[str, object]],
    dry_run: bool = False,
) -> ImportResult:
    """The API's batch upsert: records use the canonical field names; fields left out
    keep their stored value. Error lines are 1-based record numbers."""
    columns, rows, errors = importing.rows_from_records(records, "people")
    return _import_people_rows(
        organisation=organisation,
        actor=actor,
        columns=columns,
        rows=rows,
        early_errors=errors,
        dry_run=dry_run,
        deactivate_absent=False,
        source="api",
    )


def _import_people_rows(
    *,
    organisation: Organisation,
    actor: User | None,
    columns: dict[str, int],
    rows: list[tuple[int, list[str | None]]],
    early_errors: list[RowError],
    dry_run: bool,
    deactivate_absent: bool,
    source: str,
    progress: Progress | None = None,
    on_phase: Phase | None = None,
) -> ImportResult:
    def plan() -> importing.PeoplePlan:
        return importing.plan_people(
            columns=columns,
            rows=rows,
            existing=_existing_people(organisation),
            unit_ids=_unit_ids(organisation),
            deactivate_absent=deactivate_absent,
            progress=progress,
        )

    _say(on_phase, "Checking rows")
    # Checked outside the write transaction so a long check does not hold the
    # database's write lock; the fingerprint catches anyone writing meanwhile.
    seen = _fingerprint(organisation)
    people_plan = plan()
    if early_errors or people_plan.errors:
        return _refused(early_errors + people_plan.errors, total=len(rows), dry_run=dry_run)
    if dry_run:
        return _people_result(people_plan, dry_run=True)
    _say(on_phase, "Saving")
    with transaction.atomic():
        if _fingerprint(organisation) != seen:
            people_plan = plan()
            if people_plan.errors:
                return _refused(people_plan.errors, total=len(rows), dry_run=False)
        _write_people(organisation, people_plan, progress)
        result = _people_result(people_plan, dry_run=False)
        audit.record(
            action="people.imported",
            organisation=organisation,
            actor=actor,
            target_label=source[:300],
            details={"source": source, **result.counts()},
        )
    return result


def _people_result(plan: importing.PeoplePlan, *, dry_run: bool) -> ImportResult:
    return ImportResult(
        ok=True,
        total=plan.total,
        created=len(plan.create),
        updated=len(plan.update),
        unchanged=plan.unchanged,
        deactivated=len(plan.deactivate),
        dry_run=dry_run,
    )


PERSON_VALUE_FIELDS = [
    "name",
    "email",
    "title",
    "org_unit",
    "leader_level",
    "location",
    "start_date",
    "active",
]


def _value_row(values: PersonValues) -> list[Any]:
    return [
        values.name,
        values.email,
        values.title,
        values.org_unit_id,
        values.leader_level,
        values.location,
        _db_date(values.start_date),
        values.active,
    ]


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


# --- org units ---------------------------------------------------------------------------------


def import_org_units(
    *,
    organisation: Organisation,
    actor: User | None,
    content: bytes,
    filename: str,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
    on_phase: Phase | None = None,
) -> ImportResult:
    """Create or update org units (columns code, name, parent_code), matched by code."""
    read = _read_file(
        content,
        filename,
        "org_units",
        mapping,
        dry_run=dry_run,
        progress=progress,
        on_phase=on_phase,
    )
    if isinstance(read, ImportResult):
        return read
    table, columns = read
    return _import_unit_rows(
        organisation=organisation,
        actor=actor,
        columns=columns,
        rows=table.rows,
        early_errors=table.errors,
        dry_run=dry_run,
        progress=progress,
        on_phase=on_phase,
        source=filename,
    )


def upsert_org_unit_records(
    *,
    organisation: Organisation,
    actor: User | None,
    records: list[dict[str, object]],
    dry_run: bool = False,
) -> ImportResult:
    """The API's batch upsert of units (fields code, name, parent_code)."""
    columns, rows, errors = importing.rows_from_records(records, "org_units")
    return _import_unit_rows(
        organisation=organisation,
        actor=actor,
        columns=columns,
        rows=rows,
        early_errors=errors,
        dry_run=dry_run,
        source="api",
    )


def _import_unit_rows(
    *,
    organisation: Organisation,
    actor: User | None,
    columns: dict[str, int],
    rows: list[tuple[int, list[str | None]]],
    early_errors: list[RowError],
    dry_run: bool,
    source: str,
    progress: Progress | None = None,
    on_phase: Phase | None = None,
) -> ImportResult:
    _say(on_phase, "Checking rows")
    # Units are few; checking inside the transaction keeps this simple.
    with transaction.atomic():
        stored = _existing_units(organisation)
        plan = importing.plan_units(
            columns=columns,
            rows=rows,
            existing={code: unit for code, (unit, _path, _depth) in stored.items()},
            progress=progress,
        )
        if early_errors or plan.errors:
            return _refused(early_errors + plan.errors, total=len(rows), dry_run=dry_run)
        result = ImportResult(
            ok=True,
            total=plan.total,
            created=len(plan.create),
            updated=len(plan.changed) - len(plan.create),
            unchanged=plan.unchanged,
            dry_run=dry_run,
        )
        if dry_run:
            return result
        _say(on_phase, "Saving")
        _write_units(organisation, plan, stored)
        if progress is not None:
            progress(plan.total, plan.total)
        audit.record(
            action="org_units.imported",
            organisation=organisation,
            actor=actor,
            target_label=source[:300],
            details={"source": source, **result.counts()},
        )
    return result


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


# --- export -------------------------------------------------------------------------------------

CONTENT_TYPES = {fmt: exports.CONTENT_TYPES[fmt] for fmt in ("csv", "xlsx")}


def _export_rows(organisation: Organisation) -> Iterable[list[Any]]:
    """The people in import columns; text is escaped by the writer (``core.exports``)."""
    rows = (
        Person.objects.filter(organisation=organisation)
        .order_by("employee_id")
        .values_list(
            "employee_id",
            "name",
            "email",
            "title",
            "org_unit__code",
            "manager__employee_id",
            "leader_level",
            "location",
            "start_date",
            "active",
        )
    )
    for eid, name, email, title, unit, manager, level, location, start, active in rows.iterator(
        chunk_size=BATCH
    ):
        yield [
            eid,
            name,
            email,
            title,
            unit or "",
            manager or "",
            level,
            location,
            start,
            "true" if active else "false",
        ]


def export_people(
    *, organisation: Organisation, fmt: str, actor: User | None = None
) -> tuple[bytes, str, str]:
    """The organisation's people as (file bytes, content type, file name), audited.

    The columns are the import's canonical header, so the file re-imports unchanged;
    text a spreadsheet would run as a formula is escaped, and the import undoes it.
    """
    if fmt not in CONTENT_TYPES:
        raise DomainError("Export as csv or xlsx.", code="unknown_format")
    stamp = timezone.localdate().isoformat()
    filename = f"people-{organisation.slug}-{stamp}.{fmt}"
    header = list(importing.PEOPLE_FIELDS)
    count = 0
    if fmt == "csv":

        def lines() -> Iterator[list[Any]]:
            nonlocal count
            yield header
            for row in _export_rows(organisation):
                row[8] = row[8].isoformat() if row[8] else ""
                count += 1
                yield row

        content = exports.csv_bytes(lines())
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("People")
        sheet.append(header)
        for row in _export_rows(organisation):
            sheet.append(exports.xlsx_row(row))
            count += 1
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    exports.record_export(
        action="people.exported",
        organisation=organisation,
        actor=actor,
        target=organisation,
        fmt=fmt,
        rows=count,
    )
    return content, CONTENT_TYPES[fmt], filename


# --- import jobs (the web upload and the worker) --------------------------------------------------

KINDS = {ImportJob.Kind.PEOPLE.value, ImportJob.Kind.ORG_UNITS.value}


def start_import_job(
    *,
    organisation: Organisation,
    actor: User | None,
    content: bytes,
    filename: str,
    kind: str = "people",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    deactivate_absent: bool = False,
) -> ImportJob:
    """Keep the uploaded file and queue the import for the worker.

    When the header has columns that need mapping the job waits for
    ``set_import_job_mapping``; an unreadable file is refused at once.
    """
    if kind not in KINDS:
        raise DomainError("Choose people or org units.", code="unknown_kind")
    limit = settings.BELLWETHER_MAX_IMPORT_BYTES
    if len(content) > limit:
        raise DomainError(
            f"The file is {len(content) / 1_000_000:.1f} MB; the largest accepted is "
            f"{limit / 1_000_000:.0f} MB. Split it or remove columns Bellwether does not use.",
            code="too_large",
        )
    header = importing.read_table(
        content, filename, header_only=True, limits=UploadLimits.from_settings()
    )
    job = ImportJob(
        organisation=organisation,
        created_by=actor,
        kind=kind,
        filename=filename[:255],
        content=content,
        mapping=mapping or {},
        dry_run=dry_run,
        deactivate_absent=deactivate_absent and kind == ImportJob.Kind.PEOPLE,
    )
    with transaction.atomic():
        if not header.header:
            # Refused before any import: the file is not kept, whatever the retention.
            job.status = ImportJob.Status.FAILED
            job.errors = [error.as_dict() for error in header.errors]
            job.finished_at = timezone.now()
            job.content = b""
        else:
            _columns, problems = importing.resolve_columns(header.header, kind, mapping)
            if problems:
                job.status = ImportJob.Status.MAPPING
                job.errors = [error.as_dict() for error in problems]
        job.save()
        audit.record(
            action="import.started",
            organisation=organisation,
            actor=actor,
            target=job,
            details={
                "kind": kind,
                "filename": job.filename,
                "dry_run": dry_run,
                "bytes": len(content),
            },
        )
        if job.status == ImportJob.Status.PENDING:
            _enqueue(job)
    return job


def import_job_header(job: ImportJob) -> list[str]:
    """The column names of the job's file (for the mapping form)."""
    return importing.read_table(
        bytes(job.content), job.filename, header_only=True, limits=UploadLimits.from_settings()
    ).header


def set_import_job_mapping(
    *, job: ImportJob, actor: User | None, mapping: dict[str, str]
) -> ImportJob:
    """Record how the file's columns map to fields, and queue the import."""
    if job.status != ImportJob.Status.MAPPING:
        raise DomainError(
            "This import is no longer waiting for a column mapping.", code="not_mapping"
        )
    header = import_job_header(job)
    _columns, problems = importing.resolve_columns(header, job.kind, mapping)
    if problems:
        raise DomainError(
            " ".join(problem.message for problem in problems),
            code="bad_mapping",
            field_errors={problem.column: [problem.message] for problem in problems},
        )
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.MAPPING).update(
            mapping=mapping, status=ImportJob.Status.PENDING, errors=[], updated_at=timezone.now()
        )
        if not updated:
            raise DomainError(
                "This import is no longer waiting for a column mapping.", code="not_mapping"
            )
        audit.record(
            action="import.mapped",
            organisation=job.organisation,
            actor=actor,
            target=job,
            details={"mapping": mapping},
        )
        job.refresh_from_db()
        _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from bellwether.people.tasks import run_import

    enqueue_on_commit(run_import, job.pk)


@dataclass
class _JobReporter:
    """Writes progress to the job row, at most twice a second, for the page to poll."""

    job_id: int
    phase: str = ""
    last: float = 0.0

    def on_phase(self, phase: str) -> None:
        self.phase = phase
        self.last = time.monotonic()
        ImportJob.objects.filter(pk=self.job_id).update(
            phase=phase, processed_rows=0, updated_at=timezone.now()
        )

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job_id).update(
            processed_rows=done, total_rows=total, updated_at=timezone.now()
        )


def run_import_job(*, job_id: int) -> None:
    """Run a queued import (called by the worker). Safe to call twice: only a pending
    job is claimed."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    reporter = _JobReporter(job_id=job_id)
    try:
        if job.kind == ImportJob.Kind.ORG_UNITS:
            result = import_org_units(
                organisation=job.organisation,
                actor=job.created_by,
                content=bytes(job.content),
                filename=job.filename,
                mapping=job.mapping or None,
                dry_run=job.dry_run,
                progress=reporter.progress,
                on_phase=reporter.on_phase,
            )
        else:
            result = import_people(
                organisation=job.organisation,
                actor=job.created_by,
                content=bytes(job.content),
                filename=job.filename,
                mapping=job.mapping or None,
                dry_run=job.dry_run,
                deactivate_absent=job.deactivate_absent,
                progress=reporter.progress,
                on_phase=reporter.on_phase,
            )
    except Exception as exc:
        if jobs.is_transient(exc):
            # A locked or lost database: the import's one transaction wrote nothing. The
            # job goes back to the queue (its file kept) and the worker's retry imports it.
            jobs.retry_transient(
                lambda: ImportJob.objects.filter(pk=job_id).update(
                    status=ImportJob.Status.PENDING, phase="", updated_at=timezone.now()
                ),
                what=f"Putting import {job_id} back in the queue",
            )
            raise
        _finish_job(
            job_id,
            status=ImportJob.Status.FAILED,
            phase="",
            errors=[
                RowError(
                    0, "", "The import stopped on an internal error; nothing was imported."
                ).as_dict()
            ],
        )
        raise
    if not result.ok:
        status = ImportJob.Status.FAILED
    elif result.dry_run:
        status = ImportJob.Status.PREVIEWED
    else:
        status = ImportJob.Status.SUCCEEDED
    _finish_job(
        job_id,
        status=status,
        phase="",
        total_rows=result.total,
        processed_rows=result.total,
        errors=[error.as_dict() for error in result.errors[:MAX_STORED_ERRORS]],
        summary={**result.counts(), "error_count": len(result.errors)},
    )
    # The worker is where periodic work happens: each finished import also deletes the
    # files of others whose retention has run out (``bellwether purge-uploads`` does it
    # from cron when imports are rare).
    try:
        retention.purge_uploads()
    except Exception:  # housekeeping must never turn a finished import into a failed one
        logger.exception("Deleting expired import uploads failed")


def _finish_job(job_id: int, **fields: Any) -> None:
    """Record a job's outcome; its uploaded file is deleted now unless it is kept for
    ``BELLWETHER_UPLOAD_RETENTION_HOURS`` (then ``retention.purge_uploads`` deletes it)."""
    now = timezone.now()
    if retention.keeps_nothing():
        fields["content"] = b""
    ImportJob.objects.filter(pk=job_id).update(finished_at=now, updated_at=now, **fields)
