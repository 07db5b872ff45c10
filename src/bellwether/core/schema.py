"""The rules every API input follows, and the types and error answers every app's api.py shares.

Inputs are strict: a request body is validated by a ``StrictInput`` schema, which refuses
keys it does not know (a misspelt ``dryRun`` is a 422, not a silent default), never
coerces one JSON type into another (``true`` is not the id 1, ``"12"`` is not 12, ``1.0``
is not an integer), refuses NaN and infinities, and accepts a body only when it is a JSON
object. Numbers and dates are bounded to what the database can hold and the domain can
mean: ids are 1..2^63-1, dates fall between 1900 and 2200.

Query strings are text on the wire, so ``QueryInput`` schemas (and path parameters) are
the one documented place where text is read as a number or a boolean.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from ninja import NinjaAPI, Path, Schema
from ninja.openapi.schema import OpenAPISchema
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, Strict
from pydantic_core import PydanticCustomError

from bellwether.core.bounds import EARLIEST_YEAR, LATEST_YEAR, MAX_ID
from bellwether.core.links import MAX_LINK_LENGTH, clean_link

__all__ = [
    "ERRORS",
    "BatchCounts",
    "CellValue",
    "Date",
    "ErrorOut",
    "Id",
    "Link",
    "PathId",
    "QueryId",
    "QueryInput",
    "StrictInput",
    "UtcDateTime",
]


class StrictInput(BaseModel):
    """The base of every request body schema (see the module docstring)."""

    # Not ninja's Schema: that one reads attributes off any value (a bare ``5`` or a
    # string becomes "every field at its default"), which is exactly what must not happen.
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


class QueryInput(BaseModel):
    """The base of every query-string schema: its parameters are parsed from text (and
    bounded like body values); ninja passes it only the parameters it declares."""

    model_config = ConfigDict(allow_inf_nan=False)


class CursorQuery(QueryInput):
    """The paging parameters of an API list answered as a plain JSON list (the next page's
    cursor goes out in the ``X-Next-Cursor`` header: ``core.cursor.api_page``)."""

    limit: int = Field(100, ge=1, le=500, description="At most this many a page")
    cursor: str = Field(
        "",
        max_length=500,
        description="The `X-Next-Cursor` of the previous page: the page after it, as fast as "
        "the first",
    )


# --- bounded numbers ----------------------------------------------------------------------------

# An id in a request body: a JSON integer (never a boolean, string or float) the database can hold.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# An id in the URL path; out-of-range values get a 422 rather than a database error.
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]
# An id in a query string (text on the wire, parsed).
QueryId = Annotated[int, Field(ge=1, le=MAX_ID)]


# A value in a batch record, as a spreadsheet cell would give it: text, a whole number,
# a yes/no, or null (an empty cell). The importers check each against its field.
CellValue = str | Annotated[int, Field(ge=-MAX_ID, le=MAX_ID)] | bool | None


# --- dates and times ------------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# RFC 3339 (what OpenAPI's "date-time" format means), with the offset required.
_DATE_TIME = re.compile(
    r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([Zz]|[+-]\d{2}:\d{2})$"
)


def _year_in_range(year: int) -> None:
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")


def _date_text(value: Any) -> Any:
    """A date only as ``YYYY-MM-DD`` text: no timestamps, no week dates, no datetimes."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value  # already a date: a default, or an answer being serialised
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValueError("give the date as YYYY-MM-DD, e.g. 2026-03-01")
    return value


def _date_in_range(value: dt.date) -> dt.date:
    _year_in_range(value.year)
    return value


def _date_time_text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value
    if not isinstance(value, str):
        raise ValueError("give the time as text, e.g. 2026-03-01T09:00:00Z")
    if not _DATE_TIME.match(value):
        if re.match(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$", value):
            raise ValueError("give the time with its time zone, e.g. 2026-03-01T09:00:00Z")
        raise ValueError("give the time as YYYY-MM-DDThh:mm:ss with a zone, e.g. 2026-03-01T09:00Z")
    return value


def _as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("give the time with its time zone, e.g. 2026-03-01T09:00:00Z")
    _year_in_range(value.year)
    # Stored in UTC: some databases cannot hold every offset ISO 8601 allows (-17:43).
    return value.astimezone(dt.UTC)


# A calendar date between 1900 and 2200, sent as YYYY-MM-DD.
Date = Annotated[
    dt.date,
    Strict(False),
    BeforeValidator(_date_text),
    AfterValidator(_date_in_range),
    Field(description=f"YYYY-MM-DD, between {EARLIEST_YEAR} and {LATEST_YEAR}"),
]

# An aware datetime (RFC 3339, with its offset), normalised to UTC, within years any
# database can store and the domain can mean.
UtcDateTime = Annotated[
    dt.datetime, Strict(False), BeforeValidator(_date_time_text), AfterValidator(_as_utc)
]


# --- the error answers -----------------------------------------------------------------------------


class ErrorDetail(Schema):
    code: str = Field(description='A stable reason, e.g. "invalid", "not_found", "forbidden"')
    message: str = Field(description="What went wrong, for a person to read")
    fields: dict[str, Any] = Field(description="Problems by field, e.g. records[2].email")


class ErrorOut(Schema):
    error: ErrorDetail


# What a batch upsert changed (``core.api.batch_answer``); each app's answer schema
# extends it with its own counts (a base with no docstring: the subclass's schema is
# exactly its fields).
class BatchCounts(Schema):
    ok: bool
    dry_run: bool
    total: int
    created: int
    updated: int
    unchanged: int


# The answers any authenticated operation can give besides its own: 400 (refused by the
# domain, or unreadable), 401 (no valid token), 403 (not allowed), 404 (missing or not
# visible), 422 (the request does not match its schema).
ERRORS: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ErrorOut,
}


# Every operation can answer these (the exception handlers in ``bellwether.api`` make
# them): 400 refused or unreadable, 404 missing or not visible, 422 not matching the
# schema; 401 and 403 only where a token is required.
_ALWAYS = {400: "Refused: the message says why", 404: "Not found", 422: "Invalid request"}
_WITH_TOKEN = {401: "No valid API token", 403: "Not allowed"}


class DocumentedAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document lists, for every operation, the error answers
    any operation can give, so a client (and the fuzz test) can rely on the document."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return with_error_answers(schema)


def with_error_answers(schema: Any) -> Any:
    """Every operation's document lists the error answers any operation can give."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components.setdefault("ErrorOut", error_schema)
    answer = {
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorOut"}}}
    }
    for operations in schema["paths"].values():
        for operation in operations.values():
            codes = dict(_ALWAYS)
            if operation.get("security"):
                codes.update(_WITH_TOKEN)
            responses = operation.setdefault("responses", {})
            for code, description in codes.items():
                responses.setdefault(code, {"description": description, **answer})
    return schema


def _link(value: str) -> str:
    try:
        return clean_link(value)
    except ValueError as exc:
        # A custom error keeps the message as written (no "Value error, " prefix).
        raise PydanticCustomError("link", str(exc)) from None


# A link others will click: http(s) only, trimmed, "" for none (see core/links.py).
Link = Annotated[str, Field(max_length=MAX_LINK_LENGTH), AfterValidator(_link)]
