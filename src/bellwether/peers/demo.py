"""Demo data: a year of monthly roundtables and quarterly summits (invitations, RSVPs,
attendance, notes), and a published mentorship run with monthly check-ins. Built with
the services so every rule holds; deterministic for the seed."""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import CATALOGUE, MENTORSHIP
from bellwether.peers import services
from bellwether.peers.models import CheckIn, EventInvitation, Pairing, Rsvp
from bellwether.people import selectors as people_selectors

ROUNDTABLE_TOPICS = next(
    forum.activities for forum in CATALOGUE.peer_forums if forum.key == "peer.roundtable"
)
SUMMIT_TOPICS = next(
    forum.activities for forum in CATALOGUE.peer_forums if forum.key == "peer.summit"
)
INVITEES = 24


def build_demo(*, organisation: Organisation, seed: int) -> str:
    rng = random.Random(seed)
    leaders = list(people_selectors.leaders_in(organisation).order_by("id"))
    if not leaders:
        return "peers: no leaders"
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    events = 0
    for months_ago in range(-1, 11):
        start = (now - datetime.timedelta(days=30 * months_ago)).replace(hour=15)
        summit = months_ago % 3 == 1
        topics = SUMMIT_TOPICS if summit else ROUNDTABLE_TOPICS
        invited = rng.sample(leaders, k=min(INVITEES * (2 if summit else 1), len(leaders)))
        event = services.schedule_event(
            organisation=organisation,
            actor=None,
            kind="peer.summit" if summit else "peer.roundtable",
            topic=topics[months_ago % len(topics)],
            starts_at=start,
            ends_at=start + datetime.timedelta(hours=4 if summit else 2),
            location="Main boardroom and video call",
            agenda="Welcome\nShort talks\nOpen discussion\nCommitments for next month",
            speakers="Dr Maya Ortiz (external: AI governance)\n" + invited[0].name
            if summit
            else invited[0].name,
            invitee_ids=[p.pk for p in invited],
        )
        answers = [Rsvp.YES, Rsvp.YES, Rsvp.YES, Rsvp.MAYBE, Rsvp.NO]
        for invitation in EventInvitation.objects.filter(event=event):
            invitation.rsvp = rng.choice(answers)
            invitation.save(update_fields=["rsvp"])
        if start < now:
            came = [p.pk for p in invited if rng.random() < 0.75]
            services.record_attendance(event=event, attended_ids=came, actor=None)
            services.record_notes(
                event=event,
                notes="We shared where AI helped and where it did not.",
                takeaways="Each attendee tries one AI-assisted decision before the next session.",
                actor=None,
            )
        events += 1
    pairs = 0
    try:
        run = services.run_matching(organisation=organisation, actor=None)
        # Demo people are not mailed: their pairs count as told already.
        Pairing.objects.filter(run=run).update(notified_at=timezone.now())
        published = services.publish_run(
            run=run, actor=None, today=timezone.localdate() - datetime.timedelta(days=75)
        )
        pairs = len(published)
    except DomainError:
        published = []
    questions = [q.key for q in MENTORSHIP.check_in_questions]
    texts = [
        "Used AI to draft a board memo.",
        "Time pressure this month.",
        "Pilot an AI summary of the weekly report.",
    ]
    check_ins = []
    for pairing in published:
        started = pairing.started_on or timezone.localdate()
        for month in range(rng.randint(0, 2) + 1):
            check_ins.append(
                CheckIn(
                    organisation=organisation,
                    pairing=pairing,
                    held_on=started + datetime.timedelta(days=30 * month + 7),
                    answers=dict(zip(questions, texts, strict=True)),
                )
            )
    CheckIn.objects.bulk_create(check_ins)
    return f"peers: {events} roundtables and summits, {pairs} mentoring pairs, {len(check_ins)} check-ins"
