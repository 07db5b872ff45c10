"""Demo data: six months of monthly pulses with believable response rates and trends.

Rows are written with ``bulk_create`` for speed (the demo builds closed, past campaigns,
which the services rightly refuse to launch). Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from bellwether.core.models import Organisation
from bellwether.people.models import Person
from bellwether.surveys import definitions, services
from bellwether.surveys.models import (
    Answer,
    Campaign,
    Completion,
    Invitation,
    Question,
    Response,
    Schedule,
)

MONTHS = 6


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
            invitations = Invitation.objects.bulk_create(
                Invitation(
                    organisation=organisation,
                    campaign=campaign,
                    person=p,
                    nonce=secrets.token_hex(12),
                )
                for p in people
            )
            rate = 0.52 + 0.2 * progress + rng.uniform(-0.04, 0.04)
            lean = (0.58 if key == "pulse-confidence" else 0.55) + 0.25 * progress
            answered = [inv for inv in invitations if rng.random() < rate]
            # Shuffle so that the order of responses says nothing about invitations.
            rng.shuffle(answered)
            responses = []
            answers = []
            by_person = {p.pk: p for p in people}
            for inv in answered:
                person = by_person[inv.person_id]
                segment = services.segment_values(campaign, person, month)
                response = Response(organisation=organisation, campaign=campaign, **segment)
                responses.append(response)
                for q in questions[key]:
                    if q.scale == "text":
                        if rng.random() < 0.2:
                            answers.append(
                                Answer(
                                    organisation=organisation,
                                    response=response,
                                    question=q,
                                    text=rng.choice(comments),
                                )
                            )
                        continue
                    answers.append(
                        Answer(
                            organisation=organisation,
                            response=response,
                            question=q,
                            value=_score(rng, lean),
                        )
                    )
            Response.objects.bulk_create(responses, batch_size=2000)
            Answer.objects.bulk_create(answers, batch_size=5000)
            Completion.objects.bulk_create(
                (
                    Completion(organisation=organisation, invitation=inv, campaign=campaign)
                    for inv in answered
                ),
                batch_size=2000,
            )
            responses_made += len(responses)
    assert definitions.KPI_QUESTIONS  # the pulses feed the two KPIs
    return (
        f"surveys: {MONTHS * len(schedules)} monthly pulses for {len(people)} people, "
        f"{responses_made} anonymous responses"
    )
