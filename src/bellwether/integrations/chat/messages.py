"""What a chat message says and how Slack and Teams want it written (no Django here).

A ``ChatMessage`` is the same few facts an email of the same kind carries: a title, a
short text and the one link to act on. ``slack_payload`` writes it as Block Kit for
``chat.postMessage`` (with a plain ``text`` for notifications and screen readers);
``teams_payload`` writes it as an Adaptive Card in the message envelope that Teams
incoming webhooks and Power Automate Workflows accept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# The kinds of message a member chooses a channel for, in the order the page lists them.
SURVEYS = "surveys"
CHECK_IN = "check_in"
COMMUNICATIONS_OVERDUE = "communications_overdue"
COACHING_SESSIONS = "coaching_sessions"
REVIEWS_DUE = "reviews_due"
ALIGNMENT_REQUESTS = "alignment_requests"

KINDS: tuple[tuple[str, str], ...] = (
    (SURVEYS, "Survey invitations and reminders"),
    (CHECK_IN, "The daily check-in link"),
    (COMMUNICATIONS_OVERDUE, "Communications overdue"),
    (COACHING_SESSIONS, "Coaching sessions"),
    (REVIEWS_DUE, "Reviews due"),
    (ALIGNMENT_REQUESTS, "Initiative alignment requests"),
)

EMAIL = "email"
SLACK = "slack"
TEAMS = "teams"
CHANNELS: tuple[tuple[str, str], ...] = (
    (EMAIL, "Email"),
    (SLACK, "Slack"),
    (TEAMS, "Microsoft Teams"),
)

# Slack's limits: a section's text is at most 3,000 characters, a message's text 40,000.
_SECTION_MAX = 3000
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class ChatMessage:
    title: str
    text: str
    link: str = ""
    link_label: str = "Open"

    def as_dict(self) -> dict[str, str]:
        return {
            "title": self.title,
            "text": self.text,
            "link": self.link,
            "link_label": self.link_label,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ChatMessage:
        return cls(
            title=str(data.get("title", "")),
            text=str(data.get("text", "")),
            link=str(data.get("link", "")),
            link_label=str(data.get("link_label", "")) or "Open",
        )

    def plain(self) -> str:
        """The whole message as plain text (the notification, and the fallback email)."""
        parts = [self.title, "", self.text]
        if self.link:
            parts += ["", f"{self.link_label}: {self.link}"]
        return "\n".join(parts).strip() + "\n"


def _mrkdwn_escape(text: str) -> str:
    # Slack's mrkdwn treats &, < and > as control characters.
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(message: ChatMessage, *, channel: str) -> dict[str, Any]:
    """The arguments of ``chat.postMessage`` for ``message`` sent to ``channel`` (a user
    id: the app's direct message to that person)."""
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": message.title[:150]}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": _mrkdwn_escape(message.text)[:_SECTION_MAX]},
        },
    ]
    if message.link:
        blocks.append(
            {
                "type": "actions",
                "elements": [
                    {
                        "type": "button",
                        "text": {"type": "plain_text", "text": message.link_label[:75]},
                        "url": message.link,
                        "style": "primary",
                    }
                ],
            }
        )
    return {
        "channel": channel,
        "text": message.plain()[:40000],
        "blocks": blocks,
        "unfurl_links": False,
        "unfurl_media": False,
    }


def teams_payload(message: ChatMessage, *, name: str = "", email: str = "") -> dict[str, Any]:
    """The message a Teams incoming webhook or Workflows trigger accepts: one Adaptive
    Card. With ``email``, the card mentions the person (Teams notifies them) and carries
    their address for a Workflow that posts to them in a chat."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": message.title,
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        },
        {"type": "TextBlock", "text": message.text, "wrap": True},
    ]
    card: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": body,
    }
    if email:
        body.insert(0, {"type": "TextBlock", "text": f"<at>{name or email}</at>", "wrap": True})
        card["msteams"] = {
            "entities": [
                {
                    "type": "mention",
                    "text": f"<at>{name or email}</at>",
                    "mentioned": {"id": email, "name": name or email},
                }
            ]
        }
    if message.link:
        card["actions"] = [
            {"type": "Action.OpenUrl", "title": message.link_label, "url": message.link}
        ]
    envelope: dict[str, Any] = {
        "type": "message",
        "attachments": [{"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": card}],
    }
    if email:
        envelope["recipient"] = {"email": email, "name": name}
    return envelope
