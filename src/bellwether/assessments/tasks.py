"""Background jobs for readiness cycles: each loads what it needs and calls a service.

A mail job that the worker runs again (after a deferral or a locked database) is told
when it was queued, so it skips what an earlier try already handed to SMTP.
"""

from __future__ import annotations

from django_tasks import TaskContext, task

from bellwether.assessments import release, services


@task(takes_context=True)
def send_cycle_emails(
    context: TaskContext, cycle_id: int, kind: str, invitation_ids: list[int] | None = None
) -> int:
    """Invitations or reminders for every rating still due in a cycle (safe to rerun)."""
    return services.deliver_cycle_emails(
        cycle_id=cycle_id,
        kind=kind,
        invitation_ids=invitation_ids,
        since=context.task_result.enqueued_at,
    )


@task(takes_context=True)
def send_rating_emails(context: TaskContext, invitation_ids: list[int], kind: str) -> int:
    """Invitations or reminders for the given readiness invitations still due."""
    return services.deliver_rating_emails(
        invitation_ids=invitation_ids, kind=kind, since=context.task_result.enqueued_at
    )


@task()
def release_readiness_cycles(organisation_id: int | None = None) -> int:
    """Release the results of every closed cycle not yet released (a no-op once done)."""
    return release.release_due_cycles(organisation=organisation_id)
