"""Bearer-token secrets (API tokens, SCIM tokens): generated once, shown once, stored
only as a SHA-256 digest. Plain Python.

Each kind of token starts with its own visible marker (``bw_``, ``scim_``), so a
secret pasted in the wrong place is recognised before any lookup.
"""

from __future__ import annotations

import hashlib
import secrets


def new_secret(marker: str) -> str:
    """A fresh secret: the token kind's ``marker`` and 256 random bits."""
    return marker + secrets.token_urlsafe(32)


def digest(secret: str) -> str:
    """What is stored and looked up instead of the secret."""
    # A fast hash is right here: the secret has 256 bits of entropy, unlike a password.
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
