"""SCIM token secrets: generated once, shown once, stored as a SHA-256 digest. Plain Python."""

from __future__ import annotations

import hashlib
import secrets

SECRET_PREFIX = "scim_"  # noqa: S105 (a visible marker, not a secret)


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    # A fast hash suits a secret of 256 random bits (unlike a password).
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[:12]
