"""A software security key for tests: it answers the options Bellwether gives the
browser the way a real key (through the browser) does, with a real P-256 key pair, so
the server's checks (challenge, origin, relying party, signature) all run.

The Django test client's host is ``testserver``; a key there answers from
``https://testserver`` (a secure origin whose host is the relying party id)."""

from __future__ import annotations

import json
import os
from hashlib import sha256
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from fido2.cose import ES256
from fido2.utils import websafe_decode, websafe_encode
from fido2.webauthn import (
    AttestationObject,
    AttestedCredentialData,
    AuthenticatorData,
    CollectedClientData,
)

_FLAGS = AuthenticatorData.FLAG


class SoftKey:
    def __init__(self, origin: str = "https://testserver") -> None:
        self.origin = origin
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.counter = 0

    def _client_data(self, kind: str, challenge: str) -> CollectedClientData:
        return CollectedClientData.create(
            type=kind, challenge=websafe_decode(challenge), origin=self.origin
        )

    def register(self, options: dict[str, Any]) -> str:
        """The JSON the page posts after ``navigator.credentials.create(options)``."""
        public_key = options["publicKey"]
        client_data = self._client_data(CollectedClientData.TYPE.CREATE, public_key["challenge"])
        credential = AttestedCredentialData.create(
            b"\0" * 16,
            self.credential_id,
            ES256.from_cryptography_key(self.private_key.public_key()),
        )
        auth_data = AuthenticatorData.create(
            sha256(public_key["rp"]["id"].encode()).digest(),
            _FLAGS.UP | _FLAGS.UV | _FLAGS.AT,
            self.counter,
            credential,
        )
        attestation = AttestationObject.create("none", auth_data, {})
        return json.dumps(
            {
                "id": websafe_encode(self.credential_id),
                "rawId": websafe_encode(self.credential_id),
                "type": "public-key",
                "clientExtensionResults": {"credProps": {"rk": False}},
                "response": {
                    "clientDataJSON": websafe_encode(bytes(client_data)),
                    "attestationObject": websafe_encode(bytes(attestation)),
                },
            }
        )

    def sign_in(self, options: dict[str, Any]) -> str:
        """The JSON the page posts after ``navigator.credentials.get(options)``."""
        public_key = options["publicKey"]
        self.counter += 1
        client_data = self._client_data(CollectedClientData.TYPE.GET, public_key["challenge"])
        auth_data = AuthenticatorData.create(
            sha256(public_key["rpId"].encode()).digest(), _FLAGS.UP | _FLAGS.UV, self.counter
        )
        signature = self.private_key.sign(
            bytes(auth_data) + client_data.hash, ec.ECDSA(hashes.SHA256())
        )
        return json.dumps(
            {
                "id": websafe_encode(self.credential_id),
                "rawId": websafe_encode(self.credential_id),
                "type": "public-key",
                "clientExtensionResults": {},
                "response": {
                    "clientDataJSON": websafe_encode(bytes(client_data)),
                    "authenticatorData": websafe_encode(bytes(auth_data)),
                    "signature": websafe_encode(signature),
                    "userHandle": None,
                },
            }
        )
