"""Background jobs for communications: each only calls a service."""

from __future__ import annotations

from django_tasks import task

from bellwether.communications import alerts


@task()
def send_communication_alerts() -> int:
    """Today's digests to leaders and, on Mondays' run or later in the week, the weekly
    summary to admins (both safe to rerun: nothing is sent twice)."""
    return alerts.send_daily_digests().sent + alerts.send_weekly_summaries().sent
