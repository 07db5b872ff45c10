"""Readiness: can this process serve? The database answers, and Redis when it is used
(the RQ queue, or ``REDIS_URL`` set)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.db import connection


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _queue() -> None:
    """The database queue's table is there (migrations ran)."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.exists()


def _redis() -> None:
    import redis

    url = str(settings.RQ_QUEUES["default"]["URL"])
    client = redis.Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    finally:
        client.close()


def checks() -> dict[str, Callable[[], None]]:
    """The checks that apply to this configuration, by name."""
    found: dict[str, Callable[[], None]] = {"database": _database}
    backend = settings.TASKS["default"]["BACKEND"]
    if backend.startswith("django_tasks_db"):
        found["queue"] = _queue
    if backend.startswith("django_tasks_rq") or settings.REDIS_URL:
        found["redis"] = _redis
    return found


def readiness() -> tuple[bool, dict[str, str]]:
    """Whether every check passed, and each one's answer ("ok" or what went wrong)."""
    answers: dict[str, str] = {}
    for name, check in checks().items():
        try:
            check()
        except Exception as exc:
            answers[name] = f"{type(exc).__name__}: {exc}"[:300]
        else:
            answers[name] = "ok"
    return all(answer == "ok" for answer in answers.values()), answers
