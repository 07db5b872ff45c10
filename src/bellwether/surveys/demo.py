"""Demo data: six months of monthly pulses with believable response rates and trends.

Rows are written in bulk with ``rawsql.copy_rows`` for speed (the demo builds closed,
past campaigns, which the services rightly refuse to launch). Deterministic for a given
seed.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
import uuid
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from bellwether.core import rawsql
from bellwether.core.models import Organisation
from bellwether.people.models import Person
from bellwether.surveys import definitions, sealing, services
from bellwether.surveys.models import (
    Ballot,
    Campaign,
    Completion,
    Invitation,
    Question,
    Schedule,
)
from bellwether.surveys.services import releases

MONTHS = 6


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def _score(rng: random.Random, lean: float) -> int:
    """A 1–5 answer whose chance of being favourable is about ``lean``."""
    if rng.random() < lean:
        return 5 if rng.random() < 0.35 else 4
    return rng.choice((1, 2, 2, 3, 3, 3))


@transaction.atomic
def build_demo(*, organisation: Organisation, seed: int) -> str:
    rng = random.Random(seed)
    versions = {
        v.instrument.key: v for v in services.install_ready_pulses(organisation=organisation)
    }
    people = list(
        Person.objects.filter(organisation=organisation, active=True).select_related("org_unit")
    )
    if not people:
        return "surveys: no people, no pulses"
    zone = ZoneInfo(organisation.time_zone)
    today = timezone.localdate(timezone=zone)
    first_of_month = today.replace(day=1)
    questions = {
        key: list(Question.objects.filter(version=v).order_by("position"))
        for key, v in versions.items()
    }

    @cache
    def tenure(person_id: int, month: dt.date) -> str:
        return definitions.tenure_band(starts[person_id], month)

    starts = {p.pk: p.start_date for p in people}
    unit_paths = {
        p.pk: definitions.path_at_depth(p.org_unit.path, 1) if p.org_unit else "" for p in people
    }

    def segments_of(campaign: Campaign, person: Person, month: dt.date) -> tuple[str, str, str]:
        """Like ``services.segment_values`` for the declared segments (all three here)."""
        assert campaign.org_unit_depth == 1
        assert len(campaign.segments) == 3
        return (unit_paths[person.pk], person.leader_level, tenure(person.pk, month))

    schedules = {
        key: Schedule.objects.create(
            organisation=organisation,
            instrument=versions[key].instrument,
            frequency=Schedule.Frequency.MONTHLY,
            open_days=14,
            segments=["org_unit", "leader_level", "tenure_band"],
            org_unit_depth=1,
        )
        for key in ("pulse-confidence", "pulse-communication")
    }
    comments = (
        "More concrete examples of where AI helps our team.",
        "I would like to hear what happens to roles like mine.",
        "The town hall on AI was useful.",
        "Please share the roadmap earlier.",
        "Training time would help.",
        "Leaders seem to use the tools themselves now, which helps.",
    )
    responses_made = 0
    for back in range(MONTHS, 0, -1):
        index = first_of_month.year * 12 + first_of_month.month - 1 - back
        month = dt.date(index // 12, index % 12 + 1, 1)
        period = f"{month.year}-{month.month:02d}"
        progress = (MONTHS - back) / (MONTHS - 1)  # 0 → 1 over the six months
        for key, schedule in schedules.items():
            opens = dt.datetime.combine(month, dt.time(9), tzinfo=zone)
            campaign = Campaign.objects.create(
                organisation=organisation,
                version=versions[key],
                name=f"{versions[key].instrument.name} {period}",
                mode=Campaign.Mode.ANONYMOUS,
                opens_at=opens,
                closes_at=opens + dt.timedelta(days=14),
                time_zone=organisation.time_zone,
                segments=schedule.segments,
                org_unit_depth=1,
                schedule=schedule,
                period=period,
            )
            rawsql.copy_rows_with(
                Invitation,
                {
                    "organisation": organisation.pk,
                    "campaign": campaign.pk,
                    "sealed_draft": "",
                    "revoked_at": None,
                    "reissued_at": None,
                    "invited_at": opens,
                    "reminded_at": None,
                    "category": "",
                    "category_disclosed": False,
                    "subject": None,
                    "created_at": opens,
                    "updated_at": opens,
                },
                ("person", "nonce"),
                ((p.pk, secrets.token_hex(12)) for p in people),
            )
            invitation_ids = dict(
                Invitation.objects.filter(campaign=campaign).values_list("person_id", "pk")
            )
            rate = 0.52 + 0.2 * progress + rng.uniform(-0.04, 0.04)
            lean = (0.58 if key == "pulse-confidence" else 0.55) + 0.25 * progress
            answered = [p for p in people if rng.random() < rate]
            # Shuffle so that the order of responses says nothing about invitations.
            rng.shuffle(answered)
            ballots: list[tuple[Any, ...]] = []
            purpose = sealing.ballot_purpose(campaign.pk)
            completions: list[tuple[Any, ...]] = []
            for person in answered:
                segment = segments_of(campaign, person, month)
                given: dict[str, int | str] = {}
                for q in questions[key]:
                    if q.scale == "text":
                        if rng.random() < 0.2:
                            given[q.key] = rng.choice(comments)
                        continue
                    given[q.key] = _score(rng, lean)
                # Sealed like a real submission; released below like a real close.
                sealed = sealing.seal(
                    {
                        "answers": given,
                        "segments": dict(
                            zip(
                                ("org_unit_path", "leader_level", "tenure_band"),
                                segment,
                                strict=True,
                            )
                        ),
                        "category": "",
                        "subject": None,
                    },
                    purpose=purpose,
                )
                ballots.append((_uuid(rng), sealed))
                completions.append((invitation_ids[person.pk], *segment))
            base = {"organisation": organisation.pk, "campaign": campaign.pk}
            rawsql.copy_rows_with(Ballot, base, ("id", "sealed"), ballots)
            closes = campaign.closes_at
            rawsql.copy_rows_with(
                Completion,
                base | {"created_at": closes, "updated_at": closes},
                ("invitation", "org_unit_path", "leader_level", "tenure_band"),
                # By invitation, not in answering order.
                sorted(completions),
            )
            releases.release_campaign(campaign=campaign)
            responses_made += len(ballots)
    assert definitions.KPI_QUESTIONS  # the pulses feed the two KPIs
    return (
        f"surveys: {MONTHS * len(schedules)} monthly pulses for {len(people)} people, "
        f"{responses_made} anonymous responses"
    )
