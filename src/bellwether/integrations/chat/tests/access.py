"""The Slack and Teams pages in the access matrix (tests/test_access_matrix.py).

The connections and the delivery log are for organisation admins; every member opens
their own channel choices. The connect and disconnect actions are POST-only. The API
twins: every member reads and sets their own channels; the log is for admins.
"""

from __future__ import annotations

from bellwether.testing.access import Operation, Page, api_everyone, api_only, everyone, only

PAGES = [
    Page("chat:admin", only(("admin",))),
    Page("chat:connect_slack", everyone(405)),
    Page("chat:disconnect_slack", everyone(405)),
    Page("chat:connect_teams", everyone(405)),
    Page("chat:disconnect_teams", everyone(405)),
    Page("chat:preferences", everyone(200)),
]

BASE = "/api/v1/chat"

OPERATIONS = [
    Operation("get", f"{BASE}/channels", api_everyone(200)),
    Operation(
        "put", f"{BASE}/channels", api_everyone(200), body=lambda world: {"surveys": "email"}
    ),
    Operation("get", f"{BASE}/deliveries", api_only(("admin",))),
]
