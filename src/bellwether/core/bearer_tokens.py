"""The columns every bearer-token row has (personal API tokens, SCIM tokens): a name
its owner chose, the secret's digest (``core/bearer.py``; the secret itself is shown
once and never stored), and when it was last used and revoked."""

from __future__ import annotations

from django.db import models


class BearerToken(models.Model):
    """Abstract: each kind adds its shown ``prefix`` (its own length), its owner and,
    for API tokens, a scope and an expiry."""

    name = models.CharField(max_length=100)
    prefix: models.CharField[str, str]
    digest = models.CharField(max_length=64, unique=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
