"""``bellwether worker``: run background jobs (email, long imports) from the database queue
(or from Redis, with ``BELLWETHER_TASK_BACKEND=rq``: ``core/rq_worker.py``).

django-tasks-db's worker, made to survive a database or mail server that is away for a
while: a job that fails for a passing reason (``core.jobs.is_transient``) goes back to
the queue with a growing delay instead of failing; the worker's own reads and writes of
the queue wait such errors out instead of killing the process; and a job's outcome is
recorded even if the database is locked when the job ends.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from argparse import ArgumentParser
from collections.abc import Callable
from functools import partial
from traceback import format_exception
from typing import Any, TextIO, cast

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskContext, TaskResultStatus
from django_tasks.signals import task_finished, task_started
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from bellwether.core import jobs

logger = logging.getLogger("bellwether.jobs")


def _reschedule(row: DBTaskResult, exc: BaseException, delay: float) -> None:
    """Back to the queue, to run again in ``delay`` seconds; the error is kept on the row
    (the number of tries so far is the number of worker ids)."""
    row.status = TaskResultStatus.READY
    row.run_after = timezone.now() + dt.timedelta(seconds=delay)
    row.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
    row.traceback = "".join(format_exception(exc))
    row.save(update_fields=["status", "run_after", "exception_class_path", "traceback"])


class Worker(db_worker.Worker):
    def run(self) -> None:
        """The queue loop; an error reaching the database (locked, connection lost) is
        logged and waited out, never the end of the process."""
        failures = 0
        while True:
            try:
                super().run()
                return
            except Exception as exc:
                if not jobs.is_transient(exc):
                    raise
                failures += 1
                delay = jobs.backoff(failures)
                logger.warning(
                    "The worker cannot use the database (%s: %s); it tries again in %.1f s",
                    type(exc).__name__,
                    exc,
                    delay,
                )
                if not self.running:
                    return
                time.sleep(delay)
                self.startup_delay = False

    def run_task(self, db_task_result: DBTaskResult) -> None:
        self.running_task = True
        try:
            self._run(db_task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def _run(self, row: DBTaskResult) -> None:
        try:
            task = row.task
            task_result = row.task_result
            backend_type = type(task.get_backend())
        except (ImportError, SuspiciousOperation) as exc:
            logger.exception("Job %s cannot be loaded", row.id)
            self._record(row, partial(row.set_failed, exc))
            return
        task_started.send(sender=backend_type, task_result=task_result)
        try:
            if task.takes_context:
                value = task.call(
                    TaskContext(task_result=cast(Any, task_result)),
                    *task_result.args,
                    **task_result.kwargs,
                )
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
        except BaseException as exc:
            finished = self._failed(row, exc)
            if isinstance(exc, KeyboardInterrupt | SystemExit):
                raise  # a second Ctrl-C: stop now; the job is back in the queue
            if finished:
                task_finished.send(sender=backend_type, task_result=row.task_result)
            return
        try:
            self._record(row, partial(row.set_successful, value))
        except Exception as exc:
            if jobs.is_transient(exc):
                raise
            # The return value cannot be stored (e.g. not JSON): the job did its work,
            # but say so as a failure, as django-tasks-db does.
            self._record(row, partial(row.set_failed, exc))
        task_finished.send(sender=backend_type, task_result=row.task_result)

    def _failed(self, row: DBTaskResult, exc: BaseException) -> bool:
        """Put the job back in the queue or, when the error is not a passing one or the
        tries are used up, record it as failed (then True)."""
        attempt = len(row.worker_ids)
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            # Stopped by the operator mid-job: it runs again at the next start.
            logger.warning(
                "Job %s (%s) was interrupted; it is back in the queue", row.id, row.task_path
            )
            self._record(row, partial(_reschedule, row, exc, 0))
            return False
        if jobs.is_transient(exc) and attempt < jobs.max_attempts():
            delay = jobs.backoff(attempt)
            logger.warning(
                "Job %s (%s) try %d of %d failed for a passing reason (%s: %s); "
                "it runs again in %.1f s",
                row.id,
                row.task_path,
                attempt,
                jobs.max_attempts(),
                type(exc).__name__,
                exc,
                delay,
            )
            self._record(row, partial(_reschedule, row, exc, delay))
            return False
        logger.error(
            "Job %s (%s) failed after %d tr%s",
            row.id,
            row.task_path,
            attempt,
            "y" if attempt == 1 else "ies",
            exc_info=exc,
        )
        self._record(row, partial(row.set_failed, exc))
        return True

    def _record(self, row: DBTaskResult, write: Callable[[], object]) -> None:
        jobs.retry_transient(write, what=f"Recording the outcome of job {row.id}")


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
            type=db_worker.valid_interval,
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
            type=db_worker.valid_max_tasks,
            default=None,
            help="Exit after this many jobs (lets a supervisor recycle the process).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_rq"):
            from bellwether.core import rq_worker

            rq_worker.run(
                queue_names=options["queue_name"].split(","),
                batch=options["batch"],
                max_tasks=options["max_tasks"],
            )
            return
        # django-tasks-db's logging set-up: job starts and ends, at the verbosity asked.
        db_worker.Command(
            stdout=cast(TextIO, self.stdout), stderr=cast(TextIO, self.stderr)
        ).configure_logging(options["verbosity"])
        worker = Worker(
            queue_names=options["queue_name"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        # Never reload on code changes: a reload can cut a job short.
        worker.configure_signals()
        try:
            worker.run()
        finally:
            worker.reset_signals()
