"""Secrets kept at rest (Slack bot tokens, Teams webhook URLs): Fernet, with keys derived
from a secret that is not in the database (``BELLWETHER_SEALING_KEY``, else
``SECRET_KEY``). Keys in ``SECRET_KEY_FALLBACKS`` still open what they encrypted, so a key
can be rotated; someone holding only the database reads no token."""

from __future__ import annotations

import base64
import functools

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

_PURPOSE = b"bellwether.integrations.chat"


class SecretUnreadable(ValueError):
    """No configured key opens this value (the key changed and no fallback holds it)."""


@functools.lru_cache(maxsize=64)
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=_PURPOSE, info=b"fernet").derive(
        secret.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    primary = getattr(settings, "BELLWETHER_SEALING_KEY", "") or settings.SECRET_KEY
    fallbacks = list(getattr(settings, "SECRET_KEY_FALLBACKS", []))
    return MultiFernet([_fernet(primary), *(_fernet(k) for k in fallbacks)])


def encrypt(value: str) -> str:
    return _keys().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable(
            "The stored secret cannot be read with the configured keys; connect again."
        ) from exc
