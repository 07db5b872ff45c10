"""Navigation for the base layout: an item for each page the member's access rules open."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from django.http import HttpRequest
from django.urls import resolve, reverse

from bellwether.accounts.access import anyone, current_member
from bellwether.accounts.models import Membership

# The menu in groups, in order: (group label, ((label, URL name), ...)). The first group
# stands on its own; each other group is a drop-down of its pages when it holds two or
# more the member may open (one is shown on its own). An item shows when the page's own
# access rule (the ``access_rule`` that ``@page`` sets on the view) allows the member: the
# menu never offers a page that would refuse them.
NAV_GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "",
        (
            ("Home", "core:home"),
            ("To do", "insights:inbox"),
            ("KPIs", "insights:dashboard"),
        ),
    ),
    (
        "Leaders",
        (
            ("Readiness", "assessments:home"),
            ("Influence", "influence:home"),
            ("Plans", "engagement:home"),
            ("Development", "development:home"),
            ("Communications", "communications:home"),
            ("Coaching", "coaching:home"),
            ("Peers", "peers:home"),
            ("Behaviours", "behaviours:home"),
            ("Reviews", "reviews:home"),
            ("Succession", "succession:home"),
        ),
    ),
    (
        "Organisation",
        (
            ("People", "people:list"),
            ("Org chart", "people:org_chart"),
            ("Import", "people:import"),
            ("Initiatives", "initiatives:portfolio"),
            ("Surveys", "surveys:campaigns"),
        ),
    ),
    (
        "Settings",
        (
            ("Framework", "framework:catalogue"),
            ("Members", "accounts:members"),
            ("Audit log", "core:audit_log"),
            ("Scheduled jobs", "core:scheduled_jobs"),
            ("SCIM provisioning", "scim_admin:tokens"),
            ("Slack and Teams", "chat:admin"),
            ("Notifications", "chat:preferences"),
        ),
    ),
)
NAV_ITEMS: tuple[tuple[str, str], ...] = tuple(item for _, items in NAV_GROUPS for item in items)


@cache
def _shown_to(name: str) -> Callable[[Membership], bool]:
    """The question deciding who sees the page in the menu."""
    rule = getattr(resolve(reverse(name)).func, "access_rule", None)
    if rule is not None:
        return rule.allows
    return anyone  # the home page, which every member opens


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership: Membership | None = current_member(request)
    if membership is None:
        return {"nav_items": [], "membership": None}
    items: list[tuple[str, str]] = []
    for label, name in NAV_ITEMS:
        if _shown_to(name)(membership):
            items.append((label, reverse(name)))
    current = request.path
    # The item whose address is the longest prefix of this page is the current one
    # (Import lives under /people/ but is not People).
    matches = [
        url for _, url in items if current == url or (url != "/" and current.startswith(url))
    ]
    active = max(matches, key=len) if matches else None
    nav = [
        {
            "label": label,
            "url": url,
            "active": url == active,
            # The count is fetched after the page loads (app.js): pages never pay for it.
            "count_url": url + "count/" if label == "To do" else "",
        }
        for label, url in items
    ]
    by_label = {item["label"]: item for item in nav}
    groups = []
    for group_label, group_items in NAV_GROUPS:
        shown = [by_label[label] for label, _ in group_items if label in by_label]
        if not shown:
            continue
        groups.append(
            {
                # A lone page needs no drop-down: it stands on its own.
                "label": group_label if len(shown) > 1 else "",
                "items": shown,
                "active": any(item["active"] for item in shown),
            }
        )
    return {"nav_items": nav, "nav_groups": groups, "membership": membership}
