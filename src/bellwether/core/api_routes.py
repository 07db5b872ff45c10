"""Declaring the API's repeated endpoint shapes once.

Most API lists are the same five steps: ask the access rule for the member, choose the rows
the member may see, cut one keyset page of them (``core.cursor.api_page``, the next page's
cursor in the headers), and shape each row. ``paged_list`` writes those steps once; the
endpoint says only what differs: which rows, in which order, under which cursor scope, and
how a row is shaped.

The operation ninja registers has the decorated function's name, module and docstring (so
the same default operation id, summary and description as a hand-written view) and its
query parameters, so the OpenAPI document does not change when an endpoint moves to it.
"""

from __future__ import annotations

import inspect
import typing
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from bellwether.core import cursor

Rows = TypeVar("Rows", bound=Callable[..., QuerySet[Any]])


def paged_list(
    router: Router,
    path: str,
    *,
    check: Callable[[HttpRequest], Any],
    order: Sequence[str],
    scope: str,
    item: Callable[[Any], Any] | None = None,
    items: Callable[[list[Any]], list[Any]] | None = None,
    **route: Any,
) -> Callable[[Rows], Rows]:
    """Register ``GET path`` on ``router`` as a keyset-paged list; ``route`` is what
    ``router.get`` takes (usually ``**core.api.paged(Out, operation_id, summary)``).

    The decorated function chooses the rows: ``rows(membership, query, **more)``, where
    ``membership`` is what ``check(request)`` answers (it refuses with 401/403), ``query``
    the query-string schema with the paging fields (``core.schema.CursorQuery`` or a
    subclass with filters) and ``more`` any further query parameters, declared as a view
    declares them. One page of the rows in ``order`` (``scope`` names the list in its
    cursors) is answered as ``item(row)`` for each row, or as ``items(page)`` when the
    page is shaped as a whole (say, one more query for all its rows).
    """
    if (item is None) == (items is None):
        raise TypeError("paged_list takes exactly one of item and items")

    def register(rows: Rows) -> Rows:
        # The view's parameters are the rows function's after ``membership``, resolved
        # here (its annotations are text under ``from __future__ import annotations``).
        hints = typing.get_type_hints(rows, include_extras=True)
        paging, *more = list(inspect.signature(rows).parameters.values())[1:]

        def view(request: HttpRequest, response: HttpResponse, **params: Any) -> list[Any]:
            membership = check(request)
            found = cursor.api_page(
                request,
                response,
                params[paging.name],
                rows(membership, **params),
                order=order,
                scope=scope,
            )
            if items is not None:
                return items(found)
            assert item is not None
            return [item(row) for row in found]

        keyword = inspect.Parameter.POSITIONAL_OR_KEYWORD
        in_query: Any = Query  # ``Query[schema]`` with a schema known only at run time
        view.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
            [
                inspect.Parameter("request", keyword),
                inspect.Parameter("response", keyword, annotation=HttpResponse),
                paging.replace(annotation=in_query[hints[paging.name]]),
                *(p.replace(annotation=hints.get(p.name, p.annotation)) for p in more),
            ]
        )
        view.__name__ = rows.__name__
        view.__qualname__ = rows.__qualname__
        view.__module__ = rows.__module__
        view.__doc__ = rows.__doc__
        router.get(path, **route)(view)
        return rows

    return register
