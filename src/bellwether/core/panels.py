"""Panels other modules add to a person's page (readiness, influence, plans...).

Each app may provide ``bellwether.<app>.panels.person_panel(*, request, membership,
person) -> Panel | None``; it decides with the permission module whether the viewer
may see it and returns ``None`` otherwise. Apps are asked in INSTALLED_APPS order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bellwether.core.app_modules import app_modules

if TYPE_CHECKING:
    from django.http import HttpRequest


@dataclass(frozen=True)
class Panel:
    title: str
    template: str  # rendered inside a card; the context is available as ``panel``
    context: dict[str, Any] = field(default_factory=dict)
    key: str = ""  # the anchor id, e.g. "readiness"


PanelProvider = Callable[..., "Panel | None"]


def _providers() -> list[PanelProvider]:
    return [module.person_panel for module in app_modules("panels", besides="bellwether.core")]


def person_panels(*, request: HttpRequest, membership: Any, person: Any) -> list[Panel]:
    """The panels every app adds to ``person``'s page for ``membership`` (a Membership and a
    Person: typed loosely because core imports no app)."""
    panels = []
    for provider in _providers():
        panel = provider(request=request, membership=membership, person=person)
        if panel is not None:
            panels.append(panel)
    return panels
