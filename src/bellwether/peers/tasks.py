"""Background jobs for peer networks. Each one only loads what it needs and calls a service."""

from __future__ import annotations

from django_tasks import task

from bellwether.peers import services


@task()
def send_pairing_emails(run_id: int) -> int:
    """Tell both people of each newly published pair."""
    return services.deliver_pairing_emails(run_id=run_id)
