"""A member's choice of channel (email, Slack or Teams) for each kind of message."""

from __future__ import annotations

from collections.abc import Mapping

from django.db import transaction

from bellwether.accounts.models import Membership
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.integrations.chat import clients, messages, secrets
from bellwether.integrations.chat.models import ChatPreference, SlackWorkspace, TeamsWebhook
from bellwether.integrations.chat.services.slack_users import slack_user_id

_KINDS = dict(messages.KINDS)
_CHANNELS = dict(messages.CHANNELS)


def set_channels(*, membership: Membership, choices: Mapping[str, str]) -> dict[str, str]:
    """Keep ``choices`` (kind → channel; a kind not given stays as it was). Slack needs
    the organisation's workspace and a Slack user with the member's address; Teams the
    organisation's webhook. A refusal changes nothing."""
    organisation = membership.organisation
    problems: dict[str, list[str]] = {}
    for kind, channel in choices.items():
        if kind not in _KINDS:
            raise DomainError(f"Unknown kind of message “{kind}”.")
        if channel not in _CHANNELS:
            problems[kind] = ["Choose email, Slack or Microsoft Teams."]
    if problems:
        raise DomainError("Choose a channel for each kind of message.", field_errors=problems)
    wanted = set(choices.values())
    workspace = SlackWorkspace.objects.filter(organisation=organisation).first()
    if messages.SLACK in wanted:
        if workspace is None:
            raise DomainError(
                f"{organisation.name} has not connected Slack yet: ask an admin, or choose "
                "email or Teams."
            )
        _require_slack_user(workspace, membership.user.email)
    if (
        messages.TEAMS in wanted
        and not TeamsWebhook.objects.filter(organisation=organisation).exists()
    ):
        raise DomainError(
            f"{organisation.name} has not connected Microsoft Teams yet: ask an admin, or "
            "choose email or Slack."
        )
    with transaction.atomic():
        for kind, channel in choices.items():
            if channel == messages.EMAIL:
                ChatPreference.objects.filter(membership=membership, kind=kind).delete()
            else:
                ChatPreference.objects.update_or_create(
                    membership=membership,
                    kind=kind,
                    defaults={"organisation": organisation, "channel": channel},
                )
        audit.record(
            action="chat.channels_chosen",
            organisation=organisation,
            actor=membership.user,
            target=membership,
            details=dict(choices),
        )
    return dict(choices)


def _require_slack_user(workspace: SlackWorkspace, email: str) -> None:
    try:
        slack_user_id(workspace, secrets.decrypt(workspace.token_encrypted), email)
    except secrets.SecretUnreadable as exc:
        raise DomainError(str(exc)) from None
    except clients.SendFailed as failure:
        if failure.code == "users_not_found":
            raise DomainError(
                f"Slack has no user with your address {email} in {workspace.team_name}: "
                "use the same address in Slack, or choose email or Teams. Nothing was changed."
            ) from None
        if failure.transient:
            return  # looked up again when a message is sent
        raise DomainError(
            f"Slack could not find you: {failure.reason} Nothing was changed."
        ) from None
