"""How the JSON API knows who is calling: a personal API token, or (for managing
tokens only) the signed-in session.

Refusals answer with a message that says what to do: 401 for a token that is
unknown, expired or revoked, 429 while the client IP has failed too often, 403 for a
read-only token asked to change something.
"""

from __future__ import annotations

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from bellwether.accounts import services_tokens
from bellwether.accounts.models import Membership
from bellwether.core.api import ClientThrottled, CredentialsRefused


class TokenRefused(CredentialsRefused):
    """A presented token that is unknown, expired or revoked, or whose owner lost access."""


class TokenAuth(HttpBearer):
    """``Authorization: Bearer bw_…`` with a personal API token."""

    def authenticate(self, request: HttpRequest, token: str) -> Membership | None:
        result = services_tokens.authenticate_token(request=request, secret=token)
        if isinstance(result, services_tokens.TokenRefusal):
            if result.status == 429:
                raise ClientThrottled(result.message, result.retry_after)
            raise TokenRefused(result.message)
        membership = result.membership
        request.membership = membership  # type: ignore[attr-defined]
        request.organisation = membership.organisation  # type: ignore[attr-defined]
        # Marks the request as token-authenticated: token management refuses these.
        request.api_token = result  # type: ignore[attr-defined]
        refusal = services_tokens.scope_refusal(result, request.method or "")
        if refusal:
            raise HttpError(403, refusal)
        return membership


def token_of(request: HttpRequest) -> object | None:
    """The API token the request was authenticated with, if any."""
    return getattr(request, "api_token", None)
