"""``bellwether backup``: the database, the uploaded files and a manifest in one archive."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bellwether.core import backup
from bellwether.core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Write the whole installation (database, uploaded files, a manifest with each "
        "table's row count and checksum) to one .tar.gz, readable only by its owner. "
        "Safe while Bellwether runs. Restore it with `bellwether restore`."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--output",
            "-o",
            type=Path,
            default=None,
            help=(
                "the archive to create, or a folder to create it in "
                "(default var/backups/bellwether-<UTC time>.tar.gz); never overwritten"
            ),
        )
        parser.add_argument(
            "--pg-bin",
            type=Path,
            default=None,
            help="the folder holding pg_dump (PostgreSQL; default: $PATH and the usual folders)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup.create_backup(output=options["output"], pg_bin=options["pg_bin"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        manifest = report.manifest
        tables = manifest["tables"]
        rows = sum(table["rows"] for table in tables.values())
        size = report.path.stat().st_size
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up to {report.path} ({size / 1_000_000:,.1f} MB): "
                f"{backup.ENGINE_NAMES[manifest['database']['engine']]} database, "
                f"{len(tables)} tables, {rows:,} rows; {len(manifest['media'])} uploaded files."
            )
        )
        if report.unapplied:
            self.stderr.write(
                f"Warning: {len(report.unapplied)} migrations of this version are not applied "
                f"to the database ({', '.join(report.unapplied[:5])}); this version will not "
                "restore this backup. Run `bellwether migrate`, then back up again."
            )
        for name in report.skipped:
            self.stderr.write(f"Skipped {name} in the uploads folder: not a regular file.")
