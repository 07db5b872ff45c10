"""API token secrets: generated once, shown once, stored as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.utils import timezone

TOKEN_PREFIX = "bw_"  # noqa: S105 (a visible marker, not a secret)
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    # A fast hash is right here: the secret has 256 bits of entropy, unlike a password.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[:10]


def default_expiry() -> datetime:
    """When a token made without a chosen lifetime expires (the model's default)."""
    return timezone.now() + timedelta(days=DEFAULT_LIFETIME_DAYS)
