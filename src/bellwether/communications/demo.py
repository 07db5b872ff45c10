"""Demo data: a communication plan for every leader and about four months of deliveries
(each leader keeps their rhythm with their own reliability, so some are on rhythm and some
have overdue slots), and audience ratings of a few recent deliveries through the survey
engine. Deterministic for the seed."""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from bellwether.communications import cadence, selectors, services, services_ratings
from bellwether.communications.models import CommunicationPlan, Delivery
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person
from bellwether.surveys import services as survey_services
from bellwether.surveys.models import Campaign, Invitation

HISTORY_DAYS = 120
ACTOR_LABEL = "bellwether demo"
TITLES = {
    "daily": "AI tip of the day",
    "weekly": "Weekly AI wins",
    "biweekly": "Department AI update",
    "monthly": "Monthly AI progress",
    "quarterly": "Quarterly AI results",
    "annual": "Annual AI address",
}


def _deliveries(
    rng: random.Random, person: Person, zone: str, today: dt.date, reliability: float
) -> list[Delivery]:
    channels = [c.key for c in CATALOGUE.communication_plan.channels]
    audiences = [a.key for a in CATALOGUE.communication_plan.audiences]
    messages = [m.key for m in CATALOGUE.core_messages]
    start = today - dt.timedelta(days=HISTORY_DAYS)
    pairs = [(c.key, c.frequency) for c in selectors.cadences_for(person.leader_level)]
    rows = []
    for key, slot in cadence.expected_slots(pairs, start, today - dt.timedelta(days=1)):
        # The last fortnight slips more: that is where overdue slots show.
        chance = reliability * (0.6 if slot.due > today - dt.timedelta(days=14) else 1.0)
        if slot.due >= today or rng.random() > chance:
            continue
        day = slot.due - dt.timedelta(days=rng.randint(0, (slot.due - slot.start).days))
        if day.weekday() > 4 or day < start:
            day = slot.due
        moment = dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.choice((0, 15, 30))))
        delivered_at = timezone.make_aware(moment, ZoneInfo(zone))
        rows.append(
            Delivery(
                organisation=person.organisation,
                person=person,
                cadence_key=key,
                slot_start=cadence.slot_start_for(slot.frequency, day),
                fulfils=True,
                delivered_at=delivered_at,
                delivered_on=day,
                channel=rng.choice(channels),
                audiences=["audience.employees"]
                + ([rng.choice(audiences)] if rng.random() < 0.3 else []),
                messages=rng.sample(messages, k=rng.randint(1, 3)),
                title=TITLES[slot.frequency],
                logged_by_label=ACTOR_LABEL,
            )
        )
    return rows


def build_demo(*, organisation: Organisation, seed: int) -> str:
    started = time.perf_counter()
    rng = random.Random(f"communications-{seed}")
    leaders = list(
        Person.objects.filter(organisation=organisation)
        .exclude(leader_level="")
        .select_related("org_unit", "organisation")
        .order_by("pk")
    )
    today = selectors.today_in(organisation)
    plans, deliveries = [], []
    for person in leaders:
        content = services.plan_content(person)
        plans.append(CommunicationPlan(organisation=organisation, person=person, **content))
        reliability = rng.choice((0.97, 0.95, 0.9, 0.85, 0.75, 0.6))
        deliveries.extend(_deliveries(rng, person, organisation.time_zone, today, reliability))
    with transaction.atomic():
        CommunicationPlan.objects.bulk_create(plans, batch_size=500)
        Delivery.objects.bulk_create(deliveries, batch_size=2000)
    rated = _ratings(rng, organisation, leaders, today)
    return (
        f"communications: {len(plans)} plans, {len(deliveries)} deliveries, "
        f"{rated} rated in {time.perf_counter() - started:.1f}s"
    )


RATED_LEADERS = 8
STILL_OPEN = 2  # the last ones asked are still open
MAX_AUDIENCE = 40


def _ratings(
    rng: random.Random, organisation: Organisation, leaders: list[Person], today: dt.date
) -> int:
    """Audience ratings through the survey engine for a few operational leaders' recent
    deliveries: links answered (some with too few answers to show), then closed and
    released, except the last ones, still open."""
    minimum = selectors.rating_minimum(organisation)
    chosen = []
    for person in leaders:
        if person.leader_level != "operational" or person.org_unit is None:
            continue
        size = Person.objects.filter(
            organisation=organisation, active=True, org_unit__path__startswith=person.org_unit.path
        ).count()
        if minimum + 1 < size <= MAX_AUDIENCE:
            chosen.append(person)
        if len(chosen) == RATED_LEADERS:
            break
    now = timezone.now()
    for n, person in enumerate(chosen):
        delivery = (
            Delivery.objects.filter(person=person, delivered_on__gte=today - dt.timedelta(days=20))
            .order_by("-delivered_at")
            .first()
        )
        if delivery is None:
            continue
        rating = services_ratings.request_rating(delivery=delivery, actor=None, send_email=False)
        lean = rng.choice((0.9, 0.8, 0.7, 0.55))
        invitations = list(Invitation.objects.filter(campaign=rating.campaign).order_by("pk"))
        # One leader in four hears from too few people: nothing of theirs is shown.
        answering = 2 if n % 4 == 3 else max(minimum, int(len(invitations) * 0.7))
        for invitation in invitations[:answering]:
            good = rng.random() < lean
            survey_services.submit_response(
                token=survey_services.invitation_token(invitation),
                answers={
                    services_ratings.COMPREHENSION: rng.choice((4, 5) if good else (2, 3, 4)),
                    services_ratings.ENGAGEMENT: rng.choice((3, 4, 5) if good else (2, 3)),
                    services_ratings.EFFECTIVENESS: rng.choice((4, 5) if good else (2, 3)),
                },
            )
        if n < len(chosen) - STILL_OPEN:
            Campaign.objects.filter(pk=rating.campaign_id).update(
                opens_at=delivery.delivered_at, closes_at=now - dt.timedelta(minutes=1)
            )
    services_ratings.collect_ratings(organisation=organisation)
    return len(chosen)
