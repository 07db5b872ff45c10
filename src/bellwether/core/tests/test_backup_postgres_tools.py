"""Finding pg_dump and pg_restore, and refusing missing or too old ones with a clear message."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bellwether.core import dbsnapshot
from bellwether.core.backup import create_backup, restore_backup
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation


def fake_tool(folder: Path, name: str, version: str) -> Path:
    """An executable that answers ``--version`` like the real one."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!/bin/sh\necho '{name} (PostgreSQL) {version}'\n")
    path.chmod(0o755)
    return path


@pytest.fixture
def no_path(monkeypatch, tmp_path):
    """A $PATH holding no PostgreSQL tools."""
    empty = tmp_path / "empty-path"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_a_missing_tool_is_named_with_how_to_install_it(tmp_path):
    with pytest.raises(DomainError) as refused:
        dbsnapshot.find_pg_tool("pg_dump", at_least=15, pg_bin=tmp_path)
    assert refused.value.code == "pg_tool_missing"
    assert refused.value.message.startswith(f"pg_dump was not found in {tmp_path}. ")
    assert "apt install postgresql-client-15" in refused.value.message
    assert "--pg-bin" in refused.value.message


def test_a_tool_older_than_the_server_is_refused(tmp_path):
    tool = fake_tool(tmp_path / "13", "pg_dump", "13.4")
    with pytest.raises(DomainError) as refused:
        dbsnapshot.find_pg_tool("pg_dump", at_least=15, pg_bin=tmp_path / "13")
    assert refused.value.code == "pg_tool_too_old"
    assert refused.value.message.startswith(
        f"pg_dump 13.4 ({tool}) is older than PostgreSQL 15, which it would have to read or write."
    )


def test_the_newest_tool_in_the_usual_folders_is_chosen(tmp_path, no_path):
    fake_tool(tmp_path / "versions" / "14" / "bin", "pg_restore", "14.11")
    newest = fake_tool(tmp_path / "versions" / "16" / "bin", "pg_restore", "16.2")
    fake_tool(tmp_path / "versions" / "12" / "bin", "pg_restore", "12.0")
    broken = tmp_path / "versions" / "17" / "bin" / "pg_restore"
    broken.parent.mkdir(parents=True)
    broken.write_text("#!/bin/sh\nexit 1\n")
    broken.chmod(0o755)
    tool = dbsnapshot.find_pg_tool(
        "pg_restore", at_least=15, search=[str(tmp_path / "versions" / "*" / "bin")]
    )
    assert (tool.path, tool.major, tool.version) == (newest, 16, "16.2")


def test_nothing_found_anywhere_says_where_it_looked(tmp_path, no_path):
    with pytest.raises(
        DomainError, match="pg_dump was not found on \\$PATH or in the usual folders"
    ):
        dbsnapshot.find_pg_tool("pg_dump", at_least=15, search=[str(tmp_path / "none" / "*")])


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_backup_without_pg_dump_fails_clearly_and_writes_nothing(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    output = tmp_path / "out"
    output.mkdir()
    with pytest.raises(CommandError, match="pg_dump was not found in "):
        call_command(
            "backup",
            "--output",
            str(output),
            "--pg-bin",
            str(tmp_path / "nothing"),
            stdout=StringIO(),
        )
    assert list(output.iterdir()) == []


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_restore_with_an_old_pg_restore_is_refused_before_anything_changes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    Organisation.objects.create(name="Acme", slug="acme")
    archive = create_backup(output=tmp_path).path
    Organisation.objects.create(name="Later", slug="later")
    before = dbsnapshot.fingerprint_live()
    old = tmp_path / "old-bin"
    fake_tool(old, "pg_restore", "9.6.24")
    with pytest.raises(DomainError, match=r"pg_restore 9\.6\.24 .* is older than PostgreSQL"):
        restore_backup(archive=archive, force=True, pg_bin=old)
    assert dbsnapshot.fingerprint_live() == before
    assert set(Organisation.objects.values_list("slug", flat=True)) == {"acme", "later"}
