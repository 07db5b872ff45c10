"""The dashboard's filters (period kind and key, unit, level), parsed once for the page,
the API and the exports: a bad value is refused with a message, never guessed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.insights import periods
from bellwether.insights.sources import Scope
from bellwether.people import selectors as people
from bellwether.people.models import LeaderLevel


@dataclass(frozen=True)
class Filters:
    period: periods.Period
    scope: Scope

    def query(self) -> dict[str, str]:
        """The filters as URL parameters (links keep them)."""
        out = {"kind": self.period.kind, "period": self.period.key}
        if self.scope.unit is not None:
            out["unit"] = str(self.scope.unit.pk)
        if self.scope.level:
            out["level"] = self.scope.level
        return out


def today_for(organisation: Organisation) -> date:
    """Today in the organisation's time zone: its periods turn at its midnight."""
    return dt.datetime.now(ZoneInfo(organisation.time_zone or "UTC")).date()


def parse(
    organisation: Organisation,
    *,
    kind: str = "",
    period: str = "",
    unit: str = "",
    level: str = "",
    today: date | None = None,
) -> Filters:
    """Filters from request parameters; defaults: this month, the whole organisation.
    Raises ``DomainError`` naming the bad value."""
    kind = kind or periods.MONTH
    today = today or today_for(organisation)
    try:
        chosen = periods.parse(kind, period) if period else periods.containing(kind, today)
    except ValueError as exc:
        raise DomainError(str(exc), code="bad_period") from None
    if chosen.start > today:
        raise DomainError(
            f"{chosen.label} has not started yet: choose this period or an earlier one.",
            code="future_period",
        )
    # A unit's id (links, the API) or its code (the page's unit picker).
    org_unit = people.unit_named(organisation, unit)
    if unit and org_unit is None:
        raise DomainError("There is no such unit in this organisation.", code="unknown_unit")
    if level and level not in LeaderLevel.values:
        raise DomainError(f"“{level}” is not a leader level.", code="unknown_level")
    return Filters(chosen, Scope(unit=org_unit, level=level))
