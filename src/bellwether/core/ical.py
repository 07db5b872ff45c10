"""iCalendar (RFC 5545) files and feeds: the one way Bellwether writes a calendar.

Workshops, coaching sessions, roundtables and communication slots are all offered as
``.ics`` (one event to add) or as a subscribed feed (``webcal://``). The maintained
``icalendar`` library writes the text; this module fixes what every calendar of ours
carries: a product id, a stable UID per event (so a re-download updates rather than
duplicates the entry), aware start and end times with their VTIMEZONE, and a name.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from icalendar import Calendar, Event

PRODUCT_ID = "-//Bellwether//Leadership engagement//EN"


@dataclass(frozen=True)
class CalendarEvent:
    """One entry: ``uid`` must be stable for the same thing (e.g. ``workshop-12@<org>``).

    ``start``/``end`` are aware datetimes (shown in their own time zone) or dates (an
    all-day entry)."""

    uid: str
    summary: str
    start: datetime | date
    end: datetime | date | None = None
    description: str = ""
    location: str = ""
    url: str = ""
    status: str = ""  # TENTATIVE, CONFIRMED or CANCELLED; "" leaves it out


def calendar_bytes(events: Iterable[CalendarEvent], *, name: str) -> bytes:
    """The events as one VCALENDAR, with the VTIMEZONE of every zone they use."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    stamp = datetime.now(tz=UTC)
    for item in events:
        if isinstance(item.start, datetime) and item.start.tzinfo is None:
            raise ValueError(f"event {item.uid!r} starts at a naive time; give its time zone")
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("summary", item.summary)
        event.add("dtstart", item.start)
        if item.end is not None:
            event.add("dtend", item.end)
        if item.description:
            event.add("description", item.description)
        if item.location:
            event.add("location", item.location)
        if item.url:
            event.add("url", item.url)
        if item.status:
            event.add("status", item.status)
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())
