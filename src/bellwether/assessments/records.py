"""Which of a leader's readiness results is the one of record: the latest released cycle.

One rule, read by the selectors, the KPI reads and the organisation reports alike, so
that a leader's band on a page, in the API and on the KPI dashboard is the same result.
"""

from __future__ import annotations

from django.db.models import F, QuerySet, Window
from django.db.models.functions import RowNumber

from bellwether.assessments.models import LeaderResult


def of_record_first(results: QuerySet[LeaderResult]) -> QuerySet[LeaderResult]:
    """A leader's released results, the one of record first: the latest released cycle.
    A cycle's results exist only once it has closed and been released (``release.py``):
    nothing rater-based is shown while a cycle is open, so no figure moves as ratings
    come in."""
    return results.filter(cycle__released_at__isnull=False).order_by(
        "person_id", "-cycle__opens_at", "-cycle_id"
    )


def of_record_only(results: QuerySet[LeaderResult]) -> QuerySet[LeaderResult]:
    """Each leader's result of record alone (``of_record_first``'s choice), ranked in one
    pass by a window function rather than a subquery per row: for aggregates over it."""
    ranked = results.filter(cycle__released_at__isnull=False).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("person_id")],
            order_by=[F("cycle__opens_at").desc(), F("cycle_id").desc()],
        )
    )
    return ranked.filter(rank=1)
