"""Mail today's one-tap check-in link to leaders (run daily; safe to rerun)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bellwether.behaviours import services


class Command(BaseCommand):
    help = "Mail today's check-in link to every leader not yet checked in or reminded today."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"{services.send_all_check_in_reminders()} reminder(s) sent")
