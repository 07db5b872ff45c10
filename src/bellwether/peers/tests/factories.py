"""Test data for peer networks: leaders with a band of record, a published pair, an event."""

from __future__ import annotations

import datetime

from django.utils import timezone

from bellwether.assessments.tests.factories import record_result
from bellwether.core.models import Organisation
from bellwether.peers import services
from bellwether.peers.models import Pairing, PeerEvent
from bellwether.people.models import Person

CHAMPION, SUPPORTER, CAUTIOUS, RESISTANT = 90, 75, 60, 30


def with_band(organisation: Organisation, person: Person, total: int) -> Person:
    record_result(organisation=organisation, person=person, total=total)
    return person


def published_pair(
    organisation: Organisation, mentor: Person, mentee: Person, *, on: datetime.date
) -> Pairing:
    """``mentor`` (made a Champion) mentors ``mentee`` (made Resistant), published."""
    with_band(organisation, mentor, CHAMPION)
    with_band(organisation, mentee, RESISTANT)
    run = services.run_matching(organisation=organisation, actor=None, capacity=1)
    services.publish_run(run=run, actor=None, today=on)
    return Pairing.objects.get(run=run, mentee=mentee)


def past_event(
    organisation: Organisation, invitees: list[Person], *, topic: str = "Vendors"
) -> PeerEvent:
    start = timezone.now() - datetime.timedelta(days=3)
    return services.schedule_event(
        organisation=organisation,
        actor=None,
        kind="peer.roundtable",
        topic=topic,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=2),
        invitee_ids=[p.pk for p in invitees],
    )
