"""``bellwether backup`` and ``restore``: the archive, and every refusal changing nothing.

Each test runs on the suite's engine (SQLite, or PostgreSQL by DATABASE_URL). The
demo organisation's full round trip is in ``test_backup_round_trip.py``.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
from collections.abc import Callable
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import connection

import bellwether
from bellwether.accounts.roles import Role
from bellwether.core import dbsnapshot
from bellwether.core.backup import create_backup, read_manifest, restore_backup
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent, Organisation
from bellwether.people.models import Person
from bellwether.testing.factories import (
    OrganisationFactory,
    OrgUnitFactory,
    PersonFactory,
    make_member,
)

PLAN = "initiatives/evidence/2026/12/plan.txt"
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def installation(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path


@pytest.fixture
def populated(installation):
    org = OrganisationFactory(name="Acme", slug="acme")
    unit = OrgUnitFactory(organisation=org, code="HQ", name="Headquarters")
    PersonFactory(organisation=org, employee_id="E1", name="Ada Lovelace", org_unit=unit)
    make_member(org, Role.ADMIN, email="admin@acme.test")
    default_storage.save(PLAN, ContentFile(b"the plan"))
    return org


@pytest.fixture
def archive(populated, installation) -> Path:
    return create_backup(output=installation).path


def media(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def state(installation: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Everything a restore could change: every table's fingerprint and every upload."""
    return dbsnapshot.fingerprint_live(), media(installation / "media")


def rewrite(
    archive: Path,
    target: Path,
    *,
    manifest: Callable[[dict[str, Any]], Any] | None = None,
    content: dict[str, Callable[[bytes], bytes]] | None = None,
    extra: list[tuple[tarfile.TarInfo, bytes]] = (),  # type: ignore[assignment]
) -> Path:
    """A copy of ``archive`` with its manifest or members changed."""
    with tarfile.open(archive, "r:gz") as source, tarfile.open(target, "w:gz") as out:
        for member in source:
            handle = source.extractfile(member)
            assert handle is not None
            data = handle.read()
            if member.name == "manifest.json" and manifest is not None:
                changed = json.loads(data)
                changed = manifest(changed) or changed
                data = json.dumps(changed).encode()
            if content and member.name in content:
                data = content[member.name](data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
        for info, data in extra:
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))
    return target


def flip_a_byte(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


# --- backup ------------------------------------------------------------------------------


def test_backup_writes_one_private_archive_with_a_manifest(archive, installation):
    assert archive.parent == installation
    assert archive.name.startswith("bellwether-")
    assert archive.name.endswith(".tar.gz")
    assert archive.stat().st_mode & 0o777 == 0o600
    with tarfile.open(archive, "r:gz") as tar:
        names = tar.getnames()
        manifest = json.loads(tar.extractfile("manifest.json").read())
        database = tar.extractfile(manifest["database"]["file"]).read()
        plan = tar.extractfile(f"media/{PLAN}").read()
    assert names[0] == "manifest.json"
    assert names[1:] == [manifest["database"]["file"], f"media/{PLAN}"]
    assert manifest["format"] == "bellwether-backup"
    assert manifest["format_version"] == 1
    assert manifest["bellwether_version"] == bellwether.__version__
    assert datetime.fromisoformat(manifest["created_at"]).tzinfo is not None
    assert manifest["database"]["engine"] == connection.vendor
    assert manifest["database"]["sha256"] == hashlib.sha256(database).hexdigest()
    assert manifest["migrations"] == dbsnapshot.code_migrations()
    assert ["core", "0003_organisation_is_demo"] in manifest["migrations"]
    assert manifest["tables"]["core_organisation"]["rows"] == 1
    assert manifest["tables"]["people_person"]["rows"] == 1
    assert manifest["tables"]["accounts_user"]["rows"] == 1
    assert manifest["media"] == {
        PLAN: {"bytes": 8, "sha256": hashlib.sha256(b"the plan").hexdigest()}
    }
    assert plan == b"the plan"
    event = AuditEvent.objects.get(action="installation.backed_up")
    assert event.organisation is None
    assert event.actor_label.startswith("bellwether backup (")
    assert event.details["archive"] == str(archive)
    assert event.details["files"] == 1


def test_backup_by_default_goes_to_a_private_folder_under_var(populated, installation):
    path = create_backup().path
    assert path.parent == installation / "var" / "backups"
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert path.stat().st_mode & 0o777 == 0o600


def test_backup_never_overwrites_a_file_and_needs_an_existing_folder(archive, installation):
    written = archive.read_bytes()
    with pytest.raises(DomainError, match="already exists; a backup never overwrites"):
        create_backup(output=archive)
    assert archive.read_bytes() == written
    with pytest.raises(DomainError, match="does not exist"):
        create_backup(output=installation / "nowhere" / "b.tar.gz")
    assert not (installation / "nowhere").exists()
    inside = installation / "media" / "initiatives"
    with pytest.raises(DomainError, match="outside the uploads folder"):
        create_backup(output=inside)
    assert list(installation.rglob("*.tar.gz")) == [archive]


def test_a_changed_row_changes_only_its_tables_checksum(populated):
    before = dbsnapshot.fingerprint_live()
    Person.objects.filter(employee_id="E1").update(name="Ada King")
    after = dbsnapshot.fingerprint_live()
    assert dbsnapshot.differences(before, after) == [
        "people_person: same number of rows, different content"
    ]
    Person.objects.filter(employee_id="E1").update(name="Ada Lovelace")
    assert dbsnapshot.fingerprint_live() == before


# --- restore -------------------------------------------------------------------------------


def test_restore_refuses_an_installation_holding_data_and_changes_nothing(archive, installation):
    Person.objects.create(organisation=Organisation.objects.get(), employee_id="E2", name="Later")
    before = state(installation)
    with pytest.raises(DomainError, match="already holds data") as refused:
        restore_backup(archive=archive)
    assert refused.value.code == "not_empty"
    assert "table accounts_user" in refused.value.message
    assert "--force" in refused.value.message
    assert state(installation) == before


def test_restore_refuses_an_installation_holding_only_uploads(archive, installation):
    call_command("flush", "--no-input", verbosity=0)
    before = state(installation)
    with pytest.raises(DomainError, match=f"uploaded files in {installation / 'media'}"):
        restore_backup(archive=archive)
    assert state(installation) == before


def test_restore_with_force_replaces_everything_and_keeps_the_old_uploads_aside(
    archive, installation
):
    manifest = read_manifest(archive)
    OrganisationFactory(name="Later", slug="later")
    (installation / "media" / PLAN).unlink()
    default_storage.save("initiatives/evidence/2026/12/new.txt", ContentFile(b"new"))

    report = restore_backup(archive=archive, force=True)

    assert list(Organisation.objects.values_list("slug", flat=True)) == ["acme"]
    assert media(installation / "media") == {PLAN: b"the plan"}
    assert (installation / "media" / PLAN).stat().st_mode & 0o777 == 0o600
    assert report.media_moved_to is not None
    assert report.media_moved_to.parent == installation
    assert media(report.media_moved_to) == {"initiatives/evidence/2026/12/new.txt": b"new"}
    restored = dbsnapshot.fingerprint_live()
    audit = restored.pop("core_auditevent")
    assert audit["rows"] == manifest["tables"]["core_auditevent"]["rows"] + 1
    assert restored == {k: v for k, v in manifest["tables"].items() if k != "core_auditevent"}
    event = AuditEvent.objects.get(action="installation.restored")
    assert event.details["backup_created_at"] == manifest["created_at"]


def other_engine() -> str:
    return "postgresql" if connection.vendor == "sqlite" else "sqlite"


# What is wrong with an archive -> how to make it so -> the refusal's message. Grouped, one
# archive per group (each backup costs a pg_dump on PostgreSQL).
REFUSALS: dict[str, dict[str, tuple[dict[str, Any], str]]] = {
    "manifest": {
        "another engine": (
            {"manifest": lambda m: m["database"].update(engine=other_engine())},
            "{other} database, but this installation uses {ours}",
        ),
        "a newer Bellwether's migrations": (
            {"manifest": lambda m: m["migrations"].append(["core", "0099_from_the_future"])},
            "made by a newer Bellwether .*core.0099_from_the_future",
        ),
        "an older Bellwether's migrations": (
            {
                "manifest": lambda m: m["migrations"].remove(
                    ["core", "0004_mark_existing_demo_organisations"]
                )
            },
            "predates migrations .*core.0004_mark_existing_demo_organisations.*bellwether migrate",
        ),
        "a newer format": (
            {"manifest": lambda m: m.update(format_version=2)},
            "in format 2.* reads format 1",
        ),
        "a malformed manifest": (
            {"manifest": lambda m: m.update(tables=[1, 2])},
            "malformed manifest",
        ),
        "another program's archive": (
            {"manifest": lambda m: m.update(format="something-else")},
            "is not a Bellwether backup",
        ),
        "a listed upload missing": (
            {"manifest": lambda m: m["media"].update({"gone.txt": {"bytes": 1, "sha256": "0"}})},
            "lacks uploaded files its manifest lists: \\['gone.txt'\\]",
        ),
    },
    "content": {
        "a damaged database file": ({"content": "database"}, "is damaged \\(checksum mismatch\\)"),
        "a damaged upload": (
            {"content": f"media/{PLAN}"},
            f"media/{PLAN} in the archive is damaged",
        ),
    },
    "entries": {
        "a file the manifest does not list": (
            {"extra": "media/initiatives/unlisted.txt"},
            "holds 'media/initiatives/unlisted.txt', which its manifest does not list",
        ),
        "a path leaving the uploads folder": (
            {"extra": "media/../../escaped.txt"},
            "unexpected entry, 'media/../../escaped.txt'",
        ),
        "an absolute path": ({"extra": "/tmp/absolute.txt"}, "unexpected entry"),
    },
}


def changed_archive(archive: Path, target: Path, change: dict[str, Any]) -> Path:
    kwargs: dict[str, Any] = {}
    if "manifest" in change:
        kwargs["manifest"] = change["manifest"]
    if change.get("content") == "database":
        kwargs["content"] = {read_manifest(archive)["database"]["file"]: flip_a_byte}
    elif "content" in change:
        kwargs["content"] = {change["content"]: flip_a_byte}
    if "extra" in change:
        kwargs["extra"] = [(tarfile.TarInfo(change["extra"]), b"x")]
    return rewrite(archive, target, **kwargs)


@pytest.mark.parametrize("group", sorted(REFUSALS))
def test_restore_refuses_an_archive_it_cannot_trust_and_changes_nothing(
    archive, installation, group
):
    # Even forced, on a database it would happily replace.
    before = state(installation)
    for what, (change, message) in REFUSALS[group].items():
        changed = changed_archive(archive, installation / "changed.tar.gz", change)
        expected = message.format(
            other=ENGINE_NAMES[other_engine()], ours=ENGINE_NAMES[connection.vendor]
        )
        with pytest.raises(DomainError, match=expected):
            restore_backup(archive=changed, force=True)
        assert state(installation) == before, what
        assert [p.name for p in installation.iterdir() if "restoring" in p.name] == [], what
        changed.unlink()
    assert not (installation.parent / "escaped.txt").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"not an archive at all", "is not a Bellwether backup \\(not a .tar.gz\\)"),
        (None, "does not start with manifest.json"),
    ],
)
def test_restore_refuses_a_file_that_is_not_a_backup(populated, installation, content, message):
    path = installation / "other.tar.gz"
    if content is None:
        with tarfile.open(path, "w:gz") as tar:
            info = tarfile.TarInfo("readme.txt")
            info.size = 2
            tar.addfile(info, io.BytesIO(b"hi"))
    else:
        path.write_bytes(content)
    before = state(installation)
    with pytest.raises(DomainError, match=message):
        restore_backup(archive=path, force=True)
    with pytest.raises(DomainError, match="does not exist or is not a file"):
        restore_backup(archive=installation / "missing.tar.gz", force=True)
    assert state(installation) == before


def test_a_manifest_that_does_not_match_the_data_is_caught(archive, installation):
    def wrong_count(manifest):
        manifest["tables"]["people_person"]["rows"] = 7

    changed = rewrite(archive, installation / "changed.tar.gz", manifest=wrong_count)
    call_command("flush", "--no-input", verbosity=0)
    (installation / "media" / PLAN).unlink()
    before = state(installation)
    with pytest.raises(DomainError, match="people_person: 1 rows, the backup has 7") as refused:
        restore_backup(archive=changed)
    assert refused.value.code == "verification_failed"
    assert media(installation / "media") == {}
    if connection.vendor == "sqlite":
        # The copy is checked before it replaces anything.
        assert "nothing was changed" in refused.value.message
        assert state(installation) == before
    else:
        # pg_restore must load the dump before it can be counted: the restore says so.
        assert "The database was restored but does not match" in refused.value.message
        assert "were left as they were" in refused.value.message


# --- the commands -------------------------------------------------------------------------------


def test_the_backup_and_restore_commands(populated, installation):
    out = StringIO()
    call_command("backup", "--output", str(installation), stdout=out)
    [path] = installation.glob("bellwether-*.tar.gz")
    assert out.getvalue().startswith(f"Backed up to {path} (")
    engine = ENGINE_NAMES[connection.vendor]
    assert f"{engine} database, " in out.getvalue()
    assert "; 1 uploaded files." in out.getvalue()

    with pytest.raises(CommandError, match="already holds data"):
        call_command("restore", str(path), stdout=StringIO())
    out = StringIO()
    call_command("restore", str(path), "--force", stdout=out)
    assert out.getvalue().startswith("Restored the backup of ")
    assert "each verified against the manifest; 1 uploaded files." in out.getvalue()
    assert "The uploaded files that were there are now in " in out.getvalue()


def test_restore_onto_a_new_machine_in_a_fresh_process(archive, installation):
    """`bellwether restore` (a new process, the production settings) onto an empty
    database of the same engine, never migrated, and an empty uploads folder."""
    manifest = read_manifest(archive)
    home = installation / "new-machine"
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bellwether.settings",
        "BELLWETHER_VAR_DIR": str(home / "var"),
        "MEDIA_ROOT": str(home / "media"),
    }
    scratch = None
    if connection.vendor == "sqlite":
        database = home / "var" / "bellwether.sqlite3"
        environment["DATABASE_URL"] = f"sqlite:///{database}"
    else:
        s = connection.settings_dict
        scratch = f"{s['NAME']}_restore"
        _admin_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')
        _admin_sql(f'CREATE DATABASE "{scratch}"')
        environment["DATABASE_URL"] = (
            f"postgres://{s['USER']}:{s['PASSWORD'] or ''}@{s['HOST']}:{s['PORT']}/{scratch}"
        )
    try:
        result = subprocess.run(
            [sys.executable, "-m", "bellwether", "restore", str(archive)],
            env=environment,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        rows = sum(table["rows"] for table in manifest["tables"].values())
        assert f"{len(manifest['tables'])} tables and {rows:,} rows, each verified" in result.stdout
        assert media(home / "media") == {PLAN: b"the plan"}
        assert (home / "media" / PLAN).stat().st_mode & 0o777 == 0o600
        if scratch is None:
            assert database.stat().st_mode & 0o777 == 0o600
            restored = dbsnapshot.sqlite_file_fingerprints(database)
        else:
            restored = _fingerprints_of(scratch)
        audit = restored.pop("core_auditevent")
        assert audit["rows"] == manifest["tables"]["core_auditevent"]["rows"] + 1
        assert restored == {k: v for k, v in manifest["tables"].items() if k != "core_auditevent"}
    finally:
        if scratch is not None:
            _admin_sql(f'DROP DATABASE IF EXISTS "{scratch}" WITH (FORCE)')


def _psycopg(dbname: str):
    import psycopg

    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"],
        port=s["PORT"],
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def _admin_sql(sql: str) -> None:
    # CREATE/DROP DATABASE cannot run in a transaction: an autocommit connection of its own.
    with _psycopg("postgres") as admin:
        admin.execute(sql)


def _fingerprints_of(dbname: str) -> dict[str, Any]:
    with _psycopg(dbname) as db, db.transaction(), db.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        return dbsnapshot.pg_table_fingerprints(cursor, tables)


def test_a_full_disk_is_a_clear_error_and_leaves_no_partial_file(
    populated, installation, monkeypatch
):
    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("bellwether.core.backup._write_archive", no_space)
    with pytest.raises(DomainError, match="could not be written: \\[Errno 28\\] No space left"):
        create_backup(output=installation)
    assert list(installation.glob("*bellwether*")) == []


def test_backup_warns_when_migrations_are_not_applied(populated, installation, monkeypatch):
    real = dbsnapshot.code_migrations
    monkeypatch.setattr(
        dbsnapshot, "code_migrations", lambda: [*real(), ["core", "0099_not_applied"]]
    )
    err = StringIO()
    call_command("backup", "--output", str(installation), stdout=StringIO(), stderr=err)
    assert err.getvalue().startswith(
        "Warning: 1 migrations of this version are not applied to the database "
        "(core.0099_not_applied); this version will not restore this backup."
    )
