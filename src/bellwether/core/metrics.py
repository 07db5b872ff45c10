"""Prometheus metrics: requests, the job queue, mail failures and the scheduler.

Counters (requests, mails) live in the process that counts them. With several processes
(gunicorn's workers, ``bellwether worker``), set ``PROMETHEUS_MULTIPROC_DIR`` to a
directory they share, emptied at start: prometheus-client then adds them up on each
scrape (see the README, "Health and metrics"). Gauges about the queue and the scheduler
are read from the database (or Redis) when scraped, so any web process gives the whole
installation's figures.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import secrets
import time
from collections.abc import Callable, Iterator

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

REQUESTS = Counter(
    "bellwether_http_requests",
    "HTTP requests answered, by method, URL name and status.",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "bellwether_http_request_duration_seconds",
    "Time to answer an HTTP request, by method.",
    ["method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)
EMAILS = Counter(
    "bellwether_emails",
    "Mails handed to the SMTP server: sent, or refused (transient: tried again later).",
    ["outcome"],
)

MAIL_OUTCOMES = ("sent", "refused_transient", "refused_permanent")
for _outcome in MAIL_OUTCOMES:  # every series from 0, so that a rate sees the first one
    EMAILS.labels(outcome=_outcome)


def count_mail(outcome: str) -> None:
    """``sent``, ``refused_transient`` or ``refused_permanent``."""
    EMAILS.labels(outcome=outcome).inc()


class RequestMetricsMiddleware:
    """Counts each request by method, URL name (never the raw path: ids would make a
    series each) and status, and times it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or "unnamed") if match else "unmatched"
        REQUESTS.labels(request.method or "", view, str(response.status_code)).inc()
        LATENCY.labels(request.method or "").observe(time.perf_counter() - started)
        return response


class QueueCollector(Collector):
    """The job queue's depth, the age of its oldest waiting job and its failed jobs; and
    each scheduled job's failures and last success. Read when scraped."""

    def collect(self) -> Iterator[GaugeMetricFamily]:
        depth = GaugeMetricFamily(
            "bellwether_job_queue_depth", "Jobs waiting to run, by queue.", labels=["queue"]
        )
        age = GaugeMetricFamily(
            "bellwether_job_queue_oldest_age_seconds",
            "How long the oldest job that could run has waited, by queue.",
            labels=["queue"],
        )
        failed = GaugeMetricFamily(
            "bellwether_job_queue_failed", "Jobs that failed for good, by queue.", labels=["queue"]
        )
        for queue, waiting, oldest, failures in _queue_figures():
            depth.add_metric([queue], waiting)
            age.add_metric([queue], oldest)
            failed.add_metric([queue], failures)
        yield depth
        yield age
        yield failed
        yield from _scheduler_figures()


def _queue_figures() -> list[tuple[str, int, float, int]]:
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_rq"):
        return _rq_figures()
    if not backend.startswith("django_tasks_db"):
        return []
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    now = timezone.now()
    ready = Q(status=TaskResultStatus.READY)
    runnable = ready & (Q(run_after__isnull=True) | Q(run_after__lte=now))
    rows = DBTaskResult.objects.values("queue_name").annotate(
        waiting=Count("id", filter=ready),
        oldest=Min("enqueued_at", filter=runnable),
        failures=Count("id", filter=Q(status=TaskResultStatus.FAILED)),
    )
    return [
        (
            row["queue_name"],
            row["waiting"],
            (now - row["oldest"]).total_seconds() if row["oldest"] else 0.0,
            row["failures"],
        )
        for row in rows.order_by("queue_name")
    ]


def _rq_figures() -> list[tuple[str, int, float, int]]:
    import django_rq
    from rq.job import Job

    figures = []
    for name in settings.RQ_QUEUES:
        queue = django_rq.get_queue(name)
        oldest = 0.0
        first = queue.get_job_ids(0, 1)
        if first:
            job = Job.fetch(first[0], connection=queue.connection)
            if job.enqueued_at is not None:
                enqueued = job.enqueued_at.replace(tzinfo=job.enqueued_at.tzinfo or dt.UTC)
                oldest = max(0.0, (timezone.now() - enqueued).total_seconds())
        figures.append((name, queue.count, oldest, queue.failed_job_registry.count))
    return figures


def _scheduler_figures() -> Iterator[GaugeMetricFamily]:
    from bellwether.core.models import ScheduledRun

    since = timezone.now() - dt.timedelta(days=1)
    failures = GaugeMetricFamily(
        "bellwether_scheduled_job_failures_24h",
        "Failed scheduled runs in the last 24 hours, by job.",
        labels=["job"],
    )
    last_ok = GaugeMetricFamily(
        "bellwether_scheduled_job_last_success_timestamp_seconds",
        "When each scheduled job last finished without error.",
        labels=["job"],
    )
    rows = ScheduledRun.objects.values("job").annotate(
        failed=Count("id", filter=Q(status=ScheduledRun.Status.FAILED, due_at__gte=since)),
        last=Max("finished_at", filter=Q(status=ScheduledRun.Status.DONE)),
    )
    for row in rows.order_by("job"):
        failures.add_metric([row["job"]], row["failed"])
        if row["last"] is not None:
            last_ok.add_metric([row["job"]], row["last"].timestamp())
    yield failures
    yield last_ok


def exposition() -> bytes:
    """The metrics page: this process's (or, in multiprocess mode, every process's)
    counters, then the figures read from the database."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        counted = CollectorRegistry()
        MultiProcessCollector(counted)
    else:
        counted = REGISTRY
    read = CollectorRegistry()
    read.register(QueueCollector())
    return generate_latest(counted) + generate_latest(read)


def allowed(request: HttpRequest) -> bool:
    """The metrics token as a bearer token, or an address in the allow-list."""
    token = settings.BELLWETHER_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    if token and header.startswith("Bearer "):
        return secrets.compare_digest(header.removeprefix("Bearer ").strip(), token)
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(
        address in ipaddress.ip_network(network, strict=False)
        for network in settings.BELLWETHER_METRICS_ALLOW
    )


CONTENT_TYPE = CONTENT_TYPE_LATEST
