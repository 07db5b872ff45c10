"""Hand-written SQL for the few hot paths where building the ORM query costs more than
the database work (an employee submitting a pulse: ~100,000 in a day).

Values still pass through each model field's own conversions, both ways, so what is
written and read is exactly what the ORM would write and read. Statements are cached
per shape, so a hot path pays for string building once per process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models.expressions import Value

Converter = Callable[[Any, Any, Any], Any]


@lru_cache(maxsize=256)
def _insert_sql(using: str, model: type[models.Model], names: tuple[str, ...], count: int) -> str:
    quote = connections[using].ops.quote_name
    meta = model._meta
    columns = ", ".join(
        quote(str(meta.get_field(name).column))  # type: ignore[union-attr]
        for name in names
    )
    row = "(" + ", ".join(["%s"] * len(names)) + ")"
    # Identifiers come from the model, values are parameters.
    return f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES " + ", ".join([row] * count)  # noqa: S608


def _prepared(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], using: str
) -> tuple[str, list[Any]]:
    connection = connections[using]
    names = tuple(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    params = [
        field.get_db_prep_save(row[name], connection)  # type: ignore[union-attr]
        for row in rows
        for name, field in zip(names, fields, strict=True)
    ]
    return _insert_sql(using, model, names, len(rows)), params


def insert_together(
    batches: Sequence[tuple[type[models.Model], Sequence[Mapping[str, Any]]]],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """INSERT the rows of several models, in the order given, all or nothing: no
    signals, no defaults, no ids back. Each row maps the same field names (or attnames
    such as ``organisation_id``) to values; give every column that has no database
    default, keys included.

    On PostgreSQL it is one statement (each INSERT but the last in a ``WITH``): one
    round trip, atomic by itself, committed by itself outside a transaction. Foreign
    keys between the rows are checked at the end, as Django declares them deferrable.
    Elsewhere, one statement per model inside one transaction (or savepoint).
    """
    connection = connections[using]
    statements = [_prepared(model, rows, using) for model, rows in batches if rows]
    if not statements:
        return
    if connection.vendor == "postgresql":
        *first, (last_sql, _unused) = statements
        head = ", ".join(f"w{i} AS ({sql})" for i, (sql, _params) in enumerate(first))
        params = [param for _sql, part in statements for param in part]
        with _cursor(connection) as cursor:
            cursor.execute(f"WITH {head} {last_sql}" if first else last_sql, params)
        return
    with transaction.atomic(using=using), _cursor(connection) as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)


def _cursor(connection: Any) -> Any:
    """A cursor for these statements. On PostgreSQL it binds parameters on the server
    (Django's own cursors quote them into the text), so psycopg prepares a statement
    used again and again once per connection instead of the server parsing and planning
    it on every call. Wrapped like any Django cursor: errors, logging, query counts."""
    if connection.vendor != "postgresql":
        return connection.cursor()
    import psycopg

    connection.ensure_connection()
    with connection.wrap_database_errors:
        return connection._prepare_cursor(psycopg.Cursor(connection.connection))


@lru_cache(maxsize=64)
def _converters(
    using: str, fields: tuple[models.Field[Any, Any], ...]
) -> list[tuple[list[Converter], Any]]:
    # Converters are the backend's and the field's, which read nothing of one connection
    # (each is handed the connection it converts for), so they are kept per database.
    connection = connections[using]
    result = []
    for field in fields:
        expression = Value(None, output_field=field)
        found = connection.ops.get_db_converters(expression) + field.get_db_converters(connection)
        result.append((found, expression))
    return result


def select_one(
    sql: str,
    params: Sequence[Any],
    fields: Sequence[models.Field[Any, Any]],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> tuple[Any, ...] | None:
    """The first row of ``sql``, each column converted as ``fields`` (one per column)
    would convert it (SQLite's text dates become dates, JSON text becomes data, …)."""
    connection = connections[using]
    with _cursor(connection) as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    values = list(row)
    for position, (found, expression) in enumerate(_converters(using, tuple(fields))):
        for convert in found:
            values[position] = convert(values[position], expression, connection)
    return tuple(values)


def copy_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """Write many rows of one model fast, in the current transaction: COPY on PostgreSQL,
    one executemany elsewhere. ``names`` are field names or attnames; each value goes
    through its field's database preparation, so the rows are what the ORM would write
    (no signals, no defaults: give every column without a database default)."""
    connection = connections[using]
    meta = model._meta
    fields = [meta.get_field(name) for name in names]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields)  # type: ignore[union-attr]
    table = connection.ops.quote_name(meta.db_table)
    convert = [_preparer(field, connection) for field in fields]
    prepared = (
        [value if c is None else c(value) for c, value in zip(convert, row, strict=True)]
        for row in rows
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(prepared))  # noqa: S608


def copy_rows_with(
    model: type[models.Model],
    constants: Mapping[str, Any],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    using: str = DEFAULT_DB_ALIAS,
) -> None:
    """``copy_rows`` for rows that share the ``constants`` (field → value, the same in
    every row), e.g. a campaign's rows in generated demo data."""
    fixed = tuple(constants.values())
    copy_rows(model, [*constants, *names], ((*fixed, *row) for row in rows), using=using)


_PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.BooleanField,
    models.AutoField,
)


def _preparer(field: Any, connection: Any) -> Callable[[Any], Any] | None:
    """How one column's values become database values; None when they pass as they are
    (text, integers, booleans: the per-value call was most of a bulk write's cost)."""
    base = field.target_field if field.is_relation else field
    if isinstance(base, models.UUIDField):
        return None if connection.features.has_native_uuid_field else (lambda v: v and v.hex)
    if isinstance(base, _PLAIN) and not isinstance(base, models.JSONField):
        return None
    return lambda v: field.get_db_prep_save(v, connection)
