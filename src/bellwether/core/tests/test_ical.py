"""core.ical writes calendars a standard parser reads back with the right zones."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from bellwether.core.ical import CalendarEvent, calendar_bytes


def test_events_round_trip_with_their_time_zone() -> None:
    london = ZoneInfo("Europe/London")
    start = datetime(2026, 7, 1, 9, 30, tzinfo=london)
    body = calendar_bytes(
        [
            CalendarEvent(
                uid="workshop-1@demo",
                summary="Vision session 1",
                start=start,
                end=datetime(2026, 7, 1, 13, 0, tzinfo=london),
                location="Board room",
            ),
            CalendarEvent(uid="slot-2@demo", summary="Weekly update", start=date(2026, 7, 3)),
        ],
        name="Demo calendar",
    )
    calendar = Calendar.from_ical(body)
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["workshop-1@demo", "slot-2@demo"]
    first = events[0].decoded("dtstart")
    assert first == start
    assert first.utcoffset() == start.utcoffset()
    assert events[1].decoded("dtstart") == date(2026, 7, 3)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
    assert str(calendar["x-wr-calname"]) == "Demo calendar"


def test_a_naive_start_is_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        calendar_bytes(
            [CalendarEvent(uid="x", summary="x", start=datetime(2026, 1, 1, 9))], name="x"
        )
