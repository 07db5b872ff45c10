"""Personal API tokens over the JSON API (mounted at /api/v1/tokens).

For a signed-in session only (the browser's cookie, with its CSRF token): a request
authenticated with an API token is refused with 403 whatever it asks, so a leaked
token can neither see its siblings, nor mint a successor, nor revoke the owner's
other tokens. A member sees and revokes only their own tokens; anyone else's is
reported missing.
"""

from __future__ import annotations

import datetime
from typing import Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.security import SessionAuth

from bellwether.accounts import access, selectors, services_tokens, tokens
from bellwether.accounts.api_auth import TokenAuth, token_of
from bellwether.accounts.models import ApiToken, Membership
from bellwether.core.api import answers, paged
from bellwether.core.api_routes import paged_list
from bellwether.core.schema import CursorQuery, ErrorOut, PathId, StrictInput

# A token is tried first so that a request carrying one is known as such and refused,
# even from a browser that is also signed in.
router = Router(tags=["tokens"], auth=[TokenAuth(), SessionAuth()])

TOKENS_CANNOT_MANAGE_TOKENS = (
    "An API token cannot list, create or revoke API tokens. "
    "Sign in to Bellwether and use Settings → API tokens."
)


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it by")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    expires_at: datetime.datetime
    scope: Literal["read", "read_write"] = Field(
        description="read: GET requests only; read_write: every request your roles allow"
    )
    state: Literal["active", "expired", "revoked"]
    active: bool


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="The token itself. Shown only in this response; keep it safe.")


class TokenIn(StrictInput):
    name: str = Field(min_length=1, max_length=100, description="What will use the token")
    scope: Literal["read", "read_write"] = Field(
        "read", description="read (the default): GET requests only; read_write: any request"
    )
    expires_in_days: int = Field(
        tokens.DEFAULT_LIFETIME_DAYS,
        ge=1,
        le=tokens.MAX_LIFETIME_DAYS,
        description="How long the token works, from 1 day to a year",
    )


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "expires_at": token.expires_at,
        "scope": token.scope,
        "state": token.state,
        "active": token.is_active,
    }


def _api_membership(request: HttpRequest) -> Membership:
    """The session's membership if it may use the API; a token is refused (403), a
    session without a membership is 401 (both audited by the refusal middleware)."""
    if token_of(request) is not None:
        raise HttpError(403, TOKENS_CANNOT_MANAGE_TOKENS)
    # The session's membership, chosen by the tenant middleware like on every page (the
    # session auth's ``request.auth`` is the user, not the membership).
    membership = getattr(request, "membership", None)
    if not isinstance(membership, Membership):
        raise AuthenticationError()
    return access.USE_API.require(request, membership)


@paged_list(
    router,
    "",
    **paged(
        TokenOut,
        "list_tokens",
        "List your API tokens, newest first",
        errors=ERRORS,
    ),
    check=_api_membership,
    order=("-created_at", "-id"),
    scope="accounts.tokens",
    item=_token_out,
)
def list_tokens(membership: Membership, query: CursorQuery) -> QuerySet[ApiToken]:
    return selectors.tokens_of(membership)


@router.post(
    "",
    **answers(
        TokenCreatedOut,
        "create_token",
        "Create an API token",
        status=201,
        errors=ERRORS,
        also={400: ErrorOut},
        description=(
            "Returns the secret once. Only a digest is stored, so it cannot be shown again. "
            "Signed-in sessions only: a request made with an API token is refused."
        ),
    ),
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    membership = _api_membership(request)
    token, secret = services_tokens.create_api_token(
        membership=membership,
        name=payload.name,
        scope=payload.scope,
        days=payload.expires_in_days,
    )
    return Status(201, {**_token_out(token), "secret": secret})


@router.delete(
    "/{token_id}",
    **answers(
        None,
        "revoke_token",
        "Revoke one of your API tokens",
        status=204,
        errors=ERRORS,
        also={404: ErrorOut},
    ),
)
def revoke_token(request: HttpRequest, token_id: PathId) -> Status[None]:
    membership = _api_membership(request)
    access.get_api_token_for(request, membership, token_id)
    services_tokens.revoke_api_token(membership=membership, token_id=token_id)
    return Status(204, None)
