"""Who may manage SCIM provisioning: the organisation's admins. The SCIM endpoints
themselves answer only to a SCIM token (``protocol.authenticate``), never to a session."""

from __future__ import annotations

from bellwether.accounts.access import roles
from bellwether.accounts.roles import Role
from bellwether.core.access import Rule

MANAGE_SCIM = Rule("scim.manage_tokens", roles(Role.ADMIN))
