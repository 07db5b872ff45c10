"""``bellwether run-due``: run the scheduled jobs that are due (``core/scheduler.py``).

From cron every few minutes (``*/5 * * * * bellwether run-due``), or ``--loop`` in a
container of its own. Safe to start on several machines at once: each job runs once per
due time whichever scheduler gets to it first.
"""

from __future__ import annotations

import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bellwether.core import scheduler


class Command(BaseCommand):
    help = "Run the scheduled jobs that are due (recurring pulses, reminders, digests…)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Keep running: look for due jobs every --interval seconds.",
        )
        parser.add_argument(
            "--interval", type=int, default=60, help="Seconds between looks (default: 60)."
        )
        parser.add_argument("--list", action="store_true", help="List the jobs and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 second")
        if options["list"]:
            for status in scheduler.statuses():
                job = status.job
                self.stdout.write(
                    f"{job.name:40} {job.when:32} next {status.next_at:%Y-%m-%d %H:%M} UTC"
                )
            return
        while True:
            failed = 0
            for run in scheduler.run_due():
                failed += run.status == run.Status.FAILED
                self.stdout.write(f"{run.job}: {run.status} {run.outcome}".rstrip())
            if not options["loop"]:
                if failed:
                    raise CommandError(f"{failed} scheduled job(s) failed; see the log")
                return
            time.sleep(options["interval"])
