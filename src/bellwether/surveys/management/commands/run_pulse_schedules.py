"""Create this period's campaign for every recurring pulse (run daily; safe to rerun)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bellwether.surveys import services
from bellwether.surveys.services import releases


class Command(BaseCommand):
    help = "Launch this period's pulse for each active schedule that has none yet."

    def handle(self, *args: Any, **options: Any) -> None:
        created = services.run_schedules()
        for campaign in created:
            self.stdout.write(f"launched {campaign.name} ({campaign.organisation})")
        self.stdout.write(f"{len(created)} campaign(s) launched")
        # The pulses that closed since the last run are released on the same beat.
        self.stdout.write(f"{releases.release_due()} campaign(s) released")
