"""Sealing ballots and drafts: AES-GCM with keys derived from a secret that is not in the
database (``BELLWETHER_SEALING_KEY``, else ``SECRET_KEY``).

Someone holding only the database cannot read an open campaign's answers or anyone's
draft. Each sealed value is bound to its campaign (ballots) or to its link's nonce
(drafts), so a value copied onto another row does not open, and a reissued link cannot
open the previous holder's draft. Keys listed in ``SECRET_KEY_FALLBACKS`` still open
what they sealed, so a key can be rotated while a campaign is open.
"""

from __future__ import annotations

import base64
import functools
import json
import os
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_NONCE = 12


class SealBroken(ValueError):
    """A sealed value that no configured key opens (tampered, or its key is gone)."""


def _secrets() -> list[str]:
    primary = getattr(settings, "BELLWETHER_SEALING_KEY", "") or settings.SECRET_KEY
    return [primary, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]


@functools.lru_cache(maxsize=1024)
def _key(secret: str, purpose: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"bellwether.surveys.sealing", info=purpose
    ).derive(secret.encode())


def seal(value: Any, *, purpose: bytes) -> str:
    """``value`` as JSON, encrypted and authenticated for ``purpose``."""
    nonce = os.urandom(_NONCE)
    data = json.dumps(value, separators=(",", ":")).encode()
    sealed = AESGCM(_key(_secrets()[0], purpose)).encrypt(nonce, data, purpose)
    return base64.b64encode(nonce + sealed).decode()


def open_sealed(token: str, *, purpose: bytes) -> Any:
    try:
        raw = base64.b64decode(token.encode(), validate=True)
    except ValueError as exc:
        raise SealBroken("not a sealed value") from exc
    nonce, sealed = raw[:_NONCE], raw[_NONCE:]
    for secret in _secrets():
        try:
            data = AESGCM(_key(secret, purpose)).decrypt(nonce, sealed, purpose)
        except InvalidTag:
            continue
        return json.loads(data)
    raise SealBroken("no configured key opens this value")


def ballot_purpose(campaign_id: int) -> bytes:
    return f"ballot:{campaign_id}".encode()


def draft_purpose(invitation_id: int, nonce: str) -> bytes:
    return f"draft:{invitation_id}:{nonce}".encode()
