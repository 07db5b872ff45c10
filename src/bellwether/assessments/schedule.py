"""Readiness cycles' periodic job: release the cycles whose window has passed."""

from __future__ import annotations

import datetime as dt

from bellwether.assessments import release
from bellwether.core.scheduler import HOUR, Job


def release_closed_cycles() -> str:
    return f"{release.release_due_cycles()} readiness cycle(s) released"


JOBS = [
    Job(
        name="assessments.release_cycles",
        title="Release the results of closed readiness cycles",
        run=release_closed_cycles,
        every=HOUR,
        at=dt.timedelta(minutes=10),
    ),
]
