"""The computed KPI set, kept in the shared cache (``core/cache.py``) while its inputs
are unchanged.

The dashboard and the home page show every KPI over several periods; the running
period's figures (and, for most sources, the past ones too) are computed from the owning
apps' rows on each view, which at full scale is most of those pages' time. The computed
list of ``Measure``s is kept under a version key instead:

* ``inputs_version``: for every table a KPI source reads, when the organisation's rows
  there last changed (every table is a ``TenantModel``, whose ``updated_at`` is set on
  every save) and, for the tables a service deletes from, how many there are, in one
  query. Adding, editing or removing a row the figures read moves it;
* what was asked: the period, the scope (unit and level), how many periods of history,
  the KPIs and whether they are primary, each KPI's target and baseline (read per
  request, two queries: a new target is a new key), the organisation's time zone;
* today's date in that zone: the running period's figures count days up to today.

The sources each table stands for are listed in ``INPUTS``; a source that starts reading
another table must add it there (``tests/test_kept.py`` checks each is a tenant table
with a change time, and that a change shows on the next view).
Entries are never deleted: a moved stamp misses and the next view computes afresh; old
entries expire after ``core.cache.TIMEOUT``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast

from django.db.models import Count, IntegerField, OuterRef, Subquery

from bellwether.assessments.models import LeaderResult, ReadinessCycle
from bellwether.behaviours.models import CheckIn
from bellwether.communications.models import Delivery, RatingRequest
from bellwether.core import cache as shared
from bellwether.core.models import Organisation
from bellwether.development.models import ResourceCommitment
from bellwether.initiatives.models import DecisionLogEntry, Initiative
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys.models import Campaign, ConfidentialitySettings, Release

T = TypeVar("T")

# Every table a KPI source (``sources.py``) reads, by what reads it.
INPUTS: dict[str, type[Any]] = {
    "people": Person,  # who is counted: active leaders, their units and levels
    "units": OrgUnit,  # unit scopes (paths)
    "results": LeaderResult,  # KPI 1
    "cycles": ReadinessCycle,  # KPI 1: released cycles closed by a date
    "campaigns": Campaign,  # KPIs 3 and 5: the latest released pulse
    "releases": Release,  # KPIs 3 and 5: its released figures
    "deliveries": Delivery,  # KPI 5 (ratings), thought leadership
    "ratings": RatingRequest,  # KPI 5: audience ratings of deliveries
    "decisions": DecisionLogEntry,  # time-to-decision
    "initiatives": Initiative,  # pilot approvals
    "check_ins": CheckIn,  # KPI 2, tool adoption, cross-functional work
    "commitments": ResourceCommitment,  # KPI 4
    "confidentiality": ConfidentialitySettings,  # the rating minimum
}
# The large tables no service deletes from (a person is erased by blanking, never
# deleted; check-ins and deliveries go only with their organisation; a release replaces
# the results it drops with rows it writes in the same transaction): their last change
# alone moves on every insert and edit, read from their ``(organisation, updated_at)``
# index without counting hundreds of thousands of rows. The others are counted too.
LAST_CHANGE_ONLY = frozenset({"people", "results", "deliveries", "check_ins"})

_MEMO_KEY = ("insights.kept.inputs_version",)


def _count(model: type[Any]) -> Subquery:
    rows = model.objects.filter(organisation=OuterRef("pk")).order_by().values("organisation")
    return Subquery(rows.annotate(c=Count("*")).values("c")[:1], output_field=IntegerField())


def _last(model: type[Any]) -> Subquery:
    # ORDER BY … LIMIT 1 rather than MAX(): one step down the (organisation, updated_at)
    # index whatever the planner thinks of the table's size.
    rows = model.objects.filter(organisation=OuterRef("pk")).order_by("-updated_at")
    return Subquery(rows.values("updated_at")[:1])


def inputs_version(organisation: Organisation) -> tuple[str, ...]:
    """Per input table, its last change for the organisation (and, for those a service
    deletes from, its row count): one query."""
    annotations: dict[str, Any] = {}
    for name, model in INPUTS.items():
        annotations[f"{name}_last"] = _last(model)
        if name not in LAST_CHANGE_ONLY:
            annotations[f"{name}_n"] = _count(model)
    found = (
        Organisation.objects.filter(pk=organisation.pk)
        .annotate(**annotations)
        .values(*annotations)
        .first()
        or {}
    )
    return tuple(f"{name}:{found.get(name) or 0}" for name in annotations)


def remembered(
    name: str,
    organisation: Organisation,
    asked: Sequence[Any],
    today: dt.date,
    compute: Callable[[], T],
    memo: dict[object, object] | None = None,
) -> T:
    """``compute()``'s value from the shared cache when it was computed for the same
    question (``asked``), day and inputs. ``memo`` keeps the stamp for one request."""
    memo = {} if memo is None else memo
    if _MEMO_KEY not in memo:
        memo[_MEMO_KEY] = inputs_version(organisation)
    stamp = cast(tuple[str, ...], memo[_MEMO_KEY])
    version = (*asked, organisation.time_zone, today.isoformat(), *stamp)
    return shared.remembered(f"insights.{name}", organisation.pk, version, compute)
