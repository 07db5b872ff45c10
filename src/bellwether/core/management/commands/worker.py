"""``bellwether worker``: run background jobs (email, long imports) from the database queue."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the background worker: takes queued jobs from the database and runs them."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run every job that is waiting, then exit (for cron or tests).",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait between looks at an empty queue (default: 1).",
        )
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Queues to take jobs from, comma-separated, or '*' for all (default: default).",
        )
        parser.add_argument(
            "--max-tasks",
            type=int,
            default=None,
            help="Exit after this many jobs (lets a supervisor recycle the process).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        worker_args = [
            "--interval",
            str(options["interval"]),
            "--queue-name",
            options["queue_name"],
            # Never reload on code changes: a reload can cut a job short.
            "--no-reload",
        ]
        if options["batch"]:
            worker_args += ["--batch", "--no-startup-delay"]
        if options["max_tasks"] is not None:
            worker_args += ["--max-tasks", str(options["max_tasks"])]
        call_command(
            "db_worker",
            *worker_args,
            verbosity=options["verbosity"],
            stdout=self.stdout,
            stderr=self.stderr,
        )
