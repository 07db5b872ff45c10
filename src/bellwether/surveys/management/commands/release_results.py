"""Release the results of every pulse that has closed (run daily, or let the worker do
it as pages ask; safe to rerun: a released campaign is never released again)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bellwether.surveys.services import releases


class Command(BaseCommand):
    help = "Open, store and decide the results of every closed, unreleased pulse."

    def handle(self, *args: Any, **options: Any) -> None:
        done = releases.release_due()
        self.stdout.write(f"{done} campaign(s) released")
