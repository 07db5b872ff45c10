"""What a person must do, as every app reports it: one shape for the task inbox.

Each app that asks people to act exposes ``selectors.inbox_items(membership, today=…)``
returning ``InboxItem`` rows (its own, with a link to the page where the task is done);
the home pages (``insights``) gather them. An item may stand for many rows ("12 plan
reviews overdue") when listing each would drown the inbox of an administrator.
Pure: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class InboxItem:
    kind: str  # "<app>.<task>", e.g. "surveys.respond"
    title: str
    url: str
    due: date | None = None
    detail: str = ""
    count: int = 1

    def is_overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today

    def sort_key(self) -> tuple[date, str]:
        return (self.due or date.max, self.title)
