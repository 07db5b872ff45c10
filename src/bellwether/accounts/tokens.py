"""API token secrets: generated once, shown once, stored as a SHA-256 digest
(``core/bearer.py``)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from bellwether.core import bearer

TOKEN_PREFIX = "bw_"  # noqa: S105 (a visible marker, not a secret)
DEFAULT_LIFETIME_DAYS = 90
MAX_LIFETIME_DAYS = 365


digest = bearer.digest


def new_secret() -> str:
    return bearer.new_secret(TOKEN_PREFIX)


def display_prefix(secret: str) -> str:
    return secret[:10]


def default_expiry() -> datetime:
    """When a token made without a chosen lifetime expires (the model's default)."""
    return timezone.now() + timedelta(days=DEFAULT_LIFETIME_DAYS)
