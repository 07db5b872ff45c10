"""Writes for Slack and Teams. Other apps call ``dispatch`` (one per recipient of a
message a member may choose a channel for) and nothing else."""

from bellwether.integrations.chat.messages import (
    ALIGNMENT_REQUESTS,
    CHECK_IN,
    COACHING_SESSIONS,
    COMMUNICATIONS_OVERDUE,
    REVIEWS_DUE,
    SURVEYS,
    ChatMessage,
)
from bellwether.integrations.chat.services.connections import (
    connect_slack,
    connect_teams,
    disconnect_slack,
    disconnect_teams,
)
from bellwether.integrations.chat.services.delivery import deliver, dispatch
from bellwether.integrations.chat.services.preferences import set_channels

__all__ = [
    "ALIGNMENT_REQUESTS",
    "CHECK_IN",
    "COACHING_SESSIONS",
    "COMMUNICATIONS_OVERDUE",
    "REVIEWS_DUE",
    "SURVEYS",
    "ChatMessage",
    "connect_slack",
    "connect_teams",
    "deliver",
    "disconnect_slack",
    "disconnect_teams",
    "dispatch",
    "set_channels",
]
