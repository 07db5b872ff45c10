"""``bellwether communication_alerts``: queue today's overdue alerts for the worker (run it
daily from cron; running it twice sends nothing twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bellwether.communications.tasks import send_communication_alerts


class Command(BaseCommand):
    help = "Queue the daily communication digests and the weekly admin summary."

    def handle(self, *args: Any, **options: Any) -> None:
        send_communication_alerts.enqueue()
        self.stdout.write("Communication alerts queued for the worker.")
