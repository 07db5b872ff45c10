"""The scheduler: slots, one run per job and due time, failures kept, two schedulers
racing, and `bellwether run-due`."""

from __future__ import annotations

import datetime as dt
import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bellwether.core import scheduler, slots
from bellwether.core.models import ScheduledRun
from bellwether.testing.concurrency import at_once

UTC = dt.UTC
NOW = dt.datetime(2026, 5, 13, 9, 30, tzinfo=UTC)  # a Wednesday


def counting_job(name: str = "test.count", **kwargs) -> tuple[scheduler.Job, list[int]]:
    calls: list[int] = []
    lock = threading.Lock()

    def run() -> str:
        with lock:
            calls.append(1)
        return f"call {len(calls)}"

    return scheduler.Job(name=name, title=name, run=run, **kwargs), calls


# --- slots -------------------------------------------------------------------------------


def test_daily_hourly_and_weekly_slots() -> None:
    day, six = dt.timedelta(days=1), dt.timedelta(hours=6)
    assert slots.latest_slot(NOW, every=day, at=six) == dt.datetime(2026, 5, 13, 6, tzinfo=UTC)
    assert slots.next_slot(NOW, every=day, at=six) == dt.datetime(2026, 5, 14, 6, tzinfo=UTC)
    early = NOW.replace(hour=5)
    assert slots.latest_slot(early, every=day, at=six) == dt.datetime(2026, 5, 12, 6, tzinfo=UTC)
    hour = dt.timedelta(hours=1)
    assert slots.latest_slot(NOW, every=hour, at=dt.timedelta(minutes=45)) == dt.datetime(
        2026, 5, 13, 8, 45, tzinfo=UTC
    )
    # Weekly slots count from a Monday: one day and seven hours in is Tuesday 07:00.
    week = slots.latest_slot(NOW, every=dt.timedelta(days=7), at=dt.timedelta(days=1, hours=7))
    assert week == dt.datetime(2026, 5, 12, 7, tzinfo=UTC)
    # A slot is due at its own instant.
    assert slots.latest_slot(NOW.replace(hour=6, minute=0), every=day, at=six).hour == 6


def test_slot_descriptions_and_bad_periods() -> None:
    assert slots.describe(every=dt.timedelta(days=1), at=dt.timedelta(hours=6)) == (
        "every day at 06:00 UTC"
    )
    assert slots.describe(every=dt.timedelta(hours=1), at=dt.timedelta(minutes=5)) == (
        "every hour at :05"
    )
    assert slots.describe(every=dt.timedelta(days=7), at=dt.timedelta(days=1, hours=7)) == (
        "every Tuesday at 07:00 UTC"
    )
    with pytest.raises(ValueError, match="within one period"):
        scheduler.Job(name="x", title="x", run=lambda: None, at=dt.timedelta(days=2))
    with pytest.raises(ValueError, match="positive"):
        scheduler.Job(name="x", title="x", run=lambda: None, every=dt.timedelta(0))


# --- the registry ------------------------------------------------------------------------


def test_every_periodic_job_is_declared_once() -> None:
    names = {job.name for job in scheduler.registry()}
    assert {
        "surveys.recurring_pulses",
        "surveys.release_results",
        "assessments.release_cycles",
        "behaviours.check_in_nudges",
        "communications.overdue_digests",
        "communications.audience_ratings",
        "reviews.reviewer_reminders",
        "people.upload_retention",
        "insights.kpi_snapshots",
        "core.prune_scheduled_runs",
    } <= names


def test_a_name_declared_twice_is_refused(monkeypatch) -> None:
    class Module:
        JOBS = [scheduler.Job(name="same", title="a", run=lambda: None)] * 2

    monkeypatch.setattr(scheduler, "app_modules", lambda submodule: iter([Module]))
    with pytest.raises(ValueError, match="used twice: same"):
        scheduler.registry()


# --- running -----------------------------------------------------------------------------


def test_a_job_runs_once_per_due_time(db) -> None:
    job, calls = counting_job(every=scheduler.HOUR)
    first = scheduler.run_due(now=NOW, jobs_to_run=[job])
    again = scheduler.run_due(now=NOW + dt.timedelta(minutes=20), jobs_to_run=[job])
    later = scheduler.run_due(now=NOW + dt.timedelta(minutes=40), jobs_to_run=[job])
    assert len(first) == 1
    assert again == []
    assert len(later) == 1
    assert len(calls) == 2
    runs = list(ScheduledRun.objects.order_by("due_at"))
    assert [r.due_at for r in runs] == [NOW.replace(minute=0), NOW.replace(hour=10, minute=0)]
    assert [r.status for r in runs] == ["done", "done"]
    assert runs[0].outcome == "call 1"
    assert runs[0].finished_at is not None


def test_a_slot_another_scheduler_claimed_is_skipped(db) -> None:
    job, calls = counting_job()
    ScheduledRun.objects.create(job=job.name, due_at=job.due_at(NOW), started_at=NOW)
    assert scheduler.run_due(now=NOW, jobs_to_run=[job]) == []
    assert calls == []


def test_a_failing_job_is_recorded_and_the_others_still_run(db) -> None:
    def broken() -> None:
        raise RuntimeError("the mail server said no")

    bad = scheduler.Job(name="test.broken", title="Broken", run=broken)
    good, calls = counting_job()
    runs = scheduler.run_due(now=NOW, jobs_to_run=[bad, good])
    assert [(r.job, r.status) for r in runs] == [("test.broken", "failed"), ("test.count", "done")]
    assert runs[0].outcome == "RuntimeError: the mail server said no"
    assert calls == [1]
    # Failed for this due time: not retried until the next one.
    assert scheduler.run_due(now=NOW + dt.timedelta(hours=1), jobs_to_run=[bad]) == []
    status = scheduler.statuses(now=NOW, jobs_listed=[bad, good])
    assert status[0].failures == 1
    assert status[0].last_failure == runs[0]
    assert status[1].failures == 0
    assert status[1].last == runs[1]
    assert status[1].next_at == dt.datetime(2026, 5, 14, tzinfo=UTC)


def test_a_run_left_running_by_a_dead_process_is_closed_as_failed(db, settings) -> None:
    settings.BELLWETHER_SCHEDULE_STALE_MINUTES = 60
    stale = ScheduledRun.objects.create(
        job="test.x", due_at=NOW - dt.timedelta(hours=3), started_at=NOW - dt.timedelta(hours=3)
    )
    fresh = ScheduledRun.objects.create(
        job="test.y", due_at=NOW, started_at=NOW - dt.timedelta(minutes=10)
    )
    scheduler.run_due(now=NOW, jobs_to_run=[])
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert stale.status == "failed"
    assert "stopped" in stale.outcome
    assert fresh.status == "running"


def test_old_runs_are_pruned(db) -> None:
    ScheduledRun.objects.create(job="a", due_at=NOW - dt.timedelta(days=91), started_at=NOW)
    kept = ScheduledRun.objects.create(job="a", due_at=NOW - dt.timedelta(days=5), started_at=NOW)
    assert scheduler.prune_runs(now=NOW) == "1 old run(s) deleted"
    assert list(ScheduledRun.objects.all()) == [kept]


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_two_schedulers_racing_run_each_job_once() -> None:
    jobs = [counting_job(f"test.race{i}") for i in range(5)]

    def scheduler_run() -> int:
        return len(scheduler.run_due(now=NOW, jobs_to_run=[j for j, _ in jobs]))

    made, failures = at_once([scheduler_run] * 4)
    assert failures == []
    assert sum(made) == 5
    assert [len(calls) for _, calls in jobs] == [1] * 5
    assert ScheduledRun.objects.filter(status="done").count() == 5


# --- the command -------------------------------------------------------------------------


def test_run_due_command_runs_then_reports_failures(db, monkeypatch) -> None:
    job, _calls = counting_job()

    def broken() -> None:
        raise RuntimeError("boom")

    bad = scheduler.Job(name="test.broken", title="Broken", run=broken)
    monkeypatch.setattr(scheduler, "registry", lambda: [job])
    out = StringIO()
    call_command("run_due", stdout=out)
    call_command("run_due", stdout=out)
    assert out.getvalue() == "test.count: done call 1\n"
    monkeypatch.setattr(scheduler, "registry", lambda: [bad])
    with pytest.raises(CommandError, match="1 scheduled job\\(s\\) failed"):
        call_command("run_due", stdout=out)
    listing = StringIO()
    call_command("run_due", "--list", stdout=listing)
    assert "test.broken" in listing.getvalue()
    assert "every day at 00:00 UTC" in listing.getvalue()
    with pytest.raises(CommandError, match="at least 1 second"):
        call_command("run_due", "--loop", "--interval", "0")
