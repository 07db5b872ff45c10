"""Slack users found by email (``users.lookupByEmail``), cached per organisation."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bellwether.integrations.chat import clients
from bellwether.integrations.chat.models import SlackUser, SlackWorkspace

# A cached id is looked up again after this long (people leave, addresses move).
CACHE_DAYS = 30


def slack_user_id(workspace: SlackWorkspace, token: str, email: str) -> str:
    """The Slack user id of the person with ``email`` in ``workspace``; raises
    ``SendFailed`` (``users_not_found`` when there is none)."""
    key = email.strip().lower()
    now = timezone.now()
    cached = SlackUser.objects.filter(
        organisation_id=workspace.organisation_id,
        email_key=key,
        looked_up_at__gte=now - dt.timedelta(days=CACHE_DAYS),
    ).first()
    if cached is not None:
        return cached.slack_user_id
    user_id = clients.slack_lookup_user(token, key)
    SlackUser.objects.update_or_create(
        organisation_id=workspace.organisation_id,
        email_key=key,
        defaults={"slack_user_id": user_id, "looked_up_at": now},
    )
    return user_id


def forget(workspace: SlackWorkspace, email: str) -> None:
    """Drop the cached id (Slack said the user or the channel is gone)."""
    SlackUser.objects.filter(
        organisation_id=workspace.organisation_id, email_key=email.strip().lower()
    ).delete()
