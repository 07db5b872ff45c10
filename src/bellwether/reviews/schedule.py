"""Reviews' periodic job: remind reviewers of reviews coming due."""

from __future__ import annotations

import datetime as dt

from bellwether.core.scheduler import DAY, Job
from bellwether.reviews import services


def remind_reviewers() -> str:
    return f"{services.remind_all_reviewers()} review reminder(s) sent"


JOBS = [
    Job(
        name="reviews.reviewer_reminders",
        title="Remind reviewers of reviews due within 7 days",
        run=remind_reviewers,
        every=DAY,
        at=dt.timedelta(hours=7, minutes=15),
    ),
]
