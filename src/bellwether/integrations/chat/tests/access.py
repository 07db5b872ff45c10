"""The Slack and Teams pages in the access matrix (tests/test_access_matrix.py).

The connections and the delivery log are for organisation admins; every member opens
their own channel choices. The connect and disconnect actions are POST-only.
"""

from __future__ import annotations

from bellwether.testing.access import Page, everyone, only

PAGES = [
    Page("chat:admin", only(("admin",))),
    Page("chat:connect_slack", everyone(405)),
    Page("chat:disconnect_slack", everyone(405)),
    Page("chat:connect_teams", everyone(405)),
    Page("chat:disconnect_teams", everyone(405)),
    Page("chat:preferences", everyone(200)),
]
