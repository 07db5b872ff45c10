"""Who may do what with Slack and Teams: the organisation's admins connect a workspace or
a Teams webhook and see the delivery log; every member chooses where their own messages
go."""

from __future__ import annotations

from bellwether.accounts.access import anyone, roles
from bellwether.accounts.roles import Role
from bellwether.core.access import Rule

MANAGE_CHAT = Rule("chat.manage", roles(Role.ADMIN))
CHOOSE_CHANNELS = Rule("chat.choose_channels", anyone)
