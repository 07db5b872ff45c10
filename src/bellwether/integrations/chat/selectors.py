"""Reads for Slack and Teams: the organisation's connections, the delivery log, and a
member's choices."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from bellwether.accounts.models import Membership
from bellwether.core.models import Organisation
from bellwether.integrations.chat import messages
from bellwether.integrations.chat.models import (
    ChatDelivery,
    ChatPreference,
    SlackWorkspace,
    TeamsWebhook,
)

DELIVERIES_PER_PAGE = 50


def slack_workspace(organisation: Organisation) -> SlackWorkspace | None:
    return (
        SlackWorkspace.objects.select_related("connected_by")
        .filter(organisation=organisation)
        .first()
    )


def teams_webhook(organisation: Organisation) -> TeamsWebhook | None:
    return (
        TeamsWebhook.objects.select_related("connected_by")
        .filter(organisation=organisation)
        .first()
    )


def deliveries(organisation: Organisation) -> QuerySet[ChatDelivery]:
    """Every message sent by Slack or Teams, newest first."""
    return ChatDelivery.objects.filter(organisation=organisation).order_by("-created_at", "-id")


def deliveries_page(organisation: Organisation, page: str | int | None) -> Page:
    return Paginator(deliveries(organisation), DELIVERIES_PER_PAGE).get_page(page)


def channels_of(membership: Membership) -> dict[str, str]:
    """kind → channel for every kind (email where the member chose nothing)."""
    chosen = dict(
        ChatPreference.objects.filter(membership=membership).values_list("kind", "channel")
    )
    return {kind: chosen.get(kind, messages.EMAIL) for kind, _label in messages.KINDS}


def available_channels(organisation: Organisation) -> list[tuple[str, str]]:
    """The channels a member of ``organisation`` may choose: email, and whichever of
    Slack and Teams the organisation has connected."""
    connected = {messages.EMAIL}
    if SlackWorkspace.objects.filter(organisation=organisation).exists():
        connected.add(messages.SLACK)
    if TeamsWebhook.objects.filter(organisation=organisation).exists():
        connected.add(messages.TEAMS)
    return [(value, label) for value, label in messages.CHANNELS if value in connected]
