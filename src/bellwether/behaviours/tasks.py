"""Background jobs for behaviours: each only calls a service (safe to rerun)."""

from __future__ import annotations

from django_tasks import task

from bellwether.behaviours import services


@task()
def send_check_in_reminders() -> int:
    """Mail today's one-tap check-in link to every leader not yet checked in or reminded."""
    return services.send_all_check_in_reminders()
