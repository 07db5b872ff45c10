"""When a periodic job is due: fixed slots counted from a Monday midnight UTC.

A job runs ``every`` (an hour, a day, a week), ``at`` an offset into each period (a
daily job ``at`` 6 hours runs at 06:00 UTC; a weekly one at 1 day 7 hours, Tuesdays at
07:00). The slots are the same whichever machine asks and whenever it asks, so two
schedulers agree on the due time and the database keeps one run per slot.
"""

from __future__ import annotations

import datetime as dt

# A Monday: weekly slots start on Mondays.
EPOCH = dt.datetime(2001, 1, 1, tzinfo=dt.UTC)


def latest_slot(now: dt.datetime, *, every: dt.timedelta, at: dt.timedelta) -> dt.datetime:
    """The last slot at or before ``now`` (an aware datetime)."""
    if every <= dt.timedelta(0):
        raise ValueError("a job must run every positive interval")
    if not dt.timedelta(0) <= at < every:
        raise ValueError("the offset must be within one period")
    periods = (now - EPOCH - at) // every
    return EPOCH + at + periods * every


def next_slot(now: dt.datetime, *, every: dt.timedelta, at: dt.timedelta) -> dt.datetime:
    """The first slot after ``now``."""
    return latest_slot(now, every=every, at=at) + every


def describe(*, every: dt.timedelta, at: dt.timedelta) -> str:
    """ "every day at 06:00 UTC", "every hour at :15", "every 7 days at 07:00 UTC"…"""
    if every < dt.timedelta(hours=1) or every % dt.timedelta(hours=1):
        minutes = int(every.total_seconds() // 60)
        return f"every {minutes} minutes"
    if every == dt.timedelta(hours=1):
        return f"every hour at :{int(at.total_seconds() // 60):02d}"
    if every < dt.timedelta(days=1):
        return f"every {int(every.total_seconds() // 3600)} hours"
    clock = dt.time(int(at.seconds // 3600), int(at.seconds % 3600 // 60)).strftime("%H:%M")
    if every == dt.timedelta(days=1):
        return f"every day at {clock} UTC"
    if every == dt.timedelta(days=7):
        weekday = (EPOCH + at).strftime("%A")
        return f"every {weekday} at {clock} UTC"
    return f"every {every.days} days at {clock} UTC"
