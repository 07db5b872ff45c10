"""Reads for effectiveness (§2.3): audience ratings of deliveries (released totals
only), Template 2's quarterly measures, a leader's assistants. The public reads
(``effectiveness_share``, ``effectiveness_by_leader``, ``effectiveness_counts``) are
re-exported by ``selectors``, where other apps call them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet, Sum
from django.utils import timezone

from bellwether.communications.models import (
    Delegation,
    Delivery,
    QuarterMeasure,
    RatingRequest,
)
from bellwether.core.models import Organisation
from bellwether.people.models import Person
from bellwether.surveys import selectors as surveys


def _rated(organisation: Organisation, start: dt.date, end: dt.date) -> QuerySet[RatingRequest]:
    """Ratings whose released total was shown, for deliveries from ``start`` to ``end``."""
    return RatingRequest.objects.filter(
        organisation=organisation,
        answered__isnull=False,
        delivery__delivered_on__gte=start,
        delivery__delivered_on__lte=end,
    )


def _share(effective: int | None, answered: int | None, minimum: int) -> float | None:
    if not answered or answered < minimum or effective is None:
        return None
    return effective / answered


def effectiveness_share(
    *,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    person_ids: Iterable[int] | None = None,
    unit_path: str = "",
    level: str = "",
) -> float | None:
    """Public (KPI 5): the share (0..1) of audience answers rating these leaders'
    deliveries from ``start`` to ``end`` "effective" or better (all leaders, or those
    of ``person_ids``, of a unit's subtree, of a level). Only released totals that the
    survey engine showed are added up, so any two such figures differ by whole released
    deliveries; None with fewer answers than the organisation's minimum."""
    return _effectiveness(organisation, start, end, person_ids, unit_path, level)[0]


def effectiveness_counts(
    *,
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    unit_path: str = "",
    level: str = "",
) -> tuple[int, int]:
    """Public (KPI 5): (answers "effective" or better, answers) as in
    ``effectiveness_share``; (0, 0) below the minimum."""
    share, effective, answered = _effectiveness(organisation, start, end, None, unit_path, level)
    return (effective, answered) if share is not None else (0, 0)


def _effectiveness(
    organisation: Organisation,
    start: dt.date,
    end: dt.date,
    person_ids: Iterable[int] | None,
    unit_path: str,
    level: str,
) -> tuple[float | None, int, int]:
    rows = _rated(organisation, start, end)
    if person_ids is not None:
        rows = rows.filter(delivery__person_id__in=list(person_ids))
    if unit_path:
        rows = rows.filter(delivery__person__org_unit__path__startswith=unit_path)
    if level:
        rows = rows.filter(delivery__person__leader_level=level)
    totals = rows.aggregate(effective=Sum("effective"), answered=Sum("answered"))
    effective, answered = totals["effective"] or 0, totals["answered"] or 0
    return _share(effective, answered, rating_minimum(organisation)), effective, answered


def rating_minimum(organisation: Organisation) -> int:
    """The fewest answers a rating figure is shown for (the anonymous-survey minimum)."""
    return surveys.policy_for(organisation).min_group


def effectiveness_by_leader(
    *, organisation: Organisation, leader_ids: Iterable[int], start: dt.date, end: dt.date
) -> dict[int, float | None]:
    """Public: each leader's ``effectiveness_share`` (0..1, or None below the minimum),
    summed in one GROUP BY for all of them."""
    ids = list(leader_ids)
    found: dict[int, float | None] = dict.fromkeys(ids)
    if not ids:
        return found
    minimum = rating_minimum(organisation)
    rows = (
        _rated(organisation, start, end)
        .filter(delivery__person_id__in=ids)
        .values("delivery__person_id")
        .order_by()
        .annotate(effective=Sum("effective"), answered=Sum("answered"))
    )
    for row in rows:
        found[row["delivery__person_id"]] = _share(row["effective"], row["answered"], minimum)
    return found


@dataclass(frozen=True)
class RatingLine:
    """A delivery and what its audience rating shows (only released totals)."""

    delivery: Delivery
    rating: RatingRequest | None
    status: str  # "none", "open", "shown", "not_shown"

    @property
    def share(self) -> float | None:
        r = self.rating
        return _share(r.effective, r.answered, 0) if r is not None else None


def rating_lines(person: Person, *, limit: int = 50) -> list[RatingLine]:
    """A leader's recent deliveries with their ratings (two queries)."""
    now = timezone.now()
    lines = []
    for d in (
        Delivery.objects.filter(person=person)
        .select_related("rating__campaign")
        .order_by("-delivered_at", "-id")[:limit]
    ):
        rating = getattr(d, "rating", None)
        if rating is None:
            status = "none"
        elif not rating.collected:
            status = "open" if rating.campaign.closes_at > now else "closing"
        else:
            status = "shown" if rating.answered is not None else "not_shown"
        lines.append(RatingLine(d, rating, status))
    return lines


def assistants_of(person: Person) -> list[Delegation]:
    """A leader's live delegations, with the assistant's account."""
    return list(
        Delegation.objects.filter(leader=person, revoked_at__isnull=True)
        .select_related("assistant__user", "assistant__person")
        .order_by("created_at", "pk")
    )


def quarter_measures(person: Person) -> list[QuarterMeasure]:
    """Template 2's behaviour change and business impact, latest quarter first."""
    return list(QuarterMeasure.objects.filter(person=person).order_by("-quarter"))
