"""Who may configure single sign-on: the organisation's admins. Signing in through a
provider needs no membership yet (it is how one signs in)."""

from __future__ import annotations

from bellwether.accounts.access import roles
from bellwether.accounts.roles import Role
from bellwether.core.access import Rule

MANAGE_SSO = Rule("sso.manage_provider", roles(Role.ADMIN))
