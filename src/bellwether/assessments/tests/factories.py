"""Test helpers for readiness data, also used by other modules' tests (influence,
engagement): ``record_result`` stores a leader's band without any ratings, in a cycle
that has closed and been released (only released results are ever read)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone

from bellwether.assessments import services
from bellwether.assessments.models import CycleLeader, LeaderResult, RaterMode, ReadinessCycle
from bellwether.assessments.release import columns_of
from bellwether.core.models import Organisation
from bellwether.framework import catalogue
from bellwether.influence import services as influence_services
from bellwether.people.models import Person
from bellwether.surveys.models import Campaign

_counter = itertools.count(1)


def make_cycle(
    *,
    organisation: Organisation,
    name: str | None = None,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
    rater_mode: str = RaterMode.ASSIGNED,
    leaders: Iterable[Person] = (),
    released: bool | None = None,
) -> ReadinessCycle:
    """A cycle on a real confidential campaign, with no invitations (for reads only;
    use ``services.launch_cycle`` to test the real flow). ``released``: marked released
    (default: when it has closed), as if ``release.release_cycle`` had run."""
    opens_at = opens_at or timezone.now() - dt.timedelta(days=30)
    closes_at = closes_at or opens_at + dt.timedelta(days=14)
    version = services.ensure_readiness_instrument(organisation=organisation)
    name = name or f"Readiness cycle {next(_counter)}"
    is_released = closes_at <= timezone.now() if released is None else released
    campaign = Campaign.objects.create(
        organisation=organisation,
        version=version,
        name=name,
        mode=Campaign.Mode.CONFIDENTIAL,
        opens_at=opens_at,
        closes_at=closes_at,
    )
    cycle = ReadinessCycle.objects.create(
        organisation=organisation,
        name=name,
        campaign=campaign,
        rater_mode=rater_mode,
        opens_at=opens_at,
        closes_at=closes_at,
        released_at=closes_at if is_released else None,
    )
    CycleLeader.objects.bulk_create(
        CycleLeader(organisation=organisation, cycle=cycle, person=p) for p in leaders
    )
    return cycle


def record_result(
    *,
    organisation: Organisation,
    person: Person,
    total: float,
    self_reported: bool = False,
    cycle: ReadinessCycle | None = None,
    failure_modes: Sequence[str] = (),
    priorities: Sequence[str] = (),
) -> LeaderResult:
    """A stored result whose band follows ``catalogue.band_for_score(total)``."""
    band = catalogue.band_for_score(int(total))
    cycle = cycle or make_cycle(organisation=organisation)
    CycleLeader.objects.get_or_create(
        cycle=cycle, person=person, defaults={"organisation": organisation}
    )
    self_total = float(total) if self_reported else None
    others_total = None if self_reported else float(total)
    others_count = 0 if self_reported else 3
    score: dict[str, Any] = {
        "total": float(total),
        "band_key": band.key,
        "self_reported": self_reported,
        "self_total": float(total) if self_reported else None,
        "others_total": None if self_reported else float(total),
        "others_count": 0 if self_reported else 3,
        "dimension_scores": {},
        "item_scores": {},
        "blind_spots": [],
        "hidden_strengths": [],
        "priorities": list(priorities),
        "failure_modes": list(failure_modes),
        "priority_items": {},
        "others_shown": not self_reported,
        "minimum_others": 3,
        "band_total": int(total),
    }
    result, _ = LeaderResult.objects.update_or_create(
        cycle=cycle,
        person=person,
        defaults={
            "organisation": organisation,
            "total": float(total),
            "band_key": band.key,
            "self_reported": self_reported,
            "self_total": self_total,
            "others_total": others_total,
            "others_count": others_count,
            "score": score,
            **columns_of(score),
            "groups": {"base_minimum": 3, "minimum_others": 3, "columns": [], "published": []},
            "computed_at": timezone.now(),
        },
    )
    # As the release does: the influence map hears of the changed band after commit.
    transaction.on_commit(
        lambda: influence_services.note_band_changes(
            organisation=organisation, person_ids=[person.pk]
        )
    )
    return result
