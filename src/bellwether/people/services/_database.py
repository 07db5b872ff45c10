"""What the database holds, read and written raw: the ORM's per-row costs dominate at
100,000 rows, so the hot paths read and write plain tuples."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.apps.registry import Apps
from django.db import connection, models
from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.core.rawsql import copy_rows
from bellwether.people.importing import (
    ExistingPerson,
    ExistingUnit,
    PersonValues,
)
from bellwether.people.models import OrgUnit, Person
from bellwether.people.services._shared import BATCH

# --- what the database holds --------------------------------------------------------


def _unit_ids(organisation: Organisation) -> dict[str, int]:
    return dict(OrgUnit.objects.filter(organisation=organisation).values_list("code", "id"))


def _existing_people(
    organisation: Organisation, around: Sequence[str] | None = None
) -> dict[str, ExistingPerson]:
    """Everyone in the organisation, keyed by employee id, in one query; with ``around``,
    only the people with these employee ids and everyone above them in the reporting
    line (all that checking one person's row needs: their manager, and whether the new
    manager chain loops back to them).

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
    columns = (
        "id, employee_id, name, email, title, org_unit_id, manager_id, leader_level, "
        f"location, {start}, {active}"
    )
    params: list[Any] = [organisation.pk]
    if around is None:
        sql = f"SELECT {columns} FROM {table} WHERE organisation_id = %s"  # noqa: S608
    elif not around:
        return {}
    else:
        # The people named, then each one's manager, until the top: UNION (not UNION
        # ALL) ends the walk even on a stored loop.
        marks = ", ".join(["%s"] * len(around))
        sql = (
            "WITH RECURSIVE chain(id, manager_id) AS ("  # noqa: S608
            f"SELECT id, manager_id FROM {table} "
            f"WHERE organisation_id = %s AND employee_id IN ({marks}) "
            f"UNION SELECT p.id, p.manager_id FROM {table} p JOIN chain c ON p.id = c.manager_id"
            f") SELECT {columns} FROM {table} WHERE id IN (SELECT id FROM chain)"
        )
        params += list(around)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
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
                # (``around`` reads every manager of the rows it reads.)
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
    generations: list[int] = []
    generation, members = 0, set[str]()
    for eid, values in create:
        if values.manager in members:
            generation, members = generation + 1, set[str]()
        members.add(eid)
        generations.append(generation)
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bw_import_people")
        cursor.execute(
            "CREATE TEMPORARY TABLE bw_import_people (seq integer, generation integer, "
            "employee_id text, name text, email text, title text, org_unit_id bigint, "
            "leader_level text, location text, start_date date, active boolean, manager text) "
            "ON COMMIT DROP"
        )
        copy_rows(
            ImportStagingRow,
            STAGING_FIELDS,
            (
                (seq, generations[seq], eid, *_value_row(values), values.manager)
                for seq, (eid, values) in enumerate(create)
            ),
        )
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


# A registry of its own: the staging table is no model of the app (never migrated, never
# listed among the app's models), only the shape ``copy_rows`` writes to.
_STAGING = Apps()


class ImportStagingRow(models.Model):
    """A new person on their way in during a PostgreSQL import: the rows are copied into
    a temporary table of this shape (created in the import's own transaction), then
    inserted with their managers' ids joined in."""

    seq = models.IntegerField()
    generation = models.IntegerField()
    employee_id = models.TextField()
    name = models.TextField()
    email = models.TextField()
    title = models.TextField()
    org_unit = models.BigIntegerField(null=True, db_column="org_unit_id")
    leader_level = models.TextField()
    location = models.TextField()
    start_date = models.DateField(null=True)
    active = models.BooleanField()
    # The manager's employee id, or none: NULL, as the join on it must find nobody.
    manager = models.TextField(null=True)  # noqa: DJ001

    class Meta:
        apps = _STAGING
        app_label = "people"
        managed = False
        db_table = "bw_import_people"

    def __str__(self) -> str:
        return f"import row {self.seq}: {self.employee_id}"


STAGING_FIELDS = ["seq", "generation", "employee_id", *PERSON_VALUE_FIELDS, "manager"]


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


# --- one person at a time ------------------------------------------------------------
# The key of the advisory lock under which one organisation's reporting lines change
# (with the organisation's id as the second key).
_REPORTING_LINES = 0x6277


def _lock_reporting_lines(organisation: Organisation) -> None:
    """Hold, until the transaction ends, the organisation's reporting-line lock: two
    people's managers changed at once cannot then each miss the loop the other makes.
    (SQLite writes one transaction at a time already.)"""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            [_REPORTING_LINES, organisation.pk % 2**31],
        )


def _unit_ids_of(
    organisation: Organisation, *, codes: Sequence[str], ids: Sequence[int]
) -> dict[str, int]:
    """code → id of the units with these codes or ids (not the whole tree)."""
    if not codes and not ids:
        return {}
    return dict(
        OrgUnit.objects.filter(organisation=organisation)
        .filter(models.Q(code__in=codes) | models.Q(pk__in=ids))
        .values_list("code", "id")
    )
