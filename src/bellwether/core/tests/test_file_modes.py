"""The SQLite database, its journal, uploads and everything else Bellwether writes are
readable by the owner only (0600 files, 0700 directories): other accounts on the host
must not read answers, HR data or evidence."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.db.utils import ConnectionHandler

from bellwether import cli
from bellwether.core.security import restrict_sqlite_files

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def clean_env(var_dir: Path) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("BELLWETHER_", "DATABASE_"))
        and key not in {"STATIC_ROOT", "MEDIA_ROOT", "DJANGO_SETTINGS_MODULE"}
    }
    env["BELLWETHER_VAR_DIR"] = str(var_dir)
    return env


def run_with_umask_022(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``command`` started the way a careless service manager would: umask 022."""
    return subprocess.run(
        ["/bin/sh", "-c", f"umask 022 && exec {command}"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


WRITE_EVERYTHING = textwrap.dedent(
    """
    import json, stat
    from pathlib import Path
    from django.conf import settings
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE answers (value integer)")
        cursor.execute("INSERT INTO answers VALUES (4)")
    default_storage.save("initiatives/evidence/2026/01/dpa.txt", ContentFile(b"signed"))
    (Path(settings.BASE_DIR) / "people.csv").write_text("name")
    # The journal goes when the last connection closes: read its modes while open.
    name = settings.DATABASES["default"]["NAME"]
    print(json.dumps({s: stat.S_IMODE(Path(name + s).stat().st_mode) for s in ("-wal", "-shm")}))
    """
)


def test_the_bellwether_command_creates_everything_owner_only(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"  # does not exist yet: the command creates it
    env = clean_env(var_dir) | {"BELLWETHER_HOME": str(tmp_path)}
    result = run_with_umask_022(
        f"{sys.executable} -m bellwether shell --no-imports -c '{WRITE_EVERYTHING}'", env
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {"-wal": 0o600, "-shm": 0o600}
    assert mode(var_dir) == 0o700
    assert mode(var_dir / "bellwether.sqlite3") == 0o600
    assert mode(var_dir / "secret_key") == 0o600
    evidence = var_dir / "media" / "initiatives" / "evidence" / "2026" / "01" / "dpa.txt"
    assert mode(evidence) == 0o600
    for directory in (evidence.parent, evidence.parent.parent, var_dir / "media" / "initiatives"):
        assert mode(directory) == 0o700, directory
    assert mode(tmp_path / "people.csv") == 0o600  # an export written by a command


def test_the_wsgi_entry_point_sets_an_owner_only_umask(tmp_path: Path) -> None:
    script = "import os, bellwether.wsgi; print(oct(os.umask(0)))"
    result = run_with_umask_022(f'{sys.executable} -c "{script}"', clean_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "0o77"


def test_collectstatic_keeps_static_files_readable_by_a_proxy(monkeypatch) -> None:
    seen: list[int] = []

    def record_umask(argv: list[str]) -> None:
        current = os.umask(0)
        os.umask(current)
        seen.append(current)

    monkeypatch.setattr("django.core.management.execute_from_command_line", record_umask)
    previous = os.umask(0o022)
    try:
        cli.main(["collectstatic", "--noinput"])
        cli.main(["import-people", "people.csv"])
    finally:
        os.umask(previous)
    assert seen == [0o022, 0o077]


def test_an_existing_readable_database_is_restricted_on_connection(db, tmp_path: Path) -> None:
    database = tmp_path / "old.sqlite3"
    database.touch(mode=0o644)
    database.chmod(0o644)  # created before Bellwether restricted anything
    handler = ConnectionHandler(
        {
            "default": {
                "ENGINE": "django.db.backends.sqlite3",
                "NAME": str(database),
                "OPTIONS": {"init_command": "PRAGMA journal_mode=WAL;"},
            }
        }
    )
    connection = handler["default"]
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE t (x integer)")
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            assert mode(path) == 0o600, path
    finally:
        connection.close()


def test_restrict_sqlite_files_leaves_missing_files_and_tight_modes_alone(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    database.write_bytes(b"")
    database.chmod(0o400)
    restrict_sqlite_files(database)  # no -wal/-shm: nothing to do for them
    assert mode(database) == 0o400  # already tighter than 0600
    database.chmod(0o664)
    Path(f"{database}-wal").write_bytes(b"")
    Path(f"{database}-wal").chmod(0o666)
    restrict_sqlite_files(database)
    assert (mode(database), mode(Path(f"{database}-wal"))) == (0o600, 0o600)
