"""Readiness: pages and API operations for the access matrix."""

from __future__ import annotations

from bellwether.testing.access import Operation, Page, World, only


def build(world: World) -> None:
    pass


PAGES: list[Page] = [
    Page("assessments:home", only(("admin", "sponsor", "leader", "coach"))),
]

OPERATIONS: list[Operation] = []
