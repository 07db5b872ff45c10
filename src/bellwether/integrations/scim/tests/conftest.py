"""A SCIM token of organisation A and a client that sends it."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from bellwether.accounts.models import Membership
from bellwether.integrations.scim import services
from bellwether.integrations.scim.models import ScimToken

ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
USER = "urn:ietf:params:scim:schemas:core:2.0:User"
PATCH = "urn:ietf:params:scim:api:messages:2.0:PatchOp"


class ScimClient:
    """Django's test client speaking SCIM with a bearer token."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.secret = secret

    def _call(self, method: str, path: str, body: Any = None, **extra: Any) -> Any:
        headers = {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"} if self.secret else {}
        data = json.dumps(body) if body is not None and not isinstance(body, str) else body
        call = getattr(self.client, method)
        if data is None:
            return call(f"/scim/v2/{path}", **headers, **extra)
        return call(
            f"/scim/v2/{path}", data=data, content_type="application/scim+json", **headers, **extra
        )

    def get(self, path: str, **params: Any) -> Any:
        headers: dict[str, Any] = (
            {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"} if self.secret else {}
        )
        return self.client.get(f"/scim/v2/{path}", params, **headers)

    def post(self, path: str, body: Any) -> Any:
        return self._call("post", path, body)

    def put(self, path: str, body: Any) -> Any:
        return self._call("put", path, body)

    def patch(self, path: str, body: Any) -> Any:
        return self._call("patch", path, body)

    def delete(self, path: str) -> Any:
        return self._call("delete", path)


@pytest.fixture
def scim_token(members: dict[str, Membership]) -> tuple[ScimToken, str]:
    return services.create_scim_token(membership=members["admin"], name="Entra")


@pytest.fixture
def scim(scim_token: tuple[ScimToken, str]) -> ScimClient:
    return ScimClient(scim_token[1])


def user_body(user_name: str, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "schemas": [USER, ENTERPRISE],
        "userName": user_name,
        "name": {"givenName": "Barbara", "familyName": "Jensen"},
        "emails": [{"value": f"{user_name}@example.com", "type": "work", "primary": True}],
        "active": True,
    }
    body.update(extra)
    return body
