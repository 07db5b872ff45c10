"""Core's periodic job: forgetting old scheduler runs."""

from __future__ import annotations

import datetime as dt

from bellwether.core import scheduler

JOBS = [
    scheduler.Job(
        name="core.prune_scheduled_runs",
        title="Delete scheduler runs older than 90 days",
        run=scheduler.prune_runs,
        every=scheduler.DAY,
        at=dt.timedelta(hours=3, minutes=30),
    ),
]
