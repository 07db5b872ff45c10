"""Background jobs for Slack and Teams: each only calls a service (safe to rerun)."""

from __future__ import annotations

from django_tasks import task

from bellwether.integrations.chat import services


@task()
def deliver_chat_message(delivery_id: int) -> str:
    """One try of a message by Slack or Teams (it queues its own retry, or falls back to
    email)."""
    return services.deliver(delivery_id=delivery_id)
