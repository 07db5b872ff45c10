"""The database half of ``bellwether backup`` and ``restore``.

SQLite is copied with its online backup API (a consistent copy while the web server
and worker keep running; what sits in the WAL is included). PostgreSQL is dumped by
``pg_dump --format=custom`` inside a repeatable-read transaction whose snapshot the
dump shares, so the table fingerprints written beside the dump describe exactly the
rows in it; ``pg_restore --clean --if-exists --single-transaction`` loads it back,
all or nothing.

A table's fingerprint is its row count and a checksum of its content. Checksums
are compared only between databases of the same engine (restore refuses another).
"""

from __future__ import annotations

import contextlib
import glob
import hashlib
import os
import re
import shutil
import sqlite3
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader

from bellwether.core.errors import DomainError

# Tables `bellwether migrate` fills by itself: rows there do not make a database "in use".
FILLED_BY_MIGRATE = frozenset({"django_migrations", "django_content_type", "auth_permission"})
PG_TOOL_TIMEOUT_SECONDS = 6 * 3600
# Where PostgreSQL client tools live besides $PATH: Debian/Ubuntu, RHEL, Homebrew, Postgres.app.
PG_BIN_GLOBS = (
    "/usr/lib/postgresql/*/bin",
    "/usr/pgsql-*/bin",
    "/opt/homebrew/opt/postgresql@*/bin",
    "/usr/local/opt/postgresql@*/bin",
    "/Applications/Postgres.app/Contents/Versions/*/bin",
)
# Connection settings passed to pg_dump/pg_restore through libpq's environment, so the
# password never appears on a command line.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslpassword": "PGSSLPASSWORD",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
}

Fingerprints = dict[str, dict[str, Any]]
FETCH_ROWS = 5_000
PG_STABLE_TEXT = (
    "SET LOCAL TimeZone = 'UTC'",
    "SET LOCAL DateStyle = 'ISO, YMD'",
    "SET LOCAL IntervalStyle = 'postgres'",
    "SET LOCAL extra_float_digits = 1",
    "SET LOCAL bytea_output = 'hex'",
)
# A table's identifier comes from the catalogue, quoted.
PG_CHECKSUM_SQL = (
    "SELECT count(*), "
    "coalesce(sum(('x' || substr(h, 1, 15))::bit(60)::bigint), 0), "
    "coalesce(sum(('x' || substr(h, 16, 15))::bit(60)::bigint), 0) "
    "FROM (SELECT md5(t::text) AS h FROM {table} AS t) AS rows"
)


@dataclass(frozen=True)
class Snapshot:
    """A copy of the database in one file, and what it holds."""

    path: Path
    engine: str
    tables: Fingerprints
    migrations: list[list[str]]
    details: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class PgTool:
    path: Path
    major: int
    version: str


# --- fingerprints -------------------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def differences(expected: Fingerprints, actual: Fingerprints) -> list[str]:
    """What differs between two sets of fingerprints, one line per table."""
    lines = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want is None:
            lines.append(f"{table}: not in the backup")
        elif got is None:
            lines.append(f"{table}: missing")
        elif want["rows"] != got["rows"]:
            lines.append(f"{table}: {got['rows']:,} rows, the backup has {want['rows']:,}")
        elif want["sha256"] != got["sha256"]:
            lines.append(f"{table}: same number of rows, different content")
    return lines


# --- the running installation ---------------------------------------------------------


def engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise DomainError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


def code_migrations() -> list[list[str]]:
    """Every migration this version of Bellwether has, as sorted ``[app, name]`` pairs."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return sorted([app, name] for app, name in loader.graph.nodes)


def tables_with_data() -> list[str]:
    """The tables holding rows other than those `migrate` itself adds."""
    busy = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # sqlite_stat1 and the like are SQLite's own bookkeeping.
            if table in FILLED_BY_MIGRATE or table.startswith("sqlite_"):
                continue
            cursor.execute(f"SELECT 1 FROM {_quote(table)} LIMIT 1")  # noqa: S608 (catalogue name)
            if cursor.fetchone() is not None:
                busy.append(table)
    return busy


def fingerprint_live() -> Fingerprints:
    """The fingerprints of the database Bellwether is configured with, as it is now."""
    if engine() == "sqlite":
        # Django's own parameters (they also reach the in-memory test database), without
        # its column converters: the same values as a snapshot file read directly.
        params = {**connection.get_connection_params(), "detect_types": 0}
        live = sqlite3.connect(**params)
        try:
            return _sqlite_fingerprints(live)
        finally:
            live.close()
    _require_no_transaction("Verifying a restore")
    with transaction.atomic():
        _begin_snapshot_transaction()
        return _pg_fingerprints()


def _require_no_transaction(what: str) -> None:
    if connection.in_atomic_block:
        raise DomainError(f"{what} cannot run inside an open database transaction.")


# --- taking a snapshot ------------------------------------------------------------------


def take_snapshot(directory: Path, *, pg_bin: Path | None = None) -> Snapshot:
    """Copy the database into ``directory`` and fingerprint the copy."""
    if engine() == "sqlite":
        return _sqlite_snapshot(directory / "bellwether.sqlite3")
    return _pg_snapshot(directory / "bellwether.pgdump", pg_bin=pg_bin)


def _sqlite_snapshot(path: Path) -> Snapshot:
    connection.ensure_connection()
    target = sqlite3.connect(path)
    try:
        # Django's own connection as the source (it also reaches the in-memory test
        # database). One step: the copy is consistent, and in WAL mode writers carry on.
        connection.connection.backup(target)
        # A self-contained file: nothing left in a -wal beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
    with _open_sqlite_file(path) as copy:
        tables = _sqlite_fingerprints(copy)
        migrations = _sqlite_migrations(copy)
    return Snapshot(
        path=path,
        engine="sqlite",
        tables=tables,
        migrations=migrations,
        details={"sqlite_version": sqlite3.sqlite_version},
    )


class _open_sqlite_file:
    """A read-only connection to a database file."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)

    def __enter__(self) -> sqlite3.Connection:
        return self.db

    def __exit__(self, *exc: object) -> None:
        self.db.close()


def _sqlite_tables(db: sqlite3.Connection) -> list[str]:
    rows = db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    )
    return [name for (name,) in rows]


def _sqlite_fingerprints(db: sqlite3.Connection) -> Fingerprints:
    """Each table's count and the SHA-256 of its rows' ``repr`` in rowid order: a restore
    is a page-by-page copy, so the order is the same on both sides. ``db`` has no column
    converters: values are what SQLite stores (text, integers, reals, blobs, NULL)."""
    fingerprints = {}
    for table in _sqlite_tables(db):
        digest = hashlib.sha256()
        count = 0
        cursor = db.execute(f"SELECT * FROM {_quote(table)} ORDER BY rowid")  # noqa: S608
        while batch := cursor.fetchmany(FETCH_ROWS):
            digest.update("\n".join(map(repr, batch)).encode("utf-8", "surrogatepass") + b"\n")
            count += len(batch)
        fingerprints[table] = {"rows": count, "sha256": digest.hexdigest()}
    return fingerprints


def _sqlite_migrations(db: sqlite3.Connection) -> list[list[str]]:
    if "django_migrations" not in _sqlite_tables(db):
        return []
    return sorted(
        [app, name] for app, name in db.execute("SELECT app, name FROM django_migrations")
    )


def sqlite_file_fingerprints(path: Path) -> Fingerprints:
    """The fingerprints of a database file (a snapshot taken out of an archive)."""
    with _open_sqlite_file(path) as db:
        return _sqlite_fingerprints(db)


def _begin_snapshot_transaction() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")


def _pg_snapshot(path: Path, *, pg_bin: Path | None) -> Snapshot:
    _require_no_transaction("A backup")
    server_major, server_version = _pg_server_version()
    pg_dump = find_pg_tool("pg_dump", at_least=server_major, pg_bin=pg_bin)
    with transaction.atomic():
        _begin_snapshot_transaction()
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot_id,) = cursor.fetchone()
        # pg_dump reads through this transaction's snapshot, so the fingerprints taken
        # below describe exactly the rows in the dump, however busy the server is.
        _run_pg_tool(
            pg_dump,
            [
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--lock-wait-timeout=120000",
                f"--file={path}",
            ],
        )
        tables = _pg_fingerprints()
        with connection.cursor() as cursor:
            cursor.execute("SELECT app, name FROM django_migrations")
            migrations = sorted([app, name] for app, name in cursor.fetchall())
    return Snapshot(
        path=path,
        engine="postgresql",
        tables=tables,
        migrations=migrations,
        details={"server_version": server_version, "pg_dump_version": pg_dump.version},
    )


def _pg_fingerprints() -> Fingerprints:
    with connection.cursor() as cursor:
        return pg_table_fingerprints(cursor, connection.introspection.table_names(cursor))


def pg_table_fingerprints(cursor: Any, tables: Sequence[str]) -> Fingerprints:
    """Each table's count and checksum, computed by the server: the md5 of each row's text
    form, its first and second 60 bits summed over the table (exact ``numeric`` sums, so
    the order of rows does not matter and nothing is sent but three numbers).

    ``cursor`` is in a transaction; the text form is pinned for it, so that another
    server's defaults (time zone, date style) cannot change a checksum."""
    for statement in PG_STABLE_TEXT:
        cursor.execute(statement)
    fingerprints = {}
    for table in sorted(tables):
        cursor.execute(PG_CHECKSUM_SQL.format(table=_quote(table)))
        count, high, low = cursor.fetchone()
        checksum = hashlib.sha256(f"{count}:{high}:{low}".encode()).hexdigest()
        fingerprints[table] = {"rows": count, "sha256": checksum}
    return fingerprints


def _pg_server_version() -> tuple[int, str]:
    connection.ensure_connection()
    number = int(connection.pg_version)  # type: ignore[attr-defined]
    return number // 10_000, f"{number // 10_000}.{number % 10_000}"


# --- loading a snapshot -----------------------------------------------------------------


def restore_tool(database: dict[str, Any], *, pg_bin: Path | None = None) -> PgTool | None:
    """The tool that will load the archive's database (None for SQLite), found and
    checked before anything is touched."""
    if engine() == "sqlite":
        return None
    server_major, _ = _pg_server_version()
    dumped_by = _major(str(database.get("pg_dump_version", "0")))
    return find_pg_tool("pg_restore", at_least=max(server_major, dumped_by), pg_bin=pg_bin)


def create_private_database_file() -> None:
    """A SQLite file the restore is about to create is created 0600, not world-readable."""
    if engine() != "sqlite" or connection.is_in_memory_db():  # type: ignore[attr-defined]
        return
    path = Path(connection.settings_dict["NAME"])
    path.parent.mkdir(parents=True, exist_ok=True)
    # An existing database keeps the permissions its owner gave it.
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def load_snapshot(path: Path, *, tool: PgTool | None) -> None:
    """Replace the whole configured database with the snapshot at ``path``."""
    if engine() == "sqlite":
        _require_no_transaction("A restore")
        connection.ensure_connection()
        source = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)
        try:
            # Page by page into Django's connection: the schema comes with the data, so an
            # empty (even never-migrated) database file is a fine target.
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        assert tool is not None
        _require_no_transaction("A restore")
        # Our own connection must hold no locks on the tables pg_restore drops.
        connection.close()
        _run_pg_tool(
            tool,
            [
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                str(path),
            ],
        )
    from django.contrib.contenttypes.models import ContentType

    # Content type ids may differ in the restored database.
    ContentType.objects.clear_cache()


# --- PostgreSQL client tools ----------------------------------------------------------------


def _major(version: str) -> int:
    match = re.match(r"(\d+)", version)
    return int(match.group(1)) if match else 0


def _tool_version(path: Path) -> str | None:
    try:
        result = subprocess.run(  # noqa: S603 (a path we chose, no shell)
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\)\s+(\d+(?:\.\d+)*)", result.stdout)
    return match.group(1) if result.returncode == 0 and match else None


def find_pg_tool(
    name: str,
    *,
    at_least: int,
    pg_bin: Path | None = None,
    search: Sequence[str] = PG_BIN_GLOBS,
) -> PgTool:
    """The newest ``name`` (pg_dump, pg_restore) on $PATH or in the usual install folders
    (only in ``pg_bin`` when given), refused when its major version is below ``at_least``."""
    if pg_bin is not None:
        candidates = [pg_bin / name]
    else:
        on_path = shutil.which(name)
        candidates = [Path(on_path)] if on_path else []
        for pattern in search:
            candidates += [Path(folder) / name for folder in sorted(glob.glob(pattern))]
    found = []
    for path in dict.fromkeys(candidates):
        if path.is_file() and os.access(path, os.X_OK):
            version = _tool_version(path)
            if version is not None:
                found.append(PgTool(path=path, major=_major(version), version=version))
    install = (
        f"Install the PostgreSQL client tools, version {at_least} or newer "
        f"(Debian/Ubuntu: apt install postgresql-client-{at_least}; RHEL: "
        f"dnf install postgresql{at_least}; macOS: brew install postgresql@{at_least})"
        ", or give their folder with --pg-bin."
    )
    where = f"in {pg_bin}" if pg_bin is not None else "on $PATH or in the usual folders"
    if not found:
        raise DomainError(f"{name} was not found {where}. {install}", code="pg_tool_missing")
    best = max(found, key=lambda tool: tool.major)
    if best.major < at_least:
        raise DomainError(
            f"{name} {best.version} ({best.path}) is older than PostgreSQL {at_least}, "
            f"which it would have to read or write. {install}",
            code="pg_tool_too_old",
        )
    return best


def _libpq_environment() -> dict[str, str]:
    settings = connection.settings_dict
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            environment[variable] = str(settings[key])
    for option, variable in LIBPQ_OPTIONS.items():
        value = settings.get("OPTIONS", {}).get(option)
        if isinstance(value, str | int):
            environment[variable] = str(value)
    return environment


def _run_pg_tool(tool: PgTool, arguments: list[str]) -> None:
    environment = _libpq_environment()
    database = "dbname=" + _conninfo_value(environment.get("PGDATABASE", ""))
    command = [str(tool.path), "--no-password", f"--dbname={database}", *arguments]
    try:
        result = subprocess.run(  # noqa: S603 (no shell; arguments are ours)
            command,
            env=environment,
            capture_output=True,
            text=True,
            timeout=PG_TOOL_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise DomainError(f"{tool.path.name} could not run: {exc}") from exc
    if result.returncode != 0:
        tail = "\n".join(result.stderr.strip().splitlines()[-15:])
        raise DomainError(f"{tool.path.name} failed (exit {result.returncode}):\n{tail}")


def _conninfo_value(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace("'", "\\'")
    return f"'{escaped}'"
