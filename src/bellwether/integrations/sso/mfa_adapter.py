"""django-allauth's MFA adapter for Bellwether: TOTP secrets and recovery-code seeds are
encrypted at rest with the same key as identity providers' secrets (``secrets.py``);
security keys are registered to this site's host under the name "Bellwether"."""

from __future__ import annotations

from allauth.mfa.adapter import DefaultMFAAdapter

from bellwether.integrations.sso import secrets


class BellwetherMFAAdapter(DefaultMFAAdapter):
    def encrypt(self, text: str) -> str:
        return secrets.encrypt(text)

    def decrypt(self, encrypted_text: str) -> str:
        return secrets.decrypt(encrypted_text)

    def get_totp_issuer(self) -> str:
        return "Bellwether"

    def get_public_key_credential_rp_entity(self) -> dict[str, str]:
        # The relying party is this site's host (allauth's default); its name is ours.
        return {**super().get_public_key_credential_rp_entity(), "name": "Bellwether"}

    def send_notification_mail(self, *args: object, **kwargs: object) -> None:
        # Bellwether writes an audit event instead (services_mfa).
        return None
