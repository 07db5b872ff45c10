"""Communications' periodic jobs: overdue digests and summaries, and closed audience
ratings. Both are handed to the worker (they send mail, with its retries)."""

from __future__ import annotations

import datetime as dt

from bellwether.communications.tasks import (
    collect_communication_ratings,
    send_communication_alerts,
)
from bellwether.core.scheduler import DAY, Job


def queue_overdue_digests() -> str:
    send_communication_alerts.enqueue()
    return "digests and weekly summary queued"


def queue_rating_release() -> str:
    collect_communication_ratings.enqueue()
    return "release of closed audience ratings queued"


JOBS = [
    Job(
        name="communications.overdue_digests",
        title="Overdue communication digests and the weekly admin summary",
        run=queue_overdue_digests,
        every=DAY,
        at=dt.timedelta(hours=7),
    ),
    Job(
        name="communications.audience_ratings",
        title="Release closed audience ratings",
        run=queue_rating_release,
        every=DAY,
        at=dt.timedelta(hours=7, minutes=30),
    ),
]
