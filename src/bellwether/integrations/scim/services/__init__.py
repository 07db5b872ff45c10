"""Writes of SCIM provisioning, one module per resource, re-exported here:

* ``tokens``: the organisation's SCIM tokens (created, revoked, checked);
* ``users``: Users as people (created or adopted, replaced, deactivated);
* ``groups``: Groups as org units and their members' placement.

People and units are written only through the people app's services, with the CSV
import's checks; every change is audited (``scim.*``, plus the import's own row).
"""

from __future__ import annotations

from bellwether.integrations.scim.services.groups import create_group, delete_group, replace_group
from bellwether.integrations.scim.services.tokens import (
    create_scim_token,
    revoke_scim_token,
    token_for_secret,
)
from bellwether.integrations.scim.services.users import create_user, delete_user, replace_user

__all__ = [
    "create_group",
    "create_scim_token",
    "create_user",
    "delete_group",
    "delete_user",
    "replace_group",
    "replace_user",
    "revoke_scim_token",
    "token_for_secret",
]
