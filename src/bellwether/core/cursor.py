"""Keyset (cursor) pages: the rows after the last one shown, in a fixed order.

A page read with OFFSET makes the database walk past every row before it (page 1,900 of
the people list walked 95,000 rows); a keyset page starts from the last row's sort
values (``WHERE (name, id) > (…)``), which an index finds directly, so every page costs
what the first does. The cursor handed to the client is those values, signed: a cursor
that was not ours, or was changed, is refused with a 400 that says to start again
(``CursorRefused``), never a 500, and can select nothing a filter would not.

Order fields must be non-null and end with a unique one (the primary key), so that no
two rows share a position.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from django.core import signing
from django.db.models import Q, QuerySet

from bellwether.core.errors import DomainError

_SALT = "bellwether.core.cursor"


class CursorRefused(DomainError):
    """A cursor that was not handed out by this server, or not for this list."""

    def __init__(self, field: str = "cursor") -> None:
        message = (
            "This page cursor is not valid (changed, or from another list). "
            "Start again from the first page, without a cursor."
        )
        super().__init__(message, code="invalid_cursor", field_errors={field: [message]})


@dataclass(frozen=True)
class CursorPage:
    rows: list[Any]
    next: str | None  # the cursor of the page after this one; None on the last page
    previous: str | None = None  # pass as ``before`` for the page before; None on the first


def encode(values: Sequence[Any], *, scope: str) -> str:
    """A signed cursor holding ``values`` for the list named ``scope``."""
    return signing.dumps([scope, list(values)], salt=_SALT, compress=False)


def decode(cursor: str, *, scope: str, width: int, field: str = "cursor") -> list[Any]:
    """The values of a cursor made by ``encode`` for ``scope``; ``CursorRefused`` for any
    other text (tampered, truncated, another list's, another shape)."""
    try:
        found = signing.loads(cursor, salt=_SALT)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise CursorRefused(field) from exc
    if (
        not isinstance(found, list)
        or len(found) != 2
        or found[0] != scope
        or not isinstance(found[1], list)
        or len(found[1]) != width
    ):
        raise CursorRefused(field)
    return list(found[1])


def after(order: Sequence[str], values: Sequence[Any]) -> Q:
    """Rows strictly after ``values`` in ``order`` (field names, ``-`` for descending)."""
    condition = Q(pk__in=[])
    for i, name in enumerate(order):
        field = name.lstrip("-")
        step = Q(**{f"{field}__{'lt' if name.startswith('-') else 'gt'}": values[i]})
        for earlier, value in zip(order[:i], values[:i], strict=False):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def _value(row: Any, field: str) -> Any:
    if isinstance(row, Mapping):
        return row[field]
    value = row
    for part in field.split("__"):
        value = getattr(value, "pk" if part == "pk" else part)
    return value


def _flip(order: Sequence[str]) -> list[str]:
    return [name[1:] if name.startswith("-") else f"-{name}" for name in order]


def page(
    rows: QuerySet[Any],
    *,
    order: Sequence[str],
    limit: int,
    cursor: str | None = None,
    before: str | None = None,
    scope: str,
    field: str = "cursor",
) -> CursorPage:
    """Up to ``limit`` rows of ``rows`` in ``order``: those after ``cursor``, or those
    just before ``before`` (the way back), or the first ones; with the cursors of the
    pages after and before them (one query: ``limit + 1`` rows)."""
    backward = bool(before) and not cursor
    given = before if backward else cursor
    walk = _flip(order) if backward else list(order)
    ordered = rows.order_by(*walk)
    if given:
        ordered = ordered.filter(
            after(walk, decode(given, scope=scope, width=len(order), field=field))
        )
    found = list(ordered[: limit + 1])
    chosen = found[:limit]
    more = len(found) > limit
    if backward:
        chosen.reverse()
    if not chosen:
        return CursorPage([], None, None)

    def at(row: Any) -> str:
        return encode([_json(_value(row, f.lstrip("-"))) for f in order], scope=scope)

    has_next = True if backward else more
    has_previous = more if backward else bool(given)
    return CursorPage(
        chosen, at(chosen[-1]) if has_next else None, at(chosen[0]) if has_previous else None
    )


def announce_next(request: Any, response: Any, following: str | None, limit: int) -> None:
    """For an API list that answers a plain JSON list: the next page's cursor in the
    ``X-Next-Cursor`` header and a ``Link: <…>; rel="next"`` with the same filters
    (nothing on the last page)."""
    if not following:
        return
    query = request.GET.copy()
    query["cursor"] = following
    query["limit"] = str(limit)
    response["X-Next-Cursor"] = following
    response["Link"] = f'<{request.path}?{query.urlencode()}>; rel="next"'


# An API list's ``openapi_extra``: the 200 answer's paging headers, documented.
NEXT_PAGE_HEADERS: dict[str, Any] = {
    "responses": {
        200: {
            "headers": {
                "X-Next-Cursor": {
                    "description": "The next page's cursor (pass it as `cursor`); absent on "
                    "the last page. A cursor that was changed answers 400 `invalid_cursor`.",
                    "schema": {"type": "string"},
                },
                "Link": {
                    "description": 'The next page\'s URL with the same filters (`rel="next"`); '
                    "absent on the last page",
                    "schema": {"type": "string"},
                },
            }
        }
    }
}
CURSOR_HELP = "The `X-Next-Cursor` of the previous page: the page after it, as fast as the first"


class PagingQuery(Protocol):
    """An API list's paging parameters (``core.schema.CursorQuery`` or a filter schema
    that has the same two fields)."""

    @property
    def limit(self) -> int: ...
    @property
    def cursor(self) -> str: ...


@dataclass(frozen=True)
class Paging:
    """``PagingQuery`` for an endpoint that takes ``limit`` and ``cursor`` as two
    parameters of its own."""

    limit: int
    cursor: str = ""


def api_page(
    request: Any,
    response: Any,
    query: PagingQuery,
    rows: QuerySet[Any],
    *,
    order: Sequence[str],
    scope: str,
) -> list[Any]:
    """The rows of one page of an API list that answers a plain JSON list: at most
    ``query.limit`` in ``order``, after ``query.cursor``; the next page's cursor goes out in
    the headers (``announce_next``, documented by ``NEXT_PAGE_HEADERS``)."""
    limit = query.limit
    found = page(rows, order=order, limit=limit, cursor=query.cursor or None, scope=scope)
    announce_next(request, response, found.next, limit)
    return found.rows


@dataclass(frozen=True)
class HtmlPage:
    """A keyset page for a template: iterates over its rows; ``count`` and
    ``num_pages`` (as ``paginator``) for the heading; ``next`` and ``previous`` cursors
    for ``includes/cursor_pagination.html`` (``?after=`` and ``?before=``)."""

    rows: list[Any]
    count: int
    per_page: int
    next: str | None
    previous: str | None
    first: bool
    cursor_paged: bool = True

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    @property
    def object_list(self) -> list[Any]:
        return self.rows

    @property
    def paginator(self) -> HtmlPage:
        return self

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.per_page))

    @property
    def number(self) -> int | None:
        return 1 if self.first else None


def html_page(
    rows: QuerySet[Any],
    *,
    order: Sequence[str],
    limit: int,
    query: Mapping[str, str],
    scope: str,
) -> HtmlPage:
    """The keyset page a list page's query string asks for (``after`` or ``before``, else
    the first), with the count of all matching rows (two queries)."""
    after_, before = query.get("after") or None, query.get("before") or None
    found = page(
        rows, order=order, limit=limit, cursor=after_, before=before, scope=scope, field="page"
    )
    first = not after_ and (not before or found.previous is None)
    return HtmlPage(
        found.rows, rows.count(), limit, found.next, None if first else found.previous, first
    )


def _json(value: Any) -> Any:
    """A sort value as the cursor keeps it (dates and times as ISO text, which the ORM
    reads back into the field's type when filtering)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
