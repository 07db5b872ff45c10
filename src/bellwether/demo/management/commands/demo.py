"""``bellwether demo``: build the deterministic demo organisation (Northwind Group)."""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent, Organisation
from bellwether.demo import services
from bellwether.demo.accounts import DEMO_NAME, DEMO_SLUG, sign_in_help
from bellwether.demo.generator import SIZES


class Command(BaseCommand):
    help = (
        "Build a plausible, deterministic demo company with demo accounts for every role. "
        "`small` is about 3,000 people and 150 leaders; `large` is 100,000 people and "
        "5,000 leaders (the scale Bellwether is built for)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--seed", type=int, default=7, help="the same seed builds the same company (default 7)"
        )
        parser.add_argument(
            "--size", choices=sorted(SIZES), default="small", help="small (default) or large"
        )
        parser.add_argument(
            "--name", default=DEMO_NAME, help=f"organisation name (default {DEMO_NAME})"
        )
        parser.add_argument(
            "--slug", default=DEMO_SLUG, help=f"organisation slug (default {DEMO_SLUG})"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=(
                "do nothing when any organisation already exists (used by `make run`, "
                "which prints the sign-in details itself)"
            ),
        )
        parser.add_argument(
            "--people-only",
            action="store_true",
            help="build the org units, people and accounts without the modules' demo data",
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help=(
                "delete the demo organisation with the same slug first, audit log included; "
                "refused for any organisation `demo` did not build"
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Organisation.objects.exists():
            self.stdout.write("An organisation already exists; the demo was not built.")
            return
        started = time.monotonic()
        try:
            organisation = services.build_demo_organisation(
                seed=options["seed"],
                size=options["size"],
                name=options["name"],
                slug=options["slug"],
                replace=options["replace"],
                modules=not options["people_only"],
            )
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.monotonic() - started
        summary = services.summarise(organisation)
        levels = summary.leaders_by_level
        self.stdout.write(
            self.style.SUCCESS(
                f"Built {organisation.name} (seed {options['seed']}, {options['size']}) in {seconds:.1f}s: "
                f"{summary.people:,} people in {summary.org_units:,} org units; "
                f"{sum(levels.values()):,} leaders ({levels.get('executive', 0)} executive, "
                f"{levels.get('senior', 0)} senior, {levels.get('operational', 0):,} operational)."
            )
        )
        built = (
            AuditEvent.objects.filter(organisation=organisation, action="demo.built")
            .order_by("-id")
            .first()
        )
        for line in built.details.get("modules", []) if built is not None else []:
            self.stdout.write(f"  {line}")
        if not options["if_empty"]:
            for line in sign_in_help(settings.BELLWETHER_BASE_URL, organisation.slug):
                self.stdout.write(line)
