"""The vocabulary of the access matrix (tests/test_access_matrix.py).

Each app that adds pages or API operations lists them in
``bellwether/<app>/tests/access.py`` as ``PAGES`` and ``OPERATIONS``, with an
optional ``build(world)`` that adds the objects its entries need to ``world``
(organisation A's fixtures: ``org``, ``members``, ``bystander``, ``coachee``,
``leader_person``, ``unit`` …). The matrix collects them from every installed
app, so a new URL or operation is tested for every role, and for the
cross-organisation 404, as soon as it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bellwether.core.app_modules import app_modules

ROLES = ("anonymous", "admin", "sponsor", "leader", "coach", "reviewer", "outsider")
MEMBER_ROLES = ROLES[1:]

World = dict[str, Any]


def everyone(status: int, **overrides: int) -> dict[str, int]:
    """Signed-in roles get ``status``; anonymous visitors are sent to sign in."""
    expected = dict.fromkeys(MEMBER_ROLES, status) | {"anonymous": 302}
    expected.update(overrides)
    return expected


def only(allowed: tuple[str, ...], *, refused: int = 403, outsider: int = 200) -> dict[str, int]:
    """200 for the ``allowed`` roles, ``refused`` for the others; the outsider (an admin
    of another organisation) gets ``outsider``: 200 on a page of their own
    organisation, 404 on an object of ours."""
    expected = {role: (200 if role in allowed else refused) for role in MEMBER_ROLES}
    expected["outsider"] = outsider
    expected["anonymous"] = 302
    return expected


def api_everyone(status: int, **overrides: int) -> dict[str, int]:
    expected = dict.fromkeys(MEMBER_ROLES, status) | {"anonymous": 401}
    expected.update(overrides)
    return expected


def api_only(
    allowed: tuple[str, ...], *, refused: int = 403, outsider: int = 200, ok: int = 200
) -> dict[str, int]:
    expected = {role: (ok if role in allowed else refused) for role in MEMBER_ROLES}
    expected["outsider"] = outsider
    expected["anonymous"] = 401
    return expected


def no_kwargs(world: World) -> dict[str, Any]:
    return {}


def pk_of(key: str, name: str = "pk") -> Callable[[World], dict[str, Any]]:
    """A page's kwargs or an operation's params: the id of ``world[key]`` under ``name``."""

    def kwargs(world: World) -> dict[str, Any]:
        return {name: world[key].pk}

    return kwargs


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:url_name"
    expect: dict[str, int]
    kwargs: Callable[[World], dict[str, Any]] = no_kwargs
    # A page about one object of organisation A: the outsider must get 404 for it,
    # by GET and by POST, and change nothing.
    is_object_page: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str  # the OpenAPI path template, e.g. /api/v1/people/{person_id}
    expect: dict[str, int]
    params: Callable[[World], dict[str, Any]] = no_kwargs
    body: Callable[[World], Any] | None = None
    is_object: bool = False
    # Called after an allowed call that changed something, to put it back for the next role.
    restore: Callable[[World], None] | None = field(default=None)


@dataclass
class Collected:
    pages: list[Page]
    operations: list[Operation]
    builders: list[Callable[[World], None]]


def collect() -> Collected:
    pages: list[Page] = []
    operations: list[Operation] = []
    builders: list[Callable[[World], None]] = []
    for module in app_modules("tests.access"):
        pages.extend(getattr(module, "PAGES", []))
        operations.extend(getattr(module, "OPERATIONS", []))
        if hasattr(module, "build"):
            builders.append(module.build)
    return Collected(pages, operations, builders)
