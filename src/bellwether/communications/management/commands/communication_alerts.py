"""``bellwether communication_alerts``: queue today's overdue alerts for the worker (run it
daily from cron; running it twice sends nothing twice)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from bellwether.communications.tasks import (
    collect_communication_ratings,
    send_communication_alerts,
)


class Command(BaseCommand):
    help = (
        "Queue the daily communication digests, the weekly admin summary and the release "
        "of closed audience ratings."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        send_communication_alerts.enqueue()
        collect_communication_ratings.enqueue()
        self.stdout.write("Communication alerts and closed audience ratings queued for the worker.")
