"""``bellwether backup`` and ``bellwether restore``: the whole installation in one file.

An archive is a gzipped tar holding, in this order:

* ``manifest.json``: format version, Bellwether version, database engine, the
  migrations applied, when it was made, each table's row count and checksum, and
  each uploaded file's size and checksum;
* ``database/bellwether.sqlite3`` or ``database/bellwether.pgdump``: the database
  (see ``core.dbsnapshot``);
* ``media/…``: every uploaded file (``MEDIA_ROOT``: gate evidence and the like).

Restoring checks the manifest before touching anything (same engine, same
migrations as this version of Bellwether, an empty installation unless forced),
checks every file against its checksum, loads the database, verifies every table
against the manifest and only then puts the uploaded files in place.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from django.conf import settings

import bellwether
from bellwether.core import audit, dbsnapshot
from bellwether.core.errors import DomainError

FORMAT = "bellwether-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE_DIR = "database"
MEDIA_DIR = "media"
COPY_CHUNK = 1024 * 1024
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}


@dataclass(frozen=True)
class BackupReport:
    path: Path
    manifest: dict[str, Any]
    skipped: list[str]
    # Migrations of this version not applied to the database: restoring needs them equal.
    unapplied: list[str]


@dataclass(frozen=True)
class RestoreReport:
    manifest: dict[str, Any]
    media_moved_to: Path | None


def _now() -> datetime:
    return datetime.now(tz=UTC)


def _utc_stamp() -> str:
    return _now().strftime("%Y%m%d-%H%M%SZ")


def default_backup_dir() -> Path:
    return Path(settings.VAR_DIR) / "backups"


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


# --- backup -------------------------------------------------------------------------------


def create_backup(*, output: Path | None = None, pg_bin: Path | None = None) -> BackupReport:
    """Write the database, every uploaded file and a manifest into one archive (mode 0600).

    ``output`` is a file to create or a folder to create it in (default
    ``var/backups/``); an existing file is never overwritten.
    """
    try:
        return _create_backup(output=output, pg_bin=pg_bin)
    except (OSError, sqlite3.Error) as exc:
        raise DomainError(f"The backup could not be written: {exc}") from exc


def _create_backup(*, output: Path | None, pg_bin: Path | None) -> BackupReport:
    path = _output_path(output)
    partial = path.with_name(f".{path.name}.partial")
    try:
        with tempfile.TemporaryDirectory(prefix=".bellwether-backup-", dir=path.parent) as work:
            # The database first: uploads made while the files are copied are extra
            # files, never rows pointing at a missing file.
            snapshot = dbsnapshot.take_snapshot(Path(work), pg_bin=pg_bin)
            media, skipped = _copy_media(_media_root(), Path(work) / MEDIA_DIR)
            manifest = _manifest(snapshot, media)
            _write_archive(partial, manifest, snapshot.path, Path(work) / MEDIA_DIR)
        partial.replace(path)
    finally:
        partial.unlink(missing_ok=True)
    _record("backed_up", "backup", path, manifest, len(media), bytes=path.stat().st_size)
    applied = {tuple(pair) for pair in manifest["migrations"]}
    unapplied = [f"{a}.{n}" for a, n in dbsnapshot.code_migrations() if (a, n) not in applied]
    return BackupReport(path=path, manifest=manifest, skipped=skipped, unapplied=unapplied)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown user"


def _output_path(output: Path | None) -> Path:
    if output is None:
        folder = default_backup_dir()
        _private_folder(folder)
        output = folder
    output = output.expanduser()
    if output.is_dir():
        output = output / f"bellwether-{_utc_stamp()}.tar.gz"
    if output.exists():
        raise DomainError(f"{output} already exists; a backup never overwrites a file.")
    if not output.parent.is_dir():
        raise DomainError(f"The folder {output.parent} does not exist.")
    media_root = _media_root().resolve()
    if output.parent.resolve().is_relative_to(media_root):
        # Each backup would hold the ones before it (and its own working copy).
        raise DomainError(f"Write backups outside the uploads folder ({media_root}).")
    return output.absolute()


def _sha256_copy(source: IO[bytes], target: IO[bytes], *, limit: int | None = None) -> str:
    digest = hashlib.sha256()
    copied = 0
    while chunk := source.read(COPY_CHUNK):
        copied += len(chunk)
        if limit is not None and copied > limit:
            raise DomainError("A file in the archive is larger than its manifest says.")
        digest.update(chunk)
        target.write(chunk)
    return digest.hexdigest()


def _private_folder(path: Path) -> None:
    """``path`` and any missing parents, each created 0700."""
    if not path.is_dir():
        _private_folder(path.parent)
        path.mkdir(mode=0o700, exist_ok=True)


def _private_file(path: Path) -> IO[bytes]:
    """A new file only its owner can read (0600 whatever the umask)."""
    _private_folder(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.fchmod(descriptor, 0o600)
    return os.fdopen(descriptor, "wb")


def _media_files(root: Path) -> Iterator[tuple[Path, str]]:
    """Every regular file under ``root`` and its archive name; symlinks are not followed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            yield path, path.relative_to(root).as_posix()


def _copy_media(root: Path, target: Path) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """Copy the uploads aside (so the manifest's checksums are those of the archived
    bytes, whatever happens to the originals meanwhile)."""
    entries: dict[str, dict[str, Any]] = {}
    skipped: list[str] = []
    for path, name in _media_files(root):
        if path.is_symlink() or not path.is_file():
            skipped.append(name)
            continue
        try:
            with path.open("rb") as source, _private_file(target / name) as copy:
                digest = _sha256_copy(source, copy)
        except FileNotFoundError:
            # Deleted while we were copying: it is no longer part of the installation.
            (target / name).unlink(missing_ok=True)
            continue
        entries[name] = {"bytes": (target / name).stat().st_size, "sha256": digest}
    return entries, skipped


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(COPY_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _manifest(snapshot: dbsnapshot.Snapshot, media: dict[str, dict[str, Any]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "bellwether_version": bellwether.__version__,
        "created_at": _now().isoformat(timespec="seconds"),
        "database": {
            "engine": snapshot.engine,
            "file": f"{DATABASE_DIR}/{snapshot.path.name}",
            "bytes": snapshot.path.stat().st_size,
            "sha256": _file_sha256(snapshot.path),
            **snapshot.details,
        },
        "migrations": snapshot.migrations,
        "tables": snapshot.tables,
        "media": media,
    }


def _tar_info(name: str, size: int, mode: int = 0o600) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = mode
    info.mtime = int(_now().timestamp())
    return info


def _write_archive(path: Path, manifest: dict[str, Any], database: Path, media_dir: Path) -> None:
    with _private_file(path) as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=6) as tar:
        body = json.dumps(manifest, indent=1, sort_keys=True).encode()
        with tempfile.SpooledTemporaryFile() as buffer:
            buffer.write(body)
            buffer.seek(0)
            tar.addfile(_tar_info(MANIFEST, len(body)), buffer)
        with database.open("rb") as handle:
            tar.addfile(_tar_info(manifest["database"]["file"], database.stat().st_size), handle)
        for name in manifest["media"]:
            copy = media_dir / name
            with copy.open("rb") as handle:
                info = _tar_info(f"{MEDIA_DIR}/{name}", copy.stat().st_size)
                info.mtime = int(copy.stat().st_mtime)
                tar.addfile(info, handle)


# --- restore --------------------------------------------------------------------------------


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest of ``archive``, refusing anything that is not a Bellwether backup."""
    with _open_archive(archive) as tar:
        return _read_manifest(tar, archive)


def _open_archive(archive: Path) -> tarfile.TarFile:
    if not archive.is_file():
        raise DomainError(f"{archive} does not exist or is not a file.")
    try:
        return tarfile.open(archive, mode="r:gz")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise DomainError(f"{archive} is not a Bellwether backup (not a .tar.gz): {exc}") from exc


def _read_manifest(tar: tarfile.TarFile, archive: Path) -> dict[str, Any]:
    not_ours = f"{archive} is not a Bellwether backup (it does not start with {MANIFEST})."
    try:
        first = tar.next()
        if first is None or first.name != MANIFEST or not first.isfile():
            raise DomainError(not_ours)
        handle = tar.extractfile(first)
        assert handle is not None
        manifest = json.loads(handle.read(first.size))
    except (tarfile.TarError, OSError, EOFError, ValueError) as exc:
        raise DomainError(f"{not_ours} ({exc})") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise DomainError(not_ours)
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise DomainError(
            f"This backup is in format {version!r}, made by Bellwether "
            f"{manifest.get('bellwether_version', '?')}; this version ({bellwether.__version__}) "
            f"reads format {FORMAT_VERSION}. Restore it with that version or a later one."
        )
    if not _well_formed(manifest):
        raise DomainError(f"{archive} has an incomplete or malformed manifest.")
    return manifest


def _well_formed(manifest: dict[str, Any]) -> bool:
    database, tables, media = (manifest.get(key) for key in ("database", "tables", "media"))
    migrations = manifest.get("migrations")
    return (
        isinstance(database, dict)
        and all(isinstance(database.get(key), str) for key in ("engine", "file", "sha256"))
        and isinstance(migrations, list)
        and all(
            isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
            for pair in migrations
        )
        and isinstance(tables, dict)
        and all(
            isinstance(t, dict)
            and isinstance(t.get("rows"), int)
            and isinstance(t.get("sha256"), str)
            for t in tables.values()
        )
        and isinstance(media, dict)
        and all(
            isinstance(m, dict)
            and isinstance(m.get("bytes"), int)
            and isinstance(m.get("sha256"), str)
            for m in media.values()
        )
    )


def check_compatible(manifest: dict[str, Any]) -> None:
    """Refuse an archive this installation cannot take: another engine or other migrations."""
    made_by = f"Bellwether {manifest.get('bellwether_version', '?')}"
    ours = dbsnapshot.engine()
    theirs = manifest["database"]["engine"]
    if theirs != ours:
        raise DomainError(
            f"This backup holds a {ENGINE_NAMES.get(theirs, theirs)} database, but this "
            f"installation uses {ENGINE_NAMES[ours]} (DATABASE_URL). Restore it into an "
            f"installation on {ENGINE_NAMES.get(theirs, theirs)}.",
            code="engine_mismatch",
        )
    archived = {tuple(pair) for pair in manifest["migrations"]}
    known = {tuple(pair) for pair in dbsnapshot.code_migrations()}
    unknown = sorted(archived - known)
    missing = sorted(known - archived)
    if unknown:
        raise DomainError(
            f"This backup was made by a newer Bellwether ({made_by}): its database has "
            f"migrations this version ({bellwether.__version__}) does not know: "
            f"{_names(unknown)}. Install {made_by} or later, then restore.",
            code="migrations_mismatch",
        )
    if missing:
        raise DomainError(
            f"This backup ({made_by}) predates migrations this version "
            f"({bellwether.__version__}) has: {_names(missing)}. Restore it with {made_by}, "
            "then upgrade and run `bellwether migrate`.",
            code="migrations_mismatch",
        )


def _names(pairs: list[tuple[Any, ...]], most: int = 5) -> str:
    shown = ", ".join(f"{app}.{name}" for app, name in pairs[:most])
    return shown + (f" and {len(pairs) - most} more" if len(pairs) > most else "")


def _installation_in_use() -> list[str]:
    in_use = [f"table {table}" for table in dbsnapshot.tables_with_data()]
    if any(True for _ in _media_files(_media_root())):
        in_use.append(f"uploaded files in {_media_root()}")
    return in_use


def restore_backup(
    *, archive: Path, force: bool = False, pg_bin: Path | None = None
) -> RestoreReport:
    """Replace the database and the uploaded files with those in ``archive``.

    Refuses, changing nothing, when the archive is not a Bellwether backup, was made
    on another engine or with other migrations, fails a checksum, or when this
    installation already holds data and ``force`` is not given.
    """
    try:
        return _restore_backup(archive=archive, force=force, pg_bin=pg_bin)
    except (OSError, sqlite3.Error) as exc:
        raise DomainError(f"The restore stopped: {exc}") from exc


def _restore_backup(*, archive: Path, force: bool, pg_bin: Path | None) -> RestoreReport:
    with _open_archive(archive) as tar:
        manifest = _read_manifest(tar, archive)
        check_compatible(manifest)
        dbsnapshot.create_private_database_file()
        tool = dbsnapshot.restore_tool(manifest["database"], pg_bin=pg_bin)
        if not force and (in_use := _installation_in_use()):
            raise DomainError(
                "This installation already holds data ("
                + ", ".join(in_use[:5])
                + (f" and {len(in_use) - 5} more" if len(in_use) > 5 else "")
                + "). Restoring replaces all of it; run again with --force to do so "
                "(back it up first). Nothing was changed.",
                code="not_empty",
            )
        media_root = _media_root()
        media_root.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(
            tempfile.mkdtemp(prefix=f".{media_root.name}.restoring-", dir=media_root.parent)
        )
        try:
            with tempfile.TemporaryDirectory(prefix=".bellwether-restore-") as work:
                database = _extract(tar, manifest, Path(work), staging)
                _check_database_file(database, manifest)
                dbsnapshot.load_snapshot(database, tool=tool)
            problems = dbsnapshot.differences(manifest["tables"], dbsnapshot.fingerprint_live())
            if problems:
                raise DomainError(
                    "The database was restored but does not match the backup's manifest:\n  "
                    + "\n  ".join(problems[:20])
                    + f"\nThe uploaded files in {media_root} were left as they were.",
                    code="verification_failed",
                )
            moved_to = _put_media_in_place(staging, media_root)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    _record(
        "restored",
        "restore",
        archive,
        manifest,
        len(manifest["media"]),
        backup_created_at=manifest.get("created_at", ""),
        bellwether_version=manifest.get("bellwether_version", ""),
    )
    return RestoreReport(manifest=manifest, media_moved_to=moved_to)


def _record(
    done: str, command: str, archive: Path, manifest: dict[str, Any], files: int, **more: Any
) -> None:
    """Audit a backup or restore of the installation: the archive, then ``more``, then
    what it held (tables, rows, uploaded files)."""
    audit.record(
        action=f"installation.{done}",
        organisation=None,
        actor_label=f"bellwether {command} ({_os_user()})",
        details={
            "archive": str(archive),
            **more,
            "tables": len(manifest["tables"]),
            "rows": sum(t["rows"] for t in manifest["tables"].values()),
            "files": files,
        },
    )


def _member_name(member: tarfile.TarInfo) -> PurePosixPath:
    name = PurePosixPath(member.name)
    if (
        not member.isfile()
        or name.is_absolute()
        or any(part in {"", ".", ".."} for part in name.parts)
        or "\\" in member.name
    ):
        raise DomainError(f"The archive holds an unexpected entry, {member.name!r}; refused.")
    return name


def _extract(tar: tarfile.TarFile, manifest: dict[str, Any], work: Path, staging: Path) -> Path:
    """Extract the database into ``work`` and the uploads into ``staging``, each checked
    against its size and checksum; anything the manifest does not list is refused."""
    database_name = manifest["database"]["file"]
    database: Path | None = None
    media = manifest["media"]
    seen: set[str] = set()
    for member in tar:
        if member.name == MANIFEST:
            continue  # read already (iterating a tar yields the members read so far again)
        name = _member_name(member)
        if member.name == database_name:
            target, expected = work / name.name, manifest["database"]
        elif name.parts[0] == MEDIA_DIR and name.relative_to(MEDIA_DIR).as_posix() in media:
            relative = name.relative_to(MEDIA_DIR).as_posix()
            target, expected = staging.joinpath(*name.parts[1:]), media[relative]
            seen.add(relative)
        else:
            raise DomainError(
                f"The archive holds {member.name!r}, which its manifest does not list."
            )
        source = tar.extractfile(member)
        assert source is not None
        with _private_file(target) as handle:
            digest = _sha256_copy(source, handle, limit=expected.get("bytes"))
        if digest != expected["sha256"]:
            raise DomainError(f"{member.name} in the archive is damaged (checksum mismatch).")
        os.utime(target, (member.mtime, member.mtime))
        if member.name == database_name:
            database = target
    if database is None:
        raise DomainError(f"The archive has no {database_name}.")
    if missing := sorted(set(media) - seen):
        raise DomainError(f"The archive lacks uploaded files its manifest lists: {missing[:5]}.")
    return database


def _check_database_file(database: Path, manifest: dict[str, Any]) -> None:
    """On SQLite the copy can be fingerprinted before it replaces anything."""
    if manifest["database"]["engine"] != "sqlite":
        return
    problems = dbsnapshot.differences(
        manifest["tables"], dbsnapshot.sqlite_file_fingerprints(database)
    )
    if problems:
        raise DomainError(
            "The archive's database does not match its manifest; nothing was changed:\n  "
            + "\n  ".join(problems[:20]),
            code="verification_failed",
        )


def _put_media_in_place(staging: Path, media_root: Path) -> Path | None:
    """Move what ``media_root`` holds aside (kept, never deleted) and the restored files in.

    Entries are moved one by one rather than renaming the folder, so a ``MEDIA_ROOT``
    that is a mount point works too."""
    moved_to = None
    _private_folder(media_root)
    current = sorted(media_root.iterdir())
    if current and not any(True for _ in _media_files(media_root)):
        # Only empty folders: nothing worth keeping aside.
        for entry in current:
            if entry.is_symlink() or not entry.is_dir():
                entry.unlink()
            else:
                shutil.rmtree(entry)
        current = []
    if current:
        moved_to = media_root.with_name(f"{media_root.name}.before-restore-{_utc_stamp()}")
        moved_to.mkdir(mode=0o700)
        for entry in current:
            shutil.move(entry, moved_to / entry.name)
    for entry in sorted(staging.iterdir()):
        shutil.move(entry, media_root / entry.name)
    return moved_to
