"""The SCIM pages and endpoints in the access matrix (tests/test_access_matrix.py).

The admin page is for organisation admins. The SCIM endpoints answer only to a SCIM
token: a signed-in session, whatever its role, gets 401, as does an anonymous visitor.
"""

from __future__ import annotations

from bellwether.integrations.scim import services
from bellwether.testing.access import Page, World, everyone, only

_SCIM = everyone(401, anonymous=401)

PAGES = [
    Page("scim_admin:tokens", only(("admin",))),
    Page("scim_admin:create_token", everyone(405)),
    Page(
        "scim_admin:revoke_token",
        everyone(405),
        kwargs=lambda world: {"token_id": world["scim_token"].pk},
        is_object_page=True,
    ),
    Page("scim:users", _SCIM),
    Page(
        "scim:user", _SCIM, kwargs=lambda world: {"scim_id": "3f1b5a0e-0000-0000-0000-000000000000"}
    ),
    Page("scim:groups", _SCIM),
    Page(
        "scim:group",
        _SCIM,
        kwargs=lambda world: {"scim_id": "3f1b5a0e-0000-0000-0000-000000000000"},
    ),
    Page("scim:service_provider_config", _SCIM),
    Page("scim:resource_types", _SCIM),
    Page("scim:resource_type", _SCIM, kwargs=lambda world: {"name": "User"}),
    Page("scim:schemas", _SCIM),
    Page("scim:schema", _SCIM, kwargs=lambda world: {"schema_id": "x"}),
    Page("scim:unknown", _SCIM, kwargs=lambda world: {"rest": "x"}),
]


def build(world: World) -> None:
    world["scim_token"], _secret = services.create_scim_token(
        membership=world["members"]["admin"], name="matrix"
    )
