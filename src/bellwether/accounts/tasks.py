"""Background jobs for accounts. Each one only loads what it needs and calls a service."""

from __future__ import annotations

from django_tasks import task

from bellwether.accounts import services, services_members


@task()
def send_sign_in_email(user_id: int, token: str, code: str) -> bool:
    """Email a sign-in link and code.

    Trade-off: the plain link token and code travel as task arguments, so they sit in
    the task table until ``prune_db_task_results`` removes finished rows. We accept
    that because they are single-use, die within 15 minutes (sooner once a newer one
    is requested) and the task table is as well guarded as the session table, which
    holds equally powerful secrets. The alternative, minting them in the worker,
    would tie the sign-in page's answer to the worker's progress. The database keeps
    only digests, and the email is skipped if the code is already used or expired.
    """
    return services.deliver_sign_in_email(user_id=user_id, token=token, code=code)


@task()
def send_invitation_email(invitation_id: int) -> bool:
    """Email an invitation to join an organisation (skipped once it is no longer open)."""
    return services_members.deliver_invitation_email(invitation_id=invitation_id)
