"""Background work: queuing a job with the data it is for, and retrying what failed for
a passing reason (a locked or unreachable database, a mail server that said "later").

``bellwether worker`` (``core/management/commands/worker.py``) runs the jobs: one that
raises ``RetryLater`` or a transient error (``is_transient``) is put back in the queue
and runs again after ``backoff(attempt)``, up to ``max_attempts()`` runs; the worker
itself logs such errors and carries on. Jobs are written so that a rerun only does
what is left (every mail job skips what an earlier run already handed to SMTP).
"""

from __future__ import annotations

import logging
import random
import smtplib
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.db import (
    DEFAULT_DB_ALIAS,
    InterfaceError,
    OperationalError,
    connections,
    router,
    transaction,
)

logger = logging.getLogger("bellwether.jobs")

T = TypeVar("T")


class RetryLater(Exception):
    """Raised by a job whose work is not finished for a passing reason (some mail was
    deferred by the server): the worker runs the job again after a backoff."""


# --- what is worth another try ---------------------------------------------------------

# SQLite result codes (the low byte of the extended code): the database is busy or a
# table is locked by another connection.
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6
# PostgreSQL SQLSTATE classes that pass: connection exceptions (08), serialisation
# failures and deadlocks (40), insufficient resources (53), operator intervention such
# as a restart or a statement timeout (57); and 55P03, a lock not available in time.
_PG_TRANSIENT_CLASSES = {"08", "40", "53", "57"}
_PG_TRANSIENT_STATES = {"55P03"}
# Words of the messages of the same errors, for a driver that gives no code.
_TRANSIENT_WORDS = (
    "locked",
    "busy",
    "connection",
    "server closed",
    "terminating",
    "timeout",
    "timed out",
    "deadlock",
)


def _transient_database_error(exc: OperationalError) -> bool:
    cause = exc.__cause__
    if isinstance(cause, sqlite3.Error):
        code = getattr(cause, "sqlite_errorcode", None)
        if code is not None:
            return code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
    sqlstate = getattr(cause, "sqlstate", None)
    if sqlstate:
        return sqlstate[:2] in _PG_TRANSIENT_CLASSES or sqlstate in _PG_TRANSIENT_STATES
    text = str(exc).lower()
    return any(word in text for word in _TRANSIENT_WORDS)


def is_transient(exc: BaseException) -> bool:
    """Whether the same work may well succeed if simply tried again later.

    Yes: ``RetryLater``; a locked or busy database, a lost or refused database
    connection; a mail server that is unreachable, hung up, or answered with a 4xx
    (temporary) code. No: everything else, including a 5xx (permanent) SMTP answer and
    SQL errors such as a missing table, which no retry can fix.
    """
    if isinstance(exc, RetryLater | InterfaceError):
        return True
    if isinstance(exc, OperationalError):
        return _transient_database_error(exc)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _text in exc.recipients.values()]
        return bool(codes) and all(400 <= code < 500 for code in codes)
    if isinstance(exc, smtplib.SMTPServerDisconnected | smtplib.SMTPConnectError):
        return True
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPException):
        return False  # e.g. the server cannot take an international address
    # Sockets: refused, reset, unreachable, timed out (smtplib's errors are OSErrors too,
    # hence their handling above).
    return isinstance(exc, ConnectionError | TimeoutError)


# --- how long to wait ------------------------------------------------------------------------


def max_attempts() -> int:
    """How many times a job runs at most (the first run included)."""
    return max(1, int(getattr(settings, "BELLWETHER_JOB_ATTEMPTS", 12)))


def backoff(attempt: int) -> float:
    """Seconds to wait after the ``attempt``-th failed try: the base delay, doubled after
    each try, at most the ceiling (5 s, 10 s, 20 s, … 15 min by default)."""
    base = float(getattr(settings, "BELLWETHER_JOB_BACKOFF_SECONDS", 5.0))
    ceiling = float(getattr(settings, "BELLWETHER_JOB_BACKOFF_MAX_SECONDS", 900.0))
    return float(min(ceiling, base * 2 ** max(0, attempt - 1)))


def _drop_broken_connections() -> None:
    """Close connections that no longer work (the next query opens a new one); a working
    one is kept, with its session settings (see ``unhurried_commits``)."""
    for database in connections.all(initialized_only=True):
        if database.connection is not None and not database.is_usable():
            database.close()


def retry_transient(operation: Callable[[], T], *, what: str, using: str = DEFAULT_DB_ALIAS) -> T:
    """Run ``operation``; while it fails with a transient error, wait (``backoff``, with
    jitter so that several processes do not all come back at once) and run it again, up to
    ``max_attempts()`` times in all.

    For short writes that must not be lost once their cause happened (recording that a
    mail was handed to SMTP, a job's outcome). Inside a transaction it does not retry: the
    error has spoilt the transaction, so only whoever started it can start again.
    """
    attempts = max_attempts()
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except Exception as exc:
            if attempt == attempts or not is_transient(exc) or connections[using].in_atomic_block:
                raise
            delay = backoff(attempt) * random.uniform(0.5, 1.0)
            logger.warning(
                "%s failed (%s: %s); try %d of %d in %.1f s",
                what,
                type(exc).__name__,
                exc,
                attempt + 1,
                attempts,
                delay,
            )
            _drop_broken_connections()
            time.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


@contextmanager
def unhurried_commits(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """On PostgreSQL, let the commits inside not wait for the disk (``synchronous_commit``
    off for this connection). Each one still commits, in order, and outlives this
    process; only a crash of the database server itself within a fraction of a second
    could lose the last few. For marking mails sent one at a time: waiting for the disk
    took 3-4 ms a message on the benchmark machine (0.4 ms without), while a lost mark
    costs at worst one message sent twice."""
    database = connections[using]
    if database.vendor != "postgresql" or database.in_atomic_block:
        yield
        return
    with database.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        try:
            with database.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")
        except Exception:
            # Never hand the setting back to the pool with a connection we cannot reset.
            database.close()


# --- queuing ---------------------------------------------------------------------------------


def _stored_in(task: Any, using: str) -> bool:
    """Whether ``task`` is queued as a row of database ``using`` (django-tasks' database
    backend), rather than run at once or sent elsewhere."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    return isinstance(task.get_backend(), DatabaseBackend) and (
        router.db_for_write(DBTaskResult) == using
    )


def enqueue_on_commit(task: Any, /, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` so that it runs only once the current transaction has committed.

    With the database queue (production), the job's row is written inside the
    transaction: it commits with the data it is for, or rolls back with it, and the
    worker cannot see it before. So a job can neither run for rows a rollback removed,
    nor be lost because writing it after the commit failed (a locked SQLite database,
    a dropped connection). With any other backend (tests run jobs at once), the job is
    queued when the transaction commits, never inside it.
    """
    using = DEFAULT_DB_ALIAS
    if connections[using].in_atomic_block and _stored_in(task, using):
        task.enqueue(*args, **kwargs)
    else:
        transaction.on_commit(partial(task.enqueue, *args, **kwargs), using=using)
