"""The identity provider's client secret, encrypted at rest with Fernet (AES-128-CBC and
HMAC-SHA256). The key is derived from ``BELLWETHER_SSO_KEY`` or, when unset, from
``SECRET_KEY``; keys in ``SECRET_KEY_FALLBACKS`` still decrypt, so a key can be rotated
(save the provider again to re-encrypt under the new key)."""

from __future__ import annotations

import base64

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


class SecretUnreadable(ValueError):
    """A stored secret that no configured key decrypts (the key changed or it was altered)."""


def _fernet(secret: str) -> Fernet:
    raw = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=b"bellwether.integrations.sso", info=b"idp"
    ).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(raw))


def _keys() -> MultiFernet:
    primary = getattr(settings, "BELLWETHER_SSO_KEY", "") or settings.SECRET_KEY
    return MultiFernet(
        [_fernet(primary), *(_fernet(k) for k in getattr(settings, "SECRET_KEY_FALLBACKS", []))]
    )


def encrypt(value: str) -> str:
    return _keys().encrypt(value.encode()).decode() if value else ""


def decrypt(token: str) -> str:
    if not token:
        return ""
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise SecretUnreadable("the stored client secret cannot be decrypted") from exc
