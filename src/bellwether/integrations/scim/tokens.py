"""SCIM token secrets: generated once, shown once, stored as a SHA-256 digest
(``core/bearer.py``). Plain Python."""

from __future__ import annotations

from bellwether.core import bearer

SECRET_PREFIX = "scim_"  # noqa: S105 (a visible marker, not a secret)

digest = bearer.digest


def new_secret() -> str:
    return bearer.new_secret(SECRET_PREFIX)


def display_prefix(secret: str) -> str:
    return secret[:12]
