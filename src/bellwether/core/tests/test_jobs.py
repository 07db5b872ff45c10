"""Jobs retry with backoff on passing errors, and the worker survives a locked or lost
database: no job, and no mail, is lost or done twice."""

from __future__ import annotations

import smtplib
import sqlite3
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import psycopg
import pytest
from django.db import InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from bellwether.core import audit, jobs
from bellwether.core.mail import MailDeferred, MailServerUnavailable
from bellwether.surveys.models import Invitation
from bellwether.surveys.tests.helpers import launch, people_in
from bellwether.testing.smtp import run_worker, use_database_queue

CALLS: list[str] = []
QUEUE = DBTaskResult._meta.db_table


@task()
def flaky_job(name: str, failures: int, error: str) -> str:
    """Fails with ``error`` on its first ``failures`` runs (counted in CALLS)."""
    CALLS.append(name)
    if CALLS.count(name) <= failures:
        raise {
            "locked": OperationalError("database is locked"),
            "lost": InterfaceError("connection already closed"),
            "smtp": smtplib.SMTPServerDisconnected("Connection unexpectedly closed"),
            "bug": ValueError("a bug"),
        }[error]
    return f"{name} done"


@pytest.fixture(autouse=True)
def _no_calls() -> Iterator[None]:
    CALLS.clear()
    yield
    CALLS.clear()


class FailingStatements:
    """An execute wrapper: the next ``times`` statements containing each of ``words``
    fail with ``error`` before reaching the database, as a locked SQLite file or a
    dropped connection would make them."""

    def __init__(self, *words: str, times: int, error: str = "database is locked") -> None:
        self.words = words
        self.times = times
        self.error = error
        self.failed = 0

    def __call__(self, execute, sql, params, many, context):
        if self.failed < self.times and all(word in sql for word in self.words):
            self.failed += 1
            raise OperationalError(self.error)
        return execute(sql, params, many, context)


@contextmanager
def failing(*wrappers: FailingStatements) -> Iterator[None]:
    with ExitStack() as stack:
        for wrapper in wrappers:
            stack.enter_context(connection.execute_wrapper(wrapper))
        yield


# --- what counts as passing ------------------------------------------------------------


def _real_sqlite_error(path, statement: str, *, locked: bool) -> OperationalError:
    """The error Django raises for a real SQLite failure (its driver error as cause),
    with another connection holding the file's lock or not."""
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS t (x int)")
    if locked:
        holder.execute("BEGIN EXCLUSIVE")
    other = sqlite3.connect(path, timeout=0)
    try:
        other.execute(statement)
    except sqlite3.OperationalError as cause:
        error = OperationalError(*cause.args)
        error.__cause__ = cause
        return error
    finally:
        other.close()
        holder.close()
    raise AssertionError("no error")


def test_a_locked_sqlite_database_is_transient_a_missing_table_is_not(tmp_path) -> None:
    path = tmp_path / "locked.sqlite3"
    locked = _real_sqlite_error(path, "SELECT * FROM t", locked=True)
    assert str(locked) == "database is locked"
    assert jobs.is_transient(locked)
    missing = _real_sqlite_error(path, "SELECT * FROM nowhere", locked=False)
    assert str(missing) == "no such table: nowhere"
    assert not jobs.is_transient(missing)


@pytest.mark.parametrize(
    ("cause", "transient"),
    [
        (psycopg.errors.AdminShutdown("terminating connection due to administrator command"), True),
        (psycopg.errors.DeadlockDetected("deadlock detected"), True),
        (psycopg.errors.SerializationFailure("could not serialize access"), True),
        (psycopg.errors.LockNotAvailable("could not obtain lock"), True),
        (psycopg.errors.TooManyConnections("too many clients"), True),
        (psycopg.OperationalError("consuming input failed: server closed the connection"), True),
        (psycopg.errors.DiskFull("could not extend file"), True),
        (psycopg.errors.ProgramLimitExceeded("index row size exceeds maximum"), False),
    ],
)
def test_postgresql_errors_are_judged_by_their_sqlstate(cause, transient) -> None:
    error = OperationalError(str(cause))
    error.__cause__ = cause
    assert jobs.is_transient(error) is transient


@pytest.mark.parametrize(
    ("error", "transient"),
    [
        (InterfaceError("connection already closed"), True),
        (MailDeferred(sent=1, deferred=1), True),
        (MailServerUnavailable("refused"), True),
        (smtplib.SMTPServerDisconnected("gone"), True),
        (smtplib.SMTPConnectError(554, b"no service"), True),
        (smtplib.SMTPResponseException(451, b"try later"), True),
        (smtplib.SMTPResponseException(550, b"no"), False),
        (smtplib.SMTPAuthenticationError(454, b"temporary auth failure"), True),
        (smtplib.SMTPRecipientsRefused({"a@x.test": (452, b"full"), "b@x.test": (451, b"")}), True),
        (
            smtplib.SMTPRecipientsRefused({"a@x.test": (452, b"full"), "b@x.test": (550, b"")}),
            False,
        ),
        (smtplib.SMTPNotSupportedError("SMTPUTF8 not supported"), False),
        (ConnectionRefusedError(111, "refused"), True),
        (TimeoutError("timed out"), True),
        (ValueError("a bug"), False),
        (KeyError("a bug"), False),
    ],
)
def test_what_is_worth_another_try(error, transient) -> None:
    assert jobs.is_transient(error) is transient


def test_the_backoff_doubles_up_to_its_ceiling(settings) -> None:
    settings.BELLWETHER_JOB_BACKOFF_SECONDS = 5
    settings.BELLWETHER_JOB_BACKOFF_MAX_SECONDS = 900
    assert [jobs.backoff(n) for n in range(1, 10)] == [5, 10, 20, 40, 80, 160, 320, 640, 900]
    assert jobs.backoff(50) == 900


# --- waiting out an error in place ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_short_write_waits_out_a_locked_database(settings, monkeypatch) -> None:
    settings.BELLWETHER_JOB_BACKOFF_SECONDS = 2
    settings.BELLWETHER_JOB_ATTEMPTS = 5
    waits: list[float] = []
    monkeypatch.setattr(jobs.time, "sleep", waits.append)
    lock = FailingStatements("INSERT", "core_auditevent", times=3)
    with failing(lock):
        event = jobs.retry_transient(
            lambda: audit.record(action="test.written", organisation=None),
            what="a test write",
        )
    assert event.pk is not None
    assert lock.failed == 3
    # 2 s, 4 s, 8 s, each with up to half taken off so that processes spread out.
    assert [1 <= waits[0] <= 2, 2 <= waits[1] <= 4, 4 <= waits[2] <= 8] == [True] * 3


@pytest.mark.django_db(transaction=True)
def test_a_short_write_gives_up_after_the_last_try(settings, monkeypatch) -> None:
    settings.BELLWETHER_JOB_ATTEMPTS = 3
    monkeypatch.setattr(jobs.time, "sleep", lambda _s: None)
    lock = FailingStatements("SELECT", times=10)
    with failing(lock), pytest.raises(OperationalError):
        jobs.retry_transient(lambda: DBTaskResult.objects.count(), what="a test read")
    assert lock.failed == 3


def test_inside_a_transaction_nothing_is_retried(db, monkeypatch) -> None:
    monkeypatch.setattr(jobs.time, "sleep", lambda _s: pytest.fail("waited"))
    lock = FailingStatements("SELECT", times=1)
    with failing(lock), pytest.raises(OperationalError):
        jobs.retry_transient(lambda: DBTaskResult.objects.count(), what="a test read")
    assert lock.failed == 1


# --- the worker -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("error", ["locked", "lost", "smtp"])
def test_a_job_failing_for_a_passing_reason_runs_again(settings, error) -> None:
    use_database_queue(settings)
    flaky_job.enqueue("a", 2, error)
    run_worker()
    job = DBTaskResult.objects.get()
    assert (job.status, job.return_value, len(job.worker_ids)) == ("SUCCESSFUL", "a done", 3)
    assert CALLS == ["a", "a", "a"]


@pytest.mark.django_db(transaction=True)
def test_a_retried_job_waits_its_backoff(settings) -> None:
    use_database_queue(settings)
    settings.BELLWETHER_JOB_BACKOFF_SECONDS = 30
    flaky_job.enqueue("a", 1, "locked")
    before = timezone.now()
    run_worker()  # runs once; the retry is not due yet, so the batch ends
    job = DBTaskResult.objects.get()
    assert (job.status, len(job.worker_ids)) == ("READY", 1)
    assert job.exception_class_path == "django.db.utils.OperationalError"
    assert "database is locked" in job.traceback
    assert 30 <= (job.run_after - before).total_seconds() < 32
    run_worker()
    assert CALLS == ["a"]  # still waiting
    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    job.refresh_from_db()
    assert (job.status, len(job.worker_ids)) == ("SUCCESSFUL", 2)


@pytest.mark.django_db(transaction=True)
def test_a_bug_fails_the_job_at_once_and_the_worker_goes_on(settings) -> None:
    use_database_queue(settings)
    flaky_job.enqueue("bug", 1, "bug")
    flaky_job.enqueue("fine", 0, "bug")
    run_worker()
    status = dict(DBTaskResult.objects.values_list("args_kwargs__args__0", "status"))
    assert status == {"bug": "FAILED", "fine": "SUCCESSFUL"}
    assert CALLS.count("bug") == 1


@pytest.mark.django_db(transaction=True)
def test_a_job_that_keeps_failing_stops_after_the_last_try(settings) -> None:
    use_database_queue(settings)
    settings.BELLWETHER_JOB_ATTEMPTS = 4
    flaky_job.enqueue("a", 99, "locked")
    run_worker()
    job = DBTaskResult.objects.get()
    assert (job.status, len(job.worker_ids)) == ("FAILED", 4)
    assert job.exception_class_path == "django.db.utils.OperationalError"


@pytest.mark.django_db(transaction=True)
def test_the_worker_survives_losing_the_database_while_it_looks_for_work(settings) -> None:
    use_database_queue(settings)
    flaky_job.enqueue("a", 0, "locked")
    # django-tasks-db's worker dies on any error but "locked" here.
    lost = FailingStatements(
        "SELECT",
        QUEUE,
        times=3,
        error="server closed the connection unexpectedly",
    )
    with failing(lost):
        run_worker()
    assert lost.failed == 3
    job = DBTaskResult.objects.get()
    assert (job.status, job.return_value) == ("SUCCESSFUL", "a done")


@pytest.mark.django_db(transaction=True)
def test_the_outcome_is_recorded_even_if_the_database_is_locked_when_the_job_ends(
    settings,
) -> None:
    use_database_queue(settings)
    flaky_job.enqueue("a", 0, "locked")
    # More failures than django-tasks-db's own three quick tries.
    lock = FailingStatements("UPDATE", QUEUE, "return_value", times=5)
    with failing(lock):
        run_worker()
    assert lock.failed == 5
    job = DBTaskResult.objects.get()
    assert (job.status, job.return_value, len(job.worker_ids)) == ("SUCCESSFUL", "a done", 1)
    assert CALLS == ["a"]  # the job itself ran once


# --- queuing ----------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_job_is_queued_with_its_transaction_and_rolled_back_with_it(settings) -> None:
    use_database_queue(settings)
    with transaction.atomic():
        jobs.enqueue_on_commit(flaky_job, "kept", 0, "bug")
        # Written inside the transaction: it cannot be lost after the commit.
        assert DBTaskResult.objects.count() == 1
    with transaction.atomic():
        jobs.enqueue_on_commit(flaky_job, "dropped", 0, "bug")
        transaction.set_rollback(True)
    assert list(DBTaskResult.objects.values_list("args_kwargs__args__0", flat=True)) == ["kept"]


@pytest.mark.django_db(transaction=True)
def test_with_jobs_run_at_once_a_job_waits_for_the_commit() -> None:
    with transaction.atomic():
        jobs.enqueue_on_commit(flaky_job, "a", 0, "bug")
        assert CALLS == []
    assert CALLS == ["a"]


# --- the whole path: a campaign's mail through a locked database and a flaky server ---------


@pytest.mark.django_db(transaction=True)
def test_every_invitation_is_mailed_exactly_once_through_locks_and_deferrals(
    worker_mail_server, org, unit
) -> None:
    people = people_in(org, unit, 6)
    worker_mail_server.defer = {people[4].email: 2}
    campaign = launch(org, people=people, send_email=True)
    marks = FailingStatements("UPDATE", "surveys_invitation", "invited_at", times=4)
    claims = FailingStatements("SELECT", QUEUE, times=2, error="database is locked")
    lost = FailingStatements(
        "SELECT",
        "surveys_invitation",
        times=1,
        error="server closed the connection unexpectedly",
    )
    outcome = FailingStatements("UPDATE", QUEUE, "return_value", times=4)
    with failing(marks, claims, lost, outcome):
        run_worker()
    assert (marks.failed, claims.failed, lost.failed, outcome.failed) == (4, 2, 1, 4)
    job = DBTaskResult.objects.get()
    assert job.status == "SUCCESSFUL"
    # Try 1: the database went away reading the invitations; try 2: five sent, one
    # deferred; try 3: deferred again; try 4: the last one.
    assert len(job.worker_ids) == 4
    assert worker_mail_server.counts() == {p.email: 1 for p in people}
    assert not Invitation.objects.filter(campaign=campaign, invited_at__isnull=True).exists()


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_marks_commit_without_waiting_for_the_disk_and_the_setting_is_put_back() -> None:
    def setting() -> str:
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            return str(cursor.fetchone()[0])

    assert setting() == "on"
    with jobs.unhurried_commits():
        assert setting() == "off"
    assert setting() == "on"
