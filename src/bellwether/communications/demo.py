"""Demo data: a communication plan for every leader and about four months of deliveries
(each leader keeps their rhythm with their own reliability, so some are on rhythm and some
have overdue slots). Bulk inserts only, deterministic for the seed."""

from __future__ import annotations

import datetime as dt
import random
import time
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from bellwether.communications import cadence, selectors, services
from bellwether.communications.models import CommunicationPlan, Delivery
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

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
    return (
        f"communications: {len(plans)} plans, {len(deliveries)} deliveries "
        f"in {time.perf_counter() - started:.1f}s"
    )
