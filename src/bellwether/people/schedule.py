"""People's periodic job: the retention of uploaded HR files."""

from __future__ import annotations

import datetime as dt

from bellwether.core.scheduler import HOUR, Job
from bellwether.people import retention


def purge_uploads() -> str:
    return f"{retention.purge_uploads()} uploaded file(s) deleted"


JOBS = [
    Job(
        name="people.upload_retention",
        title="Delete uploaded HR files past their retention",
        run=purge_uploads,
        every=HOUR,
        at=dt.timedelta(minutes=20),
    ),
]
