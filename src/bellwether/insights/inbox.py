"""The task inbox: everything a member must do, gathered from each app's
``selectors.inbox_items`` (``core.inbox.InboxItem``), soonest due first.

Adding a domain's tasks is one line in ``SOURCES``; the home pages, the inbox page and
the count in the navigation all read ``inbox_for``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bellwether.accounts.models import Membership
from bellwether.behaviours import selectors as behaviours
from bellwether.coaching import selectors as coaching
from bellwether.communications import selectors as communications
from bellwether.core.inbox import InboxItem
from bellwether.development import selectors as development
from bellwether.engagement import selectors as engagement
from bellwether.initiatives import selectors as initiatives
from bellwether.peers import selectors as peers
from bellwether.reviews import selectors as reviews
from bellwether.surveys import selectors as surveys

Source = Callable[..., list[InboxItem]]

SOURCES: tuple[Source, ...] = (
    surveys.inbox_items,
    initiatives.inbox_items,
    engagement.inbox_items,
    peers.inbox_items,
    communications.inbox_items,
    coaching.inbox_items,
    behaviours.inbox_items,
    development.inbox_items,
    reviews.inbox_items,
)


def inbox_for(membership: Membership, *, today: date) -> list[InboxItem]:
    items = [item for source in SOURCES for item in source(membership, today=today)]
    return sorted(items, key=InboxItem.sort_key)


def open_count(items: list[InboxItem]) -> int:
    """How many things there are to do (a summary item counts its rows)."""
    return sum(item.count for item in items)
