"""``bellwether import-people FILE --org SLUG``: import people (or, with --units, org units)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bellwether.core.models import Organisation
from bellwether.people import services
from bellwether.people.importing import ImportResult

ERRORS_PRINTED = 50


class TerminalProgress:
    """A one-line progress bar, redrawn in place (and sparingly when not a terminal)."""

    def __init__(self, out: Any, width: int = 30) -> None:
        self.out = out
        self.width = width
        self.phase = ""
        self.total = 0
        self.shown = (-1, "")
        self.last = 0.0
        self.tty = bool(getattr(getattr(out, "_out", out), "isatty", lambda: False)())

    def on_phase(self, phase: str) -> None:
        self.finish()
        self.phase = phase
        self.shown = (-1, "")
        self.total = 0
        self.draw(0, 0)

    def progress(self, done: int, total: int) -> None:
        self.total = total
        self.draw(done, total)

    def draw(self, done: int, total: int, *, complete: bool = False) -> None:
        percent = 100 if complete else min(100, 100 * done // total) if total else 0
        now = time.monotonic()
        # Redraw when the percentage moves; off a terminal, at most every 2 seconds.
        if not complete and (
            (percent, self.phase) == self.shown
            or (not self.tty and now - self.last < 2 and percent < 100 and done)
        ):
            return
        self.shown, self.last = (percent, self.phase), now
        filled = self.width * percent // 100
        bar = "#" * filled + "-" * (self.width - filled)
        counts = f" {done:,}/{total:,} rows" if total else ""
        self.out.write(f"\r{self.phase:<17} [{bar}] {percent:3d}%{counts}", ending="")
        self.out.flush()

    def finish(self) -> None:
        """End the current phase's line, drawn as complete."""
        if self.phase:
            self.draw(self.total, self.total, complete=True)
            self.out.write("", ending="\n")


class Command(BaseCommand):
    help = (
        "Import people (or org units with --units) from a CSV (UTF-8) or XLSX file. "
        "A file with any error imports nothing; the errors are listed with their line numbers."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV or XLSX file")
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="COLUMN=FIELD",
            help="read file COLUMN as FIELD (or 'ignore'); repeat for several columns",
        )
        parser.add_argument("--dry-run", action="store_true", help="check and report, save nothing")
        parser.add_argument(
            "--deactivate-absent",
            action="store_true",
            help="mark people missing from this (complete) file inactive",
        )
        parser.add_argument("--units", action="store_true", help="the file holds org units")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with slug “{options['org']}”.")
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        mapping: dict[str, str] = {}
        for item in options["map"]:
            column, sep, field = item.partition("=")
            if not sep or not column.strip():
                raise CommandError(f"--map expects COLUMN=FIELD, not “{item}”.")
            mapping[column.strip()] = field.strip()
        if options["units"] and options["deactivate_absent"]:
            raise CommandError("--deactivate-absent applies to people files only.")
        bar = TerminalProgress(self.stdout)
        started = time.monotonic()
        read: dict[str, Any] = {
            "organisation": organisation,
            "actor": None,
            "content": content,
            "filename": path.name,
            "mapping": mapping or None,
            "dry_run": options["dry_run"],
            "progress": bar.progress,
            "on_phase": bar.on_phase,
        }
        if options["units"]:
            result = services.import_org_units(**read)
        else:
            result = services.import_people(**read, deactivate_absent=options["deactivate_absent"])
        bar.finish()
        self.report(result, time.monotonic() - started)

    def report(self, result: ImportResult, seconds: float) -> None:
        if not result.ok:
            err = self.stderr
            for error in result.errors[:ERRORS_PRINTED]:
                where = f"line {error.line}" if error.line else "file"
                column = f", {error.column}" if error.column else ""
                err.write(f"{where}{column}: {error.message}")
            if len(result.errors) > ERRORS_PRINTED:
                err.write(f"…and {len(result.errors) - ERRORS_PRINTED:,} more.")
            raise CommandError(
                f"{len(result.errors):,} problem{'s' if len(result.errors) != 1 else ''} "
                "in the file; nothing was imported.",
                returncode=1,
            )
        verb = "Would import" if result.dry_run else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {result.total:,} rows in {seconds:.1f} s: {result.created:,} created, "
                f"{result.updated:,} updated, {result.unchanged:,} unchanged, "
                f"{result.deactivated:,} deactivated."
                + (" Dry run: nothing was saved." if result.dry_run else "")
            )
        )
        sys.stdout.flush()
