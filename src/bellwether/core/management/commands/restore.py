"""``bellwether restore``: put back an archive written by ``bellwether backup``."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bellwether.core import backup
from bellwether.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Replace the database and the uploaded files with those in a backup archive, "
        "then verify every table against the archive's row counts and checksums. "
        "Stop the web server and the worker first. Refuses an installation that "
        "already holds data unless --force is given."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("archive", type=Path, help="a .tar.gz written by `bellwether backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace an installation that already holds data (its uploads are moved aside)",
        )
        parser.add_argument(
            "--pg-bin",
            type=Path,
            default=None,
            help="the folder holding pg_restore (PostgreSQL; default: $PATH and the usual folders)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup.restore_backup(
                archive=options["archive"], force=options["force"], pg_bin=options["pg_bin"]
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        manifest = report.manifest
        tables = manifest["tables"]
        rows = sum(table["rows"] for table in tables.values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']} (Bellwether "
                f"{manifest['bellwether_version']}): {len(tables)} tables and {rows:,} rows, "
                f"each verified against the manifest; {len(manifest['media'])} uploaded files."
            )
        )
        if report.media_moved_to is not None:
            self.stdout.write(
                f"The uploaded files that were there are now in {report.media_moved_to}."
            )
