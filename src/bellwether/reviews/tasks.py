"""Background jobs for reviews: each only loads what it needs and calls a service."""

from __future__ import annotations

from django_tasks import task

from bellwether.reviews import services
from bellwether.reviews.models import ReviewCycle


@task()
def remind_reviewers(cycle_id: int) -> int:
    """Remind the reviewers of the cycle's reviews not yet shared (idempotent per day)."""
    cycle = ReviewCycle.objects.filter(pk=cycle_id).select_related("organisation").first()
    return services.send_reminders(cycle=cycle) if cycle is not None else 0
