"""``bellwether export-people --org SLUG``: the organisation's people as CSV or XLSX."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bellwether.core.models import Organisation
from bellwether.people import services


class Command(BaseCommand):
    help = "Export people with the import's columns, so the file re-imports unchanged."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", required=True, help="the organisation's slug")
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument(
            "-o", "--output", help="file to write (default: standard output for CSV)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["org"]).first()
        if organisation is None:
            raise CommandError(f"No organisation with slug “{options['org']}”.")
        content, _type, filename = services.export_people(
            organisation=organisation, fmt=options["format"]
        )
        output = options["output"]
        if output is None and options["format"] == "xlsx":
            output = filename
        if output is None or output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
            return
        Path(output).write_bytes(content)
        self.stderr.write(f"Wrote {output}.")
