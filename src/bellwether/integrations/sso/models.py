"""Single sign-on: each organisation's identity provider (OpenID Connect or SAML 2.0),
and the link between a person at that provider (its subject) and a Bellwether user.

The client secret is stored encrypted (``secrets.py``); a SAML provider's metadata is
read when it is saved, and what Bellwether needs from it (entity id, sign-in address,
signing certificate) is kept, so a sign-in never waits for the metadata URL."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from bellwether.core.models import TenantModel


class IdentityProvider(TenantModel):
    """The organisation's identity provider: one per organisation."""

    class Protocol(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    protocol = models.CharField(max_length=8, choices=Protocol.choices)
    # Shown on the sign-in button: "Sign in with <name>".
    name = models.CharField(max_length=100)
    # Work-email domains whose people are sent to this provider, e.g. "acme.com acme.co.uk".
    email_domains = models.CharField(max_length=500, blank=True)
    is_enabled = models.BooleanField(default=True)
    # Members sign in only through this provider: password sign-in refuses them.
    sso_required = models.BooleanField(default=False)
    # OpenID Connect
    server_url = models.URLField(max_length=500, blank=True)
    client_id = models.CharField(max_length=255, blank=True)
    client_secret_encrypted = models.TextField(blank=True)
    # SAML 2.0: what the admin gave, and what was read from it.
    metadata_url = models.URLField(max_length=500, blank=True)
    metadata_xml = models.TextField(blank=True)
    entity_id = models.CharField(max_length=500, blank=True)
    sso_url = models.URLField(max_length=500, blank=True)
    x509cert = models.TextField(blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="sso_one_provider_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_protocol_display()})"

    @property
    def domains(self) -> list[str]:
        return [d for d in self.email_domains.replace(",", " ").lower().split() if d]

    @property
    def has_secret(self) -> bool:
        return bool(self.client_secret_encrypted)


class SsoLink(TenantModel):
    """A person at the identity provider (``subject``) linked to a user, made the first
    time they sign in (just-in-time, by verified email)."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="links")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    last_sign_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["provider", "subject"], name="sso_one_link_per_subject")
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {self.user_id}"
