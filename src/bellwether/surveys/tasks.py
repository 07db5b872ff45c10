"""Background jobs for surveys. Each one only loads what it needs and calls a service.

A mail job that the worker runs again (after a deferral or a locked database) is told
when it was queued, so it skips what an earlier try already handed to SMTP.
"""

from __future__ import annotations

from django_tasks import TaskContext, task

from bellwether.surveys import services


@task(takes_context=True)
def send_campaign_emails(context: TaskContext, campaign_id: int, kind: str) -> int:
    """Invitations or reminders for every invitee still due (safe to rerun)."""
    return services.deliver_campaign_emails(
        campaign_id=campaign_id, kind=kind, since=context.task_result.enqueued_at
    )


@task(takes_context=True)
def send_invitation_email(context: TaskContext, invitation_id: int, kind: str) -> bool:
    return services.deliver_invitation_email(
        invitation_id=invitation_id, kind=kind, since=context.task_result.enqueued_at
    )


@task()
def release_campaign(campaign_id: int) -> int:
    """Release a closed pulse's results (a no-op once released)."""
    from bellwether.surveys.models import Campaign
    from bellwether.surveys.services import releases

    campaign = Campaign.objects.filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return releases.release_campaign(campaign=campaign).respondents
