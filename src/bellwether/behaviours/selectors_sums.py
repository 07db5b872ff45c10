"""The check-in sums of many leaders in one SQL pass: the decaying consistency sums over
a window, and KPI 2's own four-week window. Used by ``selectors``."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection

from bellwether.behaviours import consistency
from bellwether.behaviours.models import CheckIn
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.people.models import OrgUnit, Person

# The check for earlier check-ins runs once per leader on the aggregate (an index probe
# each), not inside it, where PostgreSQL evaluates it far more often. ``ndr`` is the
# daily numerator over KPI 2's window alone: the weights of its days are the same.
_SUMS_SQL = """
{values}
SELECT s.*,
       EXISTS (SELECT 1 FROM {table} e WHERE e.person_id = s.person_id AND e.day < %s)
FROM (
    SELECT c.person_id, MIN(c.day) AS first_day,
           SUM(c.daily * {wd}) AS nd, SUM(c.weekly * {ww}) AS nw, SUM(c.monthly * {wm}) AS nm,
           SUM(CASE WHEN c.day >= %s THEN c.daily ELSE 0 END) AS od,
           SUM(CASE WHEN c.day >= %s THEN c.weekly ELSE 0 END) AS ow,
           SUM(CASE WHEN c.day >= %s THEN c.monthly ELSE 0 END) AS om,
           SUM(CASE WHEN c.day >= %s THEN c.daily * {wd} ELSE 0 END) AS ndr
    FROM {table} c {join}
    WHERE c.organisation_id = %s AND c.day >= %s AND c.day <= %s {people}
    GROUP BY c.person_id
) s
"""

# The leaders placed in a unit's subtree: its path is a prefix of theirs (indexed).
_IN_SUBTREE_SQL = """
    AND c.person_id IN (
        SELECT p.id FROM {people} p JOIN {units} u ON u.id = p.org_unit_id
        WHERE u.path LIKE %s
    )
"""


def _weights_sql(
    weights: tuple[consistency.DayWeight, ...],
) -> tuple[dict[str, str], list[Any], dict[str, list[Any]]]:
    """How each row finds its day's weights: on PostgreSQL an array indexed by the day's
    offset (no join; typed, so the sums are in floating point rather than numeric), on
    SQLite a ``VALUES`` table joined on the day. Returns the SQL parts, the parameters of
    the ``VALUES`` table and those of each weight expression."""
    start = weights[0].day
    names = dict(zip(("wd", "ww", "wm"), consistency.FREQUENCIES, strict=True))
    if connection.vendor == "postgresql":
        array = "(CAST(%s AS DOUBLE PRECISION[]))[c.day - CAST(%s AS DATE) + 1]"
        parts = {"values": "", "join": ""} | dict.fromkeys(names, array)
        each = {name: [[w.weight[f] for w in weights], start] for name, f in names.items()}
        return parts, [], each
    rows = ", ".join(["(%s, %s, %s, %s)"] * len(weights))
    parts = {
        "values": f"WITH w (day, wd, ww, wm) AS (VALUES {rows})",
        "join": "JOIN w ON w.day = c.day",
    } | {name: f"w.{name}" for name in names}
    values = [v for w in weights for v in (w.day, *(w.weight[f] for f in names.values()))]
    return parts, values, {name: [] for name in names}


@dataclass(frozen=True)
class _Sums:
    first_day: dt.date  # the first day that counts (before the window: the day before it)
    sums: consistency.Sums
    recent_daily: float  # the daily numerator over KPI 2's window


def _people_sql(person_ids: list[int] | None, params: list[Any]) -> str:
    """The condition limiting the sums to ``person_ids`` (none: everyone), its
    parameters appended to ``params``."""
    if person_ids is None:
        return ""
    params += person_ids
    return "AND c.person_id IN (" + ", ".join(["%s"] * len(person_ids)) + ")"


def _first_day(first: dt.date | str, earlier: bool, range_start: dt.date) -> dt.date:
    """The first day that counts: the first check-in read, or the day before the range
    when the leader checked in before it (SQLite answers dates as text)."""
    if earlier:
        return range_start - dt.timedelta(days=1)
    return first if isinstance(first, dt.date) else dt.date.fromisoformat(first)


def _sums(
    organisation_id: int,
    as_of: dt.date,
    window_days: int,
    person_ids: list[int] | None,
    unit_path: str = "",
) -> dict[int, _Sums]:
    """Per leader with check-ins in the window: the weighted sums, in one pass (of the
    given people, or of everyone placed in the subtree of the unit at ``unit_path``)."""
    weights = consistency.day_weights(as_of, window_days)
    range_start = weights[0].day
    parts, params, each = _weights_sql(weights)
    params = [*params, range_start, *each["wd"], *each["ww"], *each["wm"]]
    # The current day, week and month: a tick there adds 1 to the denominator too.
    params += [consistency.period_start(as_of, f) for f in consistency.FREQUENCIES]
    recent_start = consistency.window_start(as_of, RULES.demonstrates_window_days)
    params += [recent_start, *each["wd"], organisation_id, range_start, as_of]
    people = _people_sql(person_ids, params)
    if unit_path:
        people += _IN_SUBTREE_SQL.format(people=Person._meta.db_table, units=OrgUnit._meta.db_table)
        params.append(unit_path + "%")
    sql = _SUMS_SQL.format(table=CheckIn._meta.db_table, people=people, **parts)
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for person_id, first, nd, nw, nm, od, ow, om, ndr, earlier in cursor.fetchall():
            first_day = _first_day(first, earlier, range_start)
            sums = consistency.Sums(
                dict(zip(consistency.FREQUENCIES, map(float, (nd, nw, nm)), strict=True)),
                dict(zip(consistency.FREQUENCIES, map(float, (od, ow, om)), strict=True)),
            )
            result[person_id] = _Sums(first_day, sums, float(ndr))
    return result


# KPI 2 reads its own window only: the daily ticks weighted by age, those of ``as_of``
# itself (the open day), and the first day that counts. A first check-in before the window
# counts as the window's start, as in ``consistency.closed_weight``, so the day before the
# window stands for it.
_KPI2_SQL = """
{values}
SELECT s.person_id, s.first_day, s.ndr, s.od,
       EXISTS (SELECT 1 FROM {table} e WHERE e.person_id = s.person_id AND e.day < %s)
FROM (
    SELECT c.person_id, MIN(c.day) AS first_day, SUM(c.daily * {wd}) AS ndr,
           SUM(CASE WHEN c.day >= %s THEN c.daily ELSE 0 END) AS od
    FROM {table} c {join}
    WHERE c.organisation_id = %s AND c.day >= %s AND c.day <= %s {people}
    GROUP BY c.person_id
) s
"""


def _window_sums(
    organisation_id: int, as_of: dt.date, person_ids: list[int] | None
) -> dict[int, _Sums]:
    """Per leader with check-ins in KPI 2's window: what ``_demonstrates`` needs."""
    window = RULES.demonstrates_window_days
    start = consistency.window_start(as_of, window)
    weights = tuple(w for w in consistency.day_weights(as_of, window) if w.day >= start)
    parts, params, each = _weights_sql(weights)
    params = [*params, start, *each["wd"], as_of, organisation_id, start, as_of]
    people = _people_sql(person_ids, params)
    sql = _KPI2_SQL.format(table=CheckIn._meta.db_table, people=people, **parts)
    zero = dict.fromkeys(consistency.FREQUENCIES, 0.0)
    result = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for person_id, first, ndr, od, earlier in cursor.fetchall():
            first_day = _first_day(first, earlier, start)
            sums = consistency.Sums(dict(zero), {**zero, "daily": float(od)})
            result[person_id] = _Sums(first_day, sums, float(ndr))
    return result


def _demonstrates(row: _Sums, as_of: dt.date) -> bool:
    """KPI 2 from a leader's sums (of any window containing KPI 2's)."""
    daily = consistency.frequency_score(
        numerator=row.recent_daily,
        open_done=row.sums.open_done["daily"],
        first_day=row.first_day,
        as_of=as_of,
        frequency="daily",
        window_days=RULES.demonstrates_window_days,
    )
    return consistency.demonstrates(daily)


def _scores(
    organisation_id: int, as_of: dt.date, person_ids: list[int] | None, *, unit_path: str = ""
) -> dict[int, tuple[float, bool]]:
    """Per leader with check-ins: the overall score over the lookback window and whether
    they demonstrate daily AI leadership behaviours (one pass over the year's rows)."""
    scores = {}
    sums = _sums(organisation_id, as_of, RULES.lookback_days, person_ids, unit_path)
    for pk, row in sums.items():
        total, _ = consistency.overall_from_sums(
            row.sums, first_day=row.first_day, as_of=as_of, window_days=RULES.lookback_days
        )
        scores[pk] = (total, _demonstrates(row, as_of))
    return scores
