"""Personal API tokens over the JSON API (mounted at /api/v1/tokens).

A member sees and revokes only their own tokens; anyone else's is reported missing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status

from bellwether.accounts import permissions, selectors, services
from bellwether.accounts.models import ApiToken, Membership
from bellwether.api import membership_of
from bellwether.core.schema import ErrorOut, PathId, StrictInput

router = Router(tags=["tokens"])


class TokenOut(Schema):
    id: int
    name: str
    prefix: str = Field(description="The first characters of the secret, to recognise it by")
    created_at: datetime.datetime
    last_used_at: datetime.datetime | None
    revoked_at: datetime.datetime | None
    active: bool


class TokenCreatedOut(TokenOut):
    secret: str = Field(description="The token itself. Shown only in this response; keep it safe.")


class TokenIn(StrictInput):
    name: str = Field(min_length=1, max_length=100, description="What will use the token")


ERRORS: dict[int, type[Schema]] = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


def _token_out(token: ApiToken) -> dict[str, Any]:
    return {
        "id": token.pk,
        "name": token.name,
        "prefix": token.prefix,
        "created_at": token.created_at,
        "last_used_at": token.last_used_at,
        "revoked_at": token.revoked_at,
        "active": token.is_active,
    }


def _api_membership(request: HttpRequest) -> Membership:
    membership = membership_of(request)
    permissions.require(
        request, membership, permissions.can_use_api(membership), check="can_use_api"
    )
    return membership


@router.get(
    "",
    response={200: list[TokenOut], **ERRORS},
    summary="List your API tokens",
    operation_id="list_tokens",
)
def list_tokens(request: HttpRequest) -> list[dict[str, Any]]:
    membership = _api_membership(request)
    return [_token_out(token) for token in selectors.tokens_of(membership)]


@router.post(
    "",
    response={201: TokenCreatedOut, **ERRORS, 400: ErrorOut},
    summary="Create an API token",
    description="Returns the secret once. Only a digest is stored, so it cannot be shown again.",
    operation_id="create_token",
)
def create_token(request: HttpRequest, payload: TokenIn) -> Status[dict[str, Any]]:
    membership = _api_membership(request)
    token, secret = services.create_api_token(membership=membership, name=payload.name)
    return Status(201, {**_token_out(token), "secret": secret})


@router.delete(
    "/{token_id}",
    response={204: None, **ERRORS, 404: ErrorOut},
    summary="Revoke one of your API tokens",
    operation_id="revoke_token",
)
def revoke_token(request: HttpRequest, token_id: PathId) -> Status[None]:
    membership = _api_membership(request)
    if selectors.own_token(membership, token_id) is None:
        permissions.deny(
            request,
            membership,
            check="owns_api_token",
            target=f"api token {token_id}",
            not_found=True,
        )
    services.revoke_api_token(membership=membership, token_id=token_id)
    return Status(204, None)
