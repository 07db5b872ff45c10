"""The surveys' periodic jobs: this period's recurring pulses, and the release of the
pulses that have closed."""

from __future__ import annotations

import datetime as dt

from bellwether.core.scheduler import DAY, HOUR, Job
from bellwether.surveys import services
from bellwether.surveys.services import releases


def launch_recurring_pulses() -> str:
    return f"{len(services.run_schedules())} campaign(s) launched"


def release_closed_pulses() -> str:
    return f"{releases.release_due()} campaign(s) released"


JOBS = [
    Job(
        name="surveys.recurring_pulses",
        title="Launch this period's recurring pulses",
        run=launch_recurring_pulses,
        every=DAY,
        at=dt.timedelta(hours=5),
    ),
    Job(
        name="surveys.release_results",
        title="Release the results of closed pulses",
        run=release_closed_pulses,
        every=HOUR,
        at=dt.timedelta(minutes=5),
    ),
]
