"""Slack and Teams: an organisation's connections (their secrets encrypted at rest), each
member's choice of channel per kind of message, the Slack users found by email, and the
log of every message sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.accounts.models import Membership
from bellwether.core.models import TenantModel
from bellwether.integrations.chat import messages


class ChatConnection(TenantModel):
    """What a Slack workspace and a Teams webhook both keep: who connected it, until when
    posting is paused (the service answered 429: nothing is posted to it before this
    moment), and the last error it answered."""

    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    paused_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        abstract = True


class SlackWorkspace(ChatConnection):
    """The organisation's Slack workspace: the bot token (Fernet-encrypted, see
    ``secrets``) and what ``auth.test`` said about it when it was connected."""

    token_encrypted = models.TextField()
    token_hint = models.CharField(max_length=16)  # "xoxb-…a1b2", for the page
    team_id = models.CharField(max_length=32)
    team_name = models.CharField(max_length=200)
    team_url = models.CharField(max_length=300, blank=True)
    bot_user_id = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="chat_one_slack_per_org")
        ]

    def __str__(self) -> str:
        return f"Slack {self.team_name}"


class TeamsWebhook(ChatConnection):
    """The organisation's Teams incoming webhook or Workflows URL (encrypted: the URL
    itself is the credential)."""

    url_encrypted = models.TextField()
    url_hint = models.CharField(max_length=200)  # scheme and host only
    name = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="chat_one_teams_per_org")
        ]

    def __str__(self) -> str:
        return f"Teams {self.name}"


class ChatPreference(TenantModel):
    """A member's channel for one kind of message. No row: email."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=messages.KINDS)
    channel = models.CharField(max_length=16, choices=messages.CHANNELS)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "kind"], name="chat_one_choice_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.kind} → {self.channel}"


class SlackUser(TenantModel):
    """A Slack user found by email (``users.lookupByEmail``), kept so each message does
    not look the person up again."""

    email_key = models.CharField(max_length=254)  # lower-cased
    slack_user_id = models.CharField(max_length=32)
    looked_up_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email_key"], name="chat_one_slack_user_per_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.email_key} → {self.slack_user_id}"


class ChatDelivery(TenantModel):
    """One message to one member by Slack or Teams: who, what kind, where, and what
    became of it. Written when the message is queued, updated by each try."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RETRYING = "retrying", "Waiting to retry"
        EMAIL_DUE = "email_due", "Waiting to send by email"
        SENT = "sent", "Sent"
        FELL_BACK = "fell_back", "Sent by email instead"
        FAILED = "failed", "Failed"

    membership = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipient = models.CharField(max_length=254)  # the member's address when queued
    kind = models.CharField(max_length=32, choices=messages.KINDS)
    channel = models.CharField(max_length=16, choices=messages.CHANNELS)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    message = models.JSONField(default=dict)
    # Set by a sender that must not send the same message twice (a rerun of its job).
    key = models.CharField(max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "key"],
                condition=~models.Q(key=""),
                name="chat_delivery_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.recipient} by {self.channel}: {self.status}"

    @property
    def title(self) -> str:
        return str(self.message.get("title", ""))
