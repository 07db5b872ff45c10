"""Connecting an organisation's Slack workspace and Teams webhook, and disconnecting them.

Each connection is checked against the service before anything is stored: the token
with ``auth.test``, the webhook with a test card. An answer that is an error is shown to
the admin as a sentence and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import TypeVar

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.integrations.chat import clients, secrets
from bellwether.integrations.chat.messages import ChatMessage, teams_payload
from bellwether.integrations.chat.models import SlackUser, SlackWorkspace, TeamsWebhook

Connection = TypeVar("Connection", SlackWorkspace, TeamsWebhook)


def _hint(token: str) -> str:
    return f"{token[:5]}…{token[-4:]}"


def _keep(
    model: type[Connection],
    *,
    membership: Membership,
    fields: dict[str, object],
    action: str,
    details: dict[str, object],
) -> Connection:
    """Store the organisation's connection, replacing the one before, and audit it. A
    connection just made (or made again) is live: not paused, with no error from before."""
    connection, _ = model.objects.update_or_create(
        organisation=membership.organisation,
        defaults={
            **fields,
            "connected_by": membership.user,
            "paused_until": None,
            "last_error": "",
        },
    )
    audit.record_on(connection, action, actor=membership.user, details=details)
    return connection


def connect_slack(*, membership: Membership, token: str) -> SlackWorkspace:
    """Check the bot token with Slack (``auth.test``) and keep it, encrypted, as the
    organisation's workspace (replacing one connected before)."""
    token = token.strip()
    if not token:
        raise DomainError("Paste the app's Bot User OAuth Token.")
    if not token.startswith("xoxb-") or any(c.isspace() for c in token) or len(token) > 300:
        raise DomainError(
            "A bot token starts with “xoxb-”: copy the Bot User OAuth Token from your "
            "Slack app's “OAuth & Permissions” page.",
        )
    try:
        answer = clients.slack_auth_test(token)
    except clients.SendFailed as failure:
        raise DomainError(
            f"Slack did not accept the token: {failure.reason} Nothing was changed.",
            code=failure.code,
        ) from None
    team_id = str(answer.get("team_id", ""))
    if not team_id:
        raise DomainError("Slack's answer named no workspace; nothing was changed.")
    organisation = membership.organisation
    with transaction.atomic():
        previous = SlackWorkspace.objects.select_for_update().filter(organisation=organisation)
        old = previous.first()
        if old is not None and old.team_id != team_id:
            # Another workspace: the people found in the old one are not in it.
            SlackUser.objects.filter(organisation=organisation).delete()
        team_name = str(answer.get("team", ""))[:200] or team_id
        return _keep(
            SlackWorkspace,
            membership=membership,
            fields={
                "token_encrypted": secrets.encrypt(token),
                "token_hint": _hint(token),
                "team_id": team_id,
                "team_name": team_name,
                "team_url": str(answer.get("url", ""))[:300],
                "bot_user_id": str(answer.get("user_id", ""))[:32],
            },
            action="chat.slack_connected",
            details={"team_id": team_id, "team": team_name},
        )


@transaction.atomic
def disconnect_slack(*, membership: Membership) -> bool:
    organisation = membership.organisation
    workspace = SlackWorkspace.objects.filter(organisation=organisation).first()
    if workspace is None:
        return False
    audit.record_on(
        workspace,
        "chat.slack_disconnected",
        actor=membership.user,
        details={"team_id": workspace.team_id},
    )
    workspace.delete()
    SlackUser.objects.filter(organisation=organisation).delete()
    return True


def connect_teams(*, membership: Membership, url: str, name: str) -> TeamsWebhook:
    """Check the webhook by posting a card that says Bellwether is connected, and keep
    it, encrypted, as the organisation's Teams webhook."""
    name = name.strip() or "Teams"
    if len(name) > 100:
        raise DomainError("Keep the name under 100 characters.")
    try:
        url = clients.check_teams_url(url)
    except ValueError as exc:
        raise DomainError(str(exc)) from None
    organisation = membership.organisation
    card = ChatMessage(
        title="Bellwether is connected",
        text=f"{organisation.name}'s Bellwether messages will be posted here.",
    )
    try:
        clients.teams_post(url, teams_payload(card))
    except clients.SendFailed as failure:
        raise DomainError(
            f"The webhook did not take a test message: {failure.reason} Nothing was changed.",
            code=failure.code,
        ) from None
    host = "/".join(url.split("/")[:3])[:200]
    with transaction.atomic():
        return _keep(
            TeamsWebhook,
            membership=membership,
            fields={"url_encrypted": secrets.encrypt(url), "url_hint": host, "name": name},
            action="chat.teams_connected",
            details={"name": name, "host": host},
        )


@transaction.atomic
def disconnect_teams(*, membership: Membership) -> bool:
    webhook = TeamsWebhook.objects.filter(organisation=membership.organisation).first()
    if webhook is None:
        return False
    audit.record_on(webhook, "chat.teams_disconnected", actor=membership.user)
    webhook.delete()
    return True


def pause(connection: SlackWorkspace | TeamsWebhook, *, seconds: float) -> None:
    """Nothing is posted through ``connection`` for ``seconds`` (the service said 429)."""
    until = timezone.now() + dt.timedelta(seconds=seconds)
    type(connection).objects.filter(pk=connection.pk).update(paused_until=until)
    connection.paused_until = until
