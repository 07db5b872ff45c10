"""``bellwether worker`` on the Redis queue (``BELLWETHER_TASK_BACKEND=rq``).

RQ's worker runs the jobs django-tasks-rq queued; ``RetryingJob`` gives them the same
retry rule as the database worker (``core.jobs``): a job that fails for a passing
reason (a deferred mail, a database away for a moment) runs again after
``backoff(attempt)``, up to ``max_attempts()`` runs; anything else fails at once and
stays in RQ's failed-job registry (counted on /metrics).
"""

from __future__ import annotations

from typing import Any

import django_rq
from django_tasks_rq import Job

from bellwether.core import jobs

ATTEMPT_KEY = "bellwether_attempt"


class RetryingJob(Job):
    def perform(self) -> Any:
        try:
            return super().perform()
        except Exception as exc:
            attempt = int(self.meta.get(ATTEMPT_KEY, 0)) + 1
            self.meta[ATTEMPT_KEY] = attempt
            self.save_meta()
            if jobs.is_transient(exc) and attempt < jobs.max_attempts():
                self.retries_left = 1
                self.retry_intervals = [round(jobs.backoff(attempt))]
            else:
                self.retries_left = None
            raise


def run(*, queue_names: list[str], batch: bool, max_tasks: int | None) -> None:
    """Run RQ's worker on ``queue_names`` (every configured queue for ``*``). ``batch``:
    in this process (no fork per job) until the queue is empty, for cron and tests."""
    names = list(django_rq.settings.QUEUES) if queue_names == ["*"] else queue_names
    worker = django_rq.get_worker(
        *names, job_class=RetryingJob, worker_class="rq.SimpleWorker" if batch else None
    )
    worker.work(burst=batch, with_scheduler=True, max_jobs=max_tasks)
