"""Background jobs for communications: each only calls a service."""

from __future__ import annotations

from django_tasks import task

from bellwether.communications import alerts, services_ratings


@task()
def send_communication_alerts() -> int:
    """Today's digests to leaders and, on Mondays' run or later in the week, the weekly
    summary to admins (both safe to rerun: nothing is sent twice)."""
    return alerts.send_daily_digests().sent + alerts.send_weekly_summaries().sent


@task()
def collect_communication_ratings() -> int:
    """Release the closed audience-rating campaigns and keep their shown totals (safe to
    rerun)."""
    return services_ratings.release_due_ratings()
