"""Everything periodic, declared in one place and run once per due time.

Each app lists its periodic jobs in ``<app>/schedule.py`` as ``JOBS = [Job(...)]``;
``registry()`` gathers them (the same discovery as the demo's). ``run_due()`` runs each
job whose latest slot (``core/slots.py``) has no run yet: it first claims the slot by
inserting a ``ScheduledRun`` row, unique per job and due time, so two schedulers started
at once (two cron entries, two machines, a cron entry and ``run-due --loop``) never run
a job twice for one slot; the loser of the insert skips it.

``bellwether run-due`` calls it once (from cron, every few minutes); ``--loop`` keeps
calling it (for a container). A slot that passed while nothing ran is not caught up
one by one: the latest slot runs, and every job does all that is due when it runs.
"""

from __future__ import annotations

import datetime as dt
import logging
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from bellwether.core import jobs, slots
from bellwether.core.app_modules import app_modules
from bellwether.core.models import ScheduledRun

logger = logging.getLogger("bellwether.scheduler")

HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)
# How long runs are kept (``prune_runs``, itself a scheduled job).
KEPT = dt.timedelta(days=90)


@dataclass(frozen=True)
class Job:
    """A periodic job: ``run()`` does all that is due and says what it did."""

    name: str
    title: str
    run: Callable[[], object] = field(compare=False)
    every: dt.timedelta = DAY
    at: dt.timedelta = dt.timedelta(0)

    def __post_init__(self) -> None:
        slots.latest_slot(slots.EPOCH, every=self.every, at=self.at)  # checks the period

    def due_at(self, now: dt.datetime) -> dt.datetime:
        return slots.latest_slot(now, every=self.every, at=self.at)

    def next_at(self, now: dt.datetime) -> dt.datetime:
        return slots.next_slot(now, every=self.every, at=self.at)

    @property
    def when(self) -> str:
        return slots.describe(every=self.every, at=self.at)


def registry() -> list[Job]:
    """Every app's jobs, in INSTALLED_APPS order; a name used twice is a mistake."""
    found: list[Job] = []
    for module in app_modules("schedule"):
        found.extend(getattr(module, "JOBS", []))
    names = [job.name for job in found]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"scheduled job names used twice: {', '.join(duplicates)}")
    return found


def _claim(job: Job, due: dt.datetime, now: dt.datetime) -> ScheduledRun | None:
    """This scheduler's run of ``job`` for ``due``, or None if another one has it."""
    try:
        with transaction.atomic():
            return ScheduledRun.objects.create(
                job=job.name, due_at=due, started_at=now, host=socket.gethostname()[:200]
            )
    except IntegrityError:
        return None


def _finish(run: ScheduledRun, status: str, outcome: str) -> None:
    run.status = status
    run.outcome = outcome[:500]
    run.finished_at = timezone.now()
    jobs.retry_transient(
        lambda: run.save(update_fields=["status", "outcome", "finished_at"]),
        what=f"Recording the outcome of scheduled job {run.job}",
    )


def close_stale_runs(*, now: dt.datetime) -> int:
    """Mark failed the runs still "running" long after they started (the process that
    ran them stopped): the page shows them as failures rather than forever running."""
    cutoff = now - dt.timedelta(minutes=settings.BELLWETHER_SCHEDULE_STALE_MINUTES)
    return ScheduledRun.objects.filter(
        status=ScheduledRun.Status.RUNNING, started_at__lt=cutoff
    ).update(
        status=ScheduledRun.Status.FAILED,
        finished_at=now,
        outcome="Did not finish: the process running it stopped.",
    )


def run_due(
    *, now: dt.datetime | None = None, jobs_to_run: Iterable[Job] | None = None
) -> list[ScheduledRun]:
    """Run every job due at ``now`` that no scheduler has run for its latest slot; the
    runs this call made (done or failed). One job failing never stops the others."""
    now = now or timezone.now()
    close_stale_runs(now=now)
    ran = []
    for job in registry() if jobs_to_run is None else jobs_to_run:
        run = _claim(job, job.due_at(now), now)
        if run is None:
            continue
        logger.info("Scheduled job %s (due %s) started", job.name, run.due_at.isoformat())
        try:
            result = job.run()
        except Exception as exc:
            logger.exception("Scheduled job %s failed", job.name)
            _finish(run, ScheduledRun.Status.FAILED, f"{type(exc).__name__}: {exc}")
        else:
            _finish(run, ScheduledRun.Status.DONE, "" if result is None else str(result))
            logger.info("Scheduled job %s done: %s", job.name, run.outcome)
        ran.append(run)
    return ran


def prune_runs(*, now: dt.datetime | None = None) -> str:
    """Delete the runs older than ``KEPT``."""
    now = now or timezone.now()
    deleted, _ = ScheduledRun.objects.filter(due_at__lt=now - KEPT).delete()
    return f"{deleted} old run(s) deleted"


@dataclass(frozen=True)
class JobStatus:
    """What the scheduled jobs page shows for one job."""

    job: Job
    last: ScheduledRun | None
    next_at: dt.datetime
    failures: int  # failed runs in the last 30 days
    last_failure: ScheduledRun | None


def statuses(
    *, now: dt.datetime | None = None, jobs_listed: Sequence[Job] | None = None
) -> list[JobStatus]:
    """Each job's last run (within ``KEPT``), next due time and failures in the last 30
    days (two queries)."""
    now = now or timezone.now()
    listed = registry() if jobs_listed is None else list(jobs_listed)
    names = [job.name for job in listed]
    last: dict[str, ScheduledRun] = {}
    recent = ScheduledRun.objects.filter(job__in=names, due_at__gte=now - KEPT)
    for run in recent.order_by("job", "-due_at", "-id"):
        last.setdefault(run.job, run)
    since = now - dt.timedelta(days=30)
    failed = ScheduledRun.objects.filter(
        job__in=names, status=ScheduledRun.Status.FAILED, due_at__gte=since
    ).order_by("job", "-due_at")
    failures: dict[str, list[ScheduledRun]] = {}
    for run in failed:
        failures.setdefault(run.job, []).append(run)
    return [
        JobStatus(
            job=job,
            last=last.get(job.name),
            next_at=job.next_at(now),
            failures=len(failures.get(job.name, [])),
            last_failure=next(iter(failures.get(job.name, [])), None),
        )
        for job in listed
    ]
