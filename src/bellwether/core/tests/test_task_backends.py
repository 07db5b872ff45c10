"""Both queue engines: the database queue (the default) and RQ on Redis
(``BELLWETHER_TASK_BACKEND=rq``), each through ``bellwether worker --batch``, with the
same retry rule for passing failures."""

from __future__ import annotations

import uuid

import django_rq
import pytest
from django.core.management import call_command
from django.db import transaction
from django_tasks import TaskResultStatus, task, task_backends

from bellwether.core import jobs
from bellwether.testing.jobs import store_jobs_in_database

RUNS: dict[str, int] = {}


@task()
def double(value: int) -> int:
    return value * 2


@task()
def flaky(key: str, failures: int) -> str:
    """Fails for a passing reason ``failures`` times, then succeeds."""
    RUNS[key] = RUNS.get(key, 0) + 1
    if RUNS[key] <= failures:
        raise jobs.RetryLater("the mail server said later")
    return f"done after {RUNS[key]}"


@task()
def broken(key: str) -> None:
    RUNS[key] = RUNS.get(key, 0) + 1
    raise ValueError("no retry can fix this")


@pytest.fixture(params=["database", "rq"])
def backend(request, settings, transactional_db) -> str:
    settings.BELLWETHER_JOB_BACKOFF_SECONDS = 0
    if request.param == "database":
        store_jobs_in_database(settings)
        return "database"
    url = request.getfixturevalue("redis_url")
    queue = f"bellwether-test-{uuid.uuid4().hex[:12]}"
    # A queue of the test's own, so that nothing else using this Redis takes its jobs;
    # django-rq reads results through the "default" connection.
    settings.RQ_QUEUES = {"default": {"URL": url}, queue: {"URL": url}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}
    request.addfinalizer(lambda: _drop_queue(queue))  # noqa: PT021 (the other branch returns)
    return queue


def _drop_queue(name: str) -> None:
    queue = django_rq.get_queue(name)
    for registry in (queue.failed_job_registry, queue.finished_job_registry):
        for job_id in registry.get_job_ids():
            registry.remove(job_id, delete_job=True)
    queue.delete(delete_jobs=True)


def _queued(backend: str, a_task):
    return a_task if backend == "database" else a_task.using(queue_name=backend)


def _work(backend: str) -> None:
    call_command(
        "worker", "--batch", "--queue-name", "default" if backend == "database" else backend
    )


def test_the_setting_picks_the_engine(backend) -> None:
    engine = type(task_backends["default"]).__name__
    assert engine == ("DatabaseBackend" if backend == "database" else "RQBackend")


def test_a_queued_job_runs_once_on_either_engine(backend) -> None:
    result = _queued(backend, double).enqueue(21)
    assert result.status == TaskResultStatus.READY
    _work(backend)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 42


def test_a_passing_failure_runs_again_on_either_engine(backend) -> None:
    key = uuid.uuid4().hex
    result = _queued(backend, flaky).enqueue(key, 2)
    for _ in range(3):  # the database worker picks the job up again on its next look
        _work(backend)
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "done after 3"
    assert RUNS[key] == 3


def test_a_lasting_failure_is_not_retried_on_either_engine(backend) -> None:
    key = uuid.uuid4().hex
    result = _queued(backend, broken).enqueue(key)
    _work(backend)
    _work(backend)
    result.refresh()
    assert result.status == TaskResultStatus.FAILED
    assert RUNS[key] == 1


@pytest.mark.parametrize("backend", ["rq"], indirect=True)
def test_rq_jobs_are_queued_only_when_the_transaction_commits(
    backend, django_capture_on_commit_callbacks
) -> None:
    # (The database queue writes its row inside the transaction: test_jobs.py.)
    queue = django_rq.get_queue(backend)

    def rolled_back() -> None:
        with transaction.atomic():
            jobs.enqueue_on_commit(_queued(backend, double), 1)
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        rolled_back()
    assert queue.count == 0
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        jobs.enqueue_on_commit(_queued(backend, double), 2)
        assert queue.count == 0
    assert queue.count == 1
