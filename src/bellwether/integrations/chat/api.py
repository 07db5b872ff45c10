"""Slack and Teams over the JSON API, the twins of the pages: a member's channel for each
kind of message (read and set), and the admin's log of messages sent. Connecting a
workspace or a webhook is done on the admin page only (a secret is pasted once)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from bellwether.core.api import answers, page_of
from bellwether.core.schema import QueryInput, StrictInput
from bellwether.integrations.chat import messages, selectors, services
from bellwether.integrations.chat.access import CHOOSE_CHANNELS, MANAGE_CHAT
from bellwether.integrations.chat.models import ChatDelivery

router = Router(tags=["chat"])

Channel = Literal["email", "slack", "teams"]


class ChannelsOut(Schema):
    channels: dict[str, str] = Field(
        description="kind of message → channel (email, slack or teams); kinds: "
        + ", ".join(kind for kind, _label in messages.KINDS)
    )
    available: list[str] = Field(description="the channels the organisation has connected")


class ChannelsIn(StrictInput):
    surveys: Channel | None = None
    check_in: Channel | None = None
    communications_overdue: Channel | None = None
    coaching_sessions: Channel | None = None
    reviews_due: Channel | None = None
    alignment_requests: Channel | None = None


class ChatDeliveryOut(Schema):
    id: int
    created_at: dt.datetime
    recipient: str
    kind: str
    channel: str
    status: str
    attempts: int
    error: str
    next_attempt_at: dt.datetime | None
    sent_at: dt.datetime | None


class DeliveryPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ChatDeliveryOut]


class DeliveryQuery(QueryInput):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


def _channels(membership: Any) -> dict[str, Any]:
    return {
        "channels": selectors.channels_of(membership),
        "available": [
            value for value, _label in selectors.available_channels(membership.organisation)
        ],
    }


@router.get("/channels", **answers(ChannelsOut, "get_chat_channels", "Get my channel per kind"))
def get_channels(request: HttpRequest) -> dict[str, Any]:
    membership = CHOOSE_CHANNELS.check(request)
    return _channels(membership)


@router.put("/channels", **answers(ChannelsOut, "set_chat_channels", "Choose my channels"))
def set_channels(request: HttpRequest, payload: ChannelsIn) -> dict[str, Any]:
    """Kinds left out keep their channel. Slack needs the organisation's workspace and a
    Slack user with the member's address; Teams the organisation's webhook."""
    membership = CHOOSE_CHANNELS.check(request)
    choices = {kind: channel for kind, channel in payload.model_dump().items() if channel}
    services.set_channels(membership=membership, choices=choices)
    return _channels(membership)


def _delivery_out(row: ChatDelivery) -> dict[str, Any]:
    return {
        "id": row.pk,
        "created_at": row.created_at,
        "recipient": row.recipient,
        "kind": row.kind,
        "channel": row.channel,
        "status": row.status,
        "attempts": row.attempts,
        "error": row.error,
        "next_attempt_at": row.next_attempt_at,
        "sent_at": row.sent_at,
    }


@router.get(
    "/deliveries", **answers(DeliveryPage, "list_chat_deliveries", "List messages sent by chat")
)
def list_deliveries(request: HttpRequest, filters: Query[DeliveryQuery]) -> dict[str, Any]:
    """Every message sent by Slack or Teams (or by email instead), newest first."""
    membership = MANAGE_CHAT.check(request)
    return page_of(selectors.deliveries(membership.organisation), filters, _delivery_out)
