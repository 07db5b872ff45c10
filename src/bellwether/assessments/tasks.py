"""Background jobs for readiness cycles: each loads what it needs and calls a service."""

from __future__ import annotations

from django_tasks import task

from bellwether.assessments import release, services


@task()
def send_cycle_emails(cycle_id: int, kind: str, invitation_ids: list[int] | None = None) -> int:
    """Invitations or reminders for every rating still due in a cycle (safe to rerun)."""
    return services.deliver_cycle_emails(
        cycle_id=cycle_id, kind=kind, invitation_ids=invitation_ids
    )


@task()
def send_rating_emails(invitation_ids: list[int], kind: str) -> int:
    """Invitations or reminders for the given readiness invitations still due."""
    return sum(services.deliver_rating_email(invitation_id=pk, kind=kind) for pk in invitation_ids)


@task()
def release_readiness_cycles(organisation_id: int | None = None) -> int:
    """Release the results of every closed cycle not yet released (a no-op once done)."""
    return release.release_due_cycles(organisation=organisation_id)
