"""Roundtables and summits: scheduling with invitations, RSVPs, attendance, notes."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.peers.models import EventInvitation, EventKind, PeerEvent, Rsvp
from bellwether.people.models import Person

MAX_TEXT = 10_000
MAX_INVITEES = 2_000


def _field_error(field: str, message: str, code: str = "invalid") -> DomainError:
    return DomainError(message, code=code, field_errors={field: [message]})


#: How many refused ids a message names (the rest are left out).
IDS_NAMED = 20


def _ids_refused(field: str, why: str, ids: list[int], *, code: str) -> DomainError:
    """A refusal naming the people it is about: "<why>: 3, 7, 12." (at most ``IDS_NAMED``)."""
    named = ", ".join(str(pk) for pk in ids[:IDS_NAMED])
    return _field_error(field, f"{why}: {named}.", code=code)


def schedule_event(
    *,
    organisation: Organisation,
    actor: User | None,
    kind: str,
    topic: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    invitee_ids: Iterable[int],
    location: str = "",
    agenda: str = "",
    speakers: str = "",
) -> PeerEvent:
    """Schedule a roundtable or summit and invite people (active people of the
    organisation; an unknown id is refused and nothing is saved)."""
    if kind not in EventKind.values:
        raise _field_error("kind", "Choose a roundtable or a summit.")
    topic = topic.strip()
    if not topic:
        raise _field_error("topic", "Give the event a topic.")
    if len(topic) > 200:
        raise _field_error("topic", "The topic is at most 200 characters.")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise _field_error("starts_at", "Give the start and end with their time zone.")
    if ends_at <= starts_at:
        raise _field_error("ends_at", "The event must end after it starts.")
    if any(len(text) > MAX_TEXT for text in (agenda, speakers)):
        raise DomainError(f"The agenda and speakers are at most {MAX_TEXT} characters each.")
    if len(location) > 200:
        raise _field_error("location", "The location is at most 200 characters.")
    ids = sorted(set(invitee_ids))
    if not ids:
        raise _field_error("invitee_ids", "Invite at least one person.")
    if len(ids) > MAX_INVITEES:
        raise _field_error("invitee_ids", f"Invite at most {MAX_INVITEES} people at once.")
    found = set(
        Person.objects.filter(organisation=organisation, active=True, pk__in=ids).values_list(
            "pk", flat=True
        )
    )
    unknown = [pk for pk in ids if pk not in found]
    if unknown:
        raise _ids_refused(
            "invitee_ids",
            "These people are not active people of the organisation",
            unknown,
            code="unknown_people",
        )
    with transaction.atomic():
        event = PeerEvent.objects.create(
            organisation=organisation,
            kind=kind,
            topic=topic,
            starts_at=starts_at,
            ends_at=ends_at,
            location=location.strip(),
            agenda=agenda.strip(),
            speakers=speakers.strip(),
            created_by=actor,
        )
        EventInvitation.objects.bulk_create(
            EventInvitation(organisation=organisation, event=event, person_id=pk) for pk in ids
        )
        audit.record_on(
            event, "peers.event_scheduled", actor=actor, details={"kind": kind, "invited": len(ids)}
        )
    return event


def answer_invitation(
    *, event: PeerEvent, person_id: int | None, answer: str, actor: User | None
) -> EventInvitation:
    """A person answers their own invitation (yes, no or maybe) before the event ends."""
    if answer not in (Rsvp.YES, Rsvp.NO, Rsvp.MAYBE):
        raise _field_error("answer", "Answer yes, no or maybe.")
    invitation = (
        EventInvitation.objects.filter(event=event, person_id=person_id).first()
        if person_id is not None
        else None
    )
    if invitation is None:
        raise DomainError("You are not invited to this event.", code="not_invited")
    if event.ends_at <= timezone.now():
        raise DomainError("This event is over: its invitations can no longer be answered.")
    with transaction.atomic():
        invitation.rsvp = answer
        invitation.save(update_fields=["rsvp", "updated_at"])
        audit.record_on(event, "peers.rsvp", actor=actor, details={"answer": answer})
    return invitation


def record_attendance(*, event: PeerEvent, attended_ids: Iterable[int], actor: User | None) -> int:
    """Who came (the whole list: invitees left out did not). Only once the event has
    started, and only for people invited. Answers how many attended."""
    if event.starts_at > timezone.now():
        raise DomainError("Attendance is recorded once the event has started.", code="future")
    ids = set(attended_ids)
    invited = set(EventInvitation.objects.filter(event=event).values_list("person_id", flat=True))
    strangers = sorted(ids - invited)
    if strangers:
        raise _ids_refused(
            "attended_ids",
            "Only invited people can be marked as attending; not invited",
            strangers,
            code="not_invited",
        )
    with transaction.atomic():
        EventInvitation.objects.filter(event=event).update(attended=False)
        EventInvitation.objects.filter(event=event, person_id__in=ids).update(attended=True)
        event.attendance_recorded = True
        event.save(update_fields=["attendance_recorded", "updated_at"])
        audit.record_on(
            event,
            "peers.attendance_recorded",
            actor=actor,
            details={"attended": len(ids), "invited": len(invited)},
        )
    return len(ids)


def record_notes(*, event: PeerEvent, notes: str, takeaways: str, actor: User | None) -> PeerEvent:
    """The shared notes and takeaways, seen by everyone invited."""
    if len(notes) > MAX_TEXT or len(takeaways) > MAX_TEXT:
        raise DomainError(f"Notes and takeaways are at most {MAX_TEXT} characters each.")
    with transaction.atomic():
        event.notes = notes.strip()
        event.takeaways = takeaways.strip()
        event.save(update_fields=["notes", "takeaways", "updated_at"])
        audit.record_on(event, "peers.notes_saved", actor=actor)
    return event
