"""Text no part of Bellwether can store, refused once, at the door, with a clear 400.

A lone UTF-16 surrogate (``"\\ud800"`` in JSON, or smuggled in through a form's charset)
is a Python ``str`` no database driver can encode: stored through a lenient path it
later breaks every page that shows it, for everyone. A NUL character cannot be stored
or compared by PostgreSQL. NaN and Infinity are not JSON numbers. This middleware checks
the URL, the query string, form fields and any other request body (the API parses every
non-form body as JSON, whatever its content type), so nothing behind it ever sees them.

Checking costs one UTF-8 decode and one regular-expression scan of a body; only a body
that might hold such text (an escaped surrogate, ``\\u0000``, ``NaN`` …) is parsed here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from django.http import HttpRequest, HttpResponse

# In a decoded ``str`` every surrogate code point is a lone one: decoders join a valid
# pair into the single character it encodes.
_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
# What, in a UTF-8 JSON body, can decode to bad text or to a non-finite number.
_SUSPECT_JSON = re.compile(rb"\\u(?:[dD][89a-fA-F]|0000)|NaN|Infinity")

SURROGATE_MESSAGE = (
    "The request contains text with a lone UTF-16 surrogate (such as \\ud800), which is "
    "not valid Unicode and cannot be stored. Nothing was changed."
)
NUL_MESSAGE = "The request contains a NUL character, which is not allowed. Nothing was changed."
NOT_UTF8_MESSAGE = "The request body must be UTF-8 encoded JSON. Nothing was changed."
NON_FINITE_MESSAGE = (
    "The request body contains NaN or Infinity, which are not JSON numbers. Nothing was changed."
)
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


def text_problem(value: str) -> str | None:
    """Why ``value`` cannot be stored, or None when it can."""
    found = _BAD_TEXT.search(value)
    if found is None:
        return None
    return NUL_MESSAGE if found.group() == "\x00" else SURROGATE_MESSAGE


def first_problem(values: Iterable[str]) -> str | None:
    for value in values:
        problem = text_problem(value)
        if problem is not None:
            return problem
    return None


class _NonFinite(ValueError):
    pass


def _refuse_constant(name: str) -> Any:
    raise _NonFinite(name)


def _strings_in(data: Any) -> Iterator[str]:
    """Every key and string value in parsed JSON, without recursion (bodies nest deeply)."""
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def json_body_problem(body: bytes) -> str | None:
    """Why a body the API would parse as JSON must be refused, or None.

    A body that is not JSON at all is left for the endpoint to refuse (ninja answers 400).
    """
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        # Python's JSON reader would take UTF-16, UTF-32 and UTF-8-encoded surrogates.
        return NOT_UTF8_MESSAGE
    if b"\x00" in body:
        # A raw NUL is never in UTF-8 JSON; it is how UTF-16 or UTF-32 JSON (which Python's
        # JSON reader would take) looks when read as UTF-8.
        return NUL_MESSAGE
    if _SUSPECT_JSON.search(body) is None:
        return None
    try:
        data = json.loads(body, parse_constant=_refuse_constant)
    except _NonFinite:
        return NON_FINITE_MESSAGE
    except (ValueError, RecursionError):
        return None
    return first_problem(_strings_in(data))


def _form_strings(request: HttpRequest) -> Iterator[str]:
    for key, values in request.POST.lists():
        yield key
        yield from values
    for key, files in request.FILES.lists():
        yield key
        yield from (f.name or "" for f in files)


def request_problem(request: HttpRequest) -> str | None:
    """Why this request carries text that cannot be stored, or None."""
    problem = text_problem(request.path) or first_problem(
        item for pair in request.GET.lists() for item in (pair[0], *pair[1])
    )
    if problem is not None:
        return problem
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return None
    if request.content_type == "multipart/form-data":
        # Files may hold any bytes (an XLSX is a zip); their names and the fields may not.
        return first_problem(_form_strings(request)) if request.method == "POST" else None
    if request.content_type in FORM_TYPES and request.method == "POST":
        # Fields are decoded with the charset the client names, which may produce surrogates.
        problem = first_problem(_form_strings(request))
        if problem is not None:
            return problem
    body = request.body
    return json_body_problem(body) if body else None


class TextGuardMiddleware:
    """Refuses a request carrying a lone surrogate, a NUL or a non-finite JSON number with a
    400 (the API's error format under /api/) before any view, form or service sees it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        problem = request_problem(request)
        if problem is not None:
            from bellwether.core.views import bad_request

            return bad_request(request, message=problem)
        return self.get_response(request)
