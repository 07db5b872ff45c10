"""SCIM tokens: created by an organisation admin (the secret shown once), revoked, and
checked when an identity provider presents one."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.integrations.scim import tokens
from bellwether.integrations.scim.models import ScimToken

MAX_ACTIVE_TOKENS = 10
# Touch last_used_at at most this often, so a busy provisioning run does not write on
# every request.
TOUCH_SECONDS = 60


@transaction.atomic
def create_scim_token(*, membership: Membership, name: str) -> tuple[ScimToken, str]:
    """A new SCIM token for the member's organisation. The secret is returned once."""
    name = (name or "").strip()
    if not name:
        raise DomainError(
            "Give the token a name, such as the identity provider's.",
            field_errors={"name": ["Give the token a name."]},
        )
    if len(name) > 100:
        raise DomainError(
            "Use at most 100 characters for the name.",
            field_errors={"name": ["Use at most 100 characters."]},
        )
    organisation = membership.organisation
    active = ScimToken.objects.filter(organisation=organisation, revoked_at__isnull=True).count()
    if active >= MAX_ACTIVE_TOKENS:
        raise DomainError(
            f"The organisation already has {MAX_ACTIVE_TOKENS} active SCIM tokens. "
            "Revoke one that is no longer used first.",
            code="too_many_tokens",
        )
    secret = tokens.new_secret()
    token = ScimToken.objects.create(
        organisation=organisation,
        name=name,
        prefix=tokens.display_prefix(secret),
        digest=tokens.digest(secret),
        created_by=membership.user,
    )
    audit.record(
        action="scim.token_created",
        organisation=organisation,
        actor=membership.user,
        target=token,
        details={"name": name, "prefix": token.prefix},
    )
    return token, secret


@transaction.atomic
def revoke_scim_token(*, membership: Membership, token_id: int) -> ScimToken:
    """Revoke one of the organisation's SCIM tokens; revoking it again changes nothing."""
    token = (
        ScimToken.objects.select_for_update()
        .filter(pk=token_id, organisation=membership.organisation)
        .first()
    )
    if token is None:
        raise DomainError("There is no such token.", code="not_found")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at", "updated_at"])
        audit.record(
            action="scim.token_revoked",
            organisation=membership.organisation,
            actor=membership.user,
            target=token,
            details={"name": token.name, "prefix": token.prefix},
        )
    return token


def token_for_secret(secret: str) -> tuple[ScimToken | None, str]:
    """The live token for ``secret`` (its last use recorded), or None and why not."""
    if not secret.startswith(tokens.SECRET_PREFIX):
        return None, "This is not a SCIM token. Create one under Settings → SCIM provisioning."
    token = (
        ScimToken.objects.select_related("organisation")
        .filter(digest=tokens.digest(secret))
        .first()
    )
    if token is None:
        return None, "This SCIM token is not valid. Check that it was copied whole."
    if token.revoked_at is not None:
        return (
            token,
            "This SCIM token has been revoked. Create a new one under Settings → SCIM provisioning.",
        )
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > TOUCH_SECONDS:
        ScimToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token, ""
