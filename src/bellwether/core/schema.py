"""Types shared by the API schemas."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import AfterValidator, Field
from pydantic_core import PydanticCustomError

from bellwether.core.links import MAX_LINK_LENGTH, clean_link

EARLIEST_YEAR = 1900
LATEST_YEAR = 2200


def _as_utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("give the time with its time zone, e.g. 2026-03-01T09:00:00Z")
    if not EARLIEST_YEAR <= value.year <= LATEST_YEAR:
        raise ValueError(f"the year must be between {EARLIEST_YEAR} and {LATEST_YEAR}")
    # Stored in UTC: some databases cannot hold every offset ISO 8601 allows (-17:43).
    return value.astimezone(dt.UTC)


# An aware datetime, normalised to UTC, within years any database can store.
UtcDateTime = Annotated[dt.datetime, AfterValidator(_as_utc)]


def _link(value: str) -> str:
    try:
        return clean_link(value)
    except ValueError as exc:
        # A custom error keeps the message as written (no "Value error, " prefix).
        raise PydanticCustomError("link", str(exc)) from None


# A link others will click: http(s) only, trimmed, "" for none (see core/links.py).
Link = Annotated[str, Field(max_length=MAX_LINK_LENGTH), AfterValidator(_link)]
