"""The demo organisation through ``backup``, a wipe and ``restore``: every table equal.

Runs on whichever engine the suite runs on (SQLite, or PostgreSQL by DATABASE_URL).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.test import Client

from bellwether.core import dbsnapshot
from bellwether.core.backup import create_backup, restore_backup
from bellwether.core.models import AuditEvent, Organisation
from bellwether.demo.accounts import DEMO_PASSWORD
from bellwether.demo.services import build_demo_organisation
from bellwether.initiatives.models import GateReview

EVIDENCE = {
    "initiatives/evidence/2026/11/pilot-results.pdf": b"%PDF-1.7 pilot results\n" * 100,
    "initiatives/evidence/2026/12/sign-off.txt": "Signed off by the board — ✓\n".encode(),
}


@pytest.fixture
def installation(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.VAR_DIR = tmp_path / "var"
    return tmp_path


def _media(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        path.relative_to(root).as_posix(): (path.read_bytes(), path.stat().st_mode & 0o777)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


@pytest.mark.django_db(transaction=True)
def test_the_demo_organisation_survives_backup_wipe_and_restore(installation):
    demo = build_demo_organisation(seed=7, size="small")
    for name, content in EVIDENCE.items():
        assert default_storage.save(name, ContentFile(content)) == name
    gate = GateReview.objects.filter(organisation=demo).first()
    GateReview.objects.filter(pk=gate.pk).update(evidence_file=next(iter(EVIDENCE)))
    before = dbsnapshot.fingerprint_live()
    # The demo fills every module: the check covers far more than people and accounts.
    assert sum(table["rows"] for table in before.values()) > 100_000
    empty = [name for name, table in before.items() if table["rows"] == 0]
    assert len(empty) < len(before) / 3, empty

    report = create_backup(output=installation)

    assert report.manifest["tables"] == before
    assert report.manifest["database"]["engine"] == connection.vendor
    assert report.manifest["migrations"] == dbsnapshot.code_migrations()
    assert set(report.manifest["media"]) == set(EVIDENCE)
    assert report.path.parent == installation
    assert report.path.stat().st_mode & 0o777 == 0o600
    assert AuditEvent.objects.filter(action="installation.backed_up").count() == 1

    # Wipe: every row (what `migrate` adds comes back by itself) and every upload.
    call_command("flush", "--no-input", verbosity=0)
    for path in (installation / "media").rglob("*"):
        if path.is_file():
            path.unlink()
    assert not Organisation.objects.exists()

    restored = restore_backup(archive=report.path)

    assert restored.media_moved_to is None
    event = AuditEvent.objects.get(action="installation.restored")
    assert event.details["rows"] == sum(table["rows"] for table in before.values())
    # Apart from the restore's own audit event, every table is exactly as backed up
    # (the backup's own event was written after its snapshot, so it is not there).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM core_auditevent WHERE id = %s", [event.pk])
    assert dbsnapshot.fingerprint_live() == before
    assert not AuditEvent.objects.filter(action="installation.backed_up").exists()
    files = _media(installation / "media")
    assert {name: content for name, (content, _) in files.items()} == EVIDENCE
    assert {mode for _, mode in files.values()} == {0o600}
    # The restored installation works: the demo admin signs in, its gate shows its evidence,
    # and new rows get fresh ids (sequences came back with the data).
    assert Client().login(email="admin@northwind.example", password=DEMO_PASSWORD)
    assert GateReview.objects.get(pk=gate.pk).evidence_file.read() == next(iter(EVIDENCE.values()))
    newest = Organisation.objects.create(name="After", slug="after")
    assert newest.pk > demo.pk
