"""Behaviours' periodic job: the daily check-in nudge."""

from __future__ import annotations

import datetime as dt

from bellwether.behaviours import services
from bellwether.core.scheduler import DAY, Job


def nudge_check_ins() -> str:
    return f"{services.send_all_check_in_reminders()} check-in reminder(s) sent"


JOBS = [
    Job(
        name="behaviours.check_in_nudges",
        title="Mail today's one-tap check-in link to leaders not yet checked in",
        run=nudge_check_ins,
        every=DAY,
        at=dt.timedelta(hours=8),
    ),
]
