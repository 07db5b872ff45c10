"""Who may read the framework catalogue: the page and the API ask the same rule."""

from __future__ import annotations

from bellwether.accounts.access import MemberRule, anyone
from bellwether.core.access import Rule

#: Rule name → who. The framework is what everyone works to: every active member reads it.
VIEW_CATALOGUE: MemberRule = Rule("framework.view_catalogue", anyone)
