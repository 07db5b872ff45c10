"""Writes for communications: generate and edit a leader's plan, log a delivery (or tap
"delivered" for a daily or weekly slot), the calendar feed's token, alert preferences.
Every write is keyword-only, transactional and audited; bad input raises DomainError and
saves nothing."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from bellwether.accounts.models import Membership, User
from bellwether.communications import attachments, cadence, selectors
from bellwether.communications.models import (
    AlertPreference,
    CommunicationPlan,
    Delegation,
    Delivery,
    FeedToken,
    QuarterMeasure,
)
from bellwether.core import audit, bearer
from bellwether.core.errors import DomainError
from bellwether.core.links import clean_link
from bellwether.core.uploads import UploadLimits
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

MAX_TEXT = 4000
MAX_TITLE = 200
ONE_TAP_FREQUENCIES = ("daily", "weekly")
DEFAULT_AUDIENCE = "audience.employees"
DEFAULT_CHANNEL = "channel.team_meeting"


def _label(actor: User | None) -> str:
    return actor.get_username() if actor is not None else ""


def _text(name: str, value: str, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise DomainError(
            f"{name.replace('_', ' ').capitalize()} is too long.",
            field_errors={name: [f"At most {limit} characters."]},
        )
    return value


def _keys(name: str, values: Iterable[str], known: Mapping[str, str], noun: str) -> list[str]:
    chosen = list(dict.fromkeys(values))
    unknown = [v for v in chosen if v not in known]
    if unknown:
        raise DomainError(
            f"Unknown {noun}: {', '.join(unknown)}. Choose from: {', '.join(known.values())}.",
            code=f"unknown_{name}",
            field_errors={name: [f"Unknown {noun}."]},
        )
    return chosen


def _require_leader(person: Person) -> None:
    if not person.leader_level:
        raise DomainError(
            f"{person.name} is not a leader: communication plans are for leaders.",
            code="not_leader",
        )


# --- plans -----------------------------------------------------------------------------------


def plan_content(person: Person) -> dict[str, Any]:
    """Template 2 filled from the catalogue for the leader's level: every audience with its
    focus, the calendar's activities, the channels, the level's cadences."""
    template = CATALOGUE.communication_plan
    level = selectors.cadences_for(person.leader_level)
    return {
        "objective": (
            f"Keep {person.org_unit.name if person.org_unit else 'my teams'} informed and "
            "engaged in our AI transformation, on the rhythm of "
            f"{person.get_leader_level_display().lower()} leaders."
        ),
        "primary_message": CATALOGUE.core_messages[0].statement,
        "supporting": {field.key: "" for field in template.supporting_messages},
        "audiences": {a.key: a.focus for a in template.audiences},
        "channels": [c.key for c in template.channels[:3]],
        "calendar": {slot.key: list(slot.activities) for slot in template.calendar},
        "cadence_keys": [c.key for c in level],
    }


@transaction.atomic
def generate_plan(*, person: Person, actor: User | None) -> CommunicationPlan:
    """Create the leader's plan from their level's cadences, or reset its calendar and
    cadences to the catalogue's (the leader's own words are kept)."""
    _require_leader(person)
    content = plan_content(person)
    plan = CommunicationPlan.objects.select_for_update().filter(person=person).first()
    if plan is None:
        plan = CommunicationPlan.objects.create(
            organisation=person.organisation, person=person, updated_by=actor, **content
        )
        action = "communications.plan_generated"
    else:
        plan.calendar = content["calendar"]
        plan.cadence_keys = content["cadence_keys"]
        plan.revision += 1
        plan.updated_by = actor
        plan.save()
        action = "communications.plan_regenerated"
    audit.record(
        action=action,
        organisation=person.organisation,
        actor=actor,
        target=plan,
        details={"revision": plan.revision},
    )
    return plan


@transaction.atomic
def update_plan(
    *,
    plan: CommunicationPlan,
    actor: User | None,
    objective: str,
    primary_message: str,
    supporting: Mapping[str, str],
    audiences: Mapping[str, str],
    channels: Iterable[str],
    calendar: Mapping[str, Iterable[str]] | None = None,
) -> CommunicationPlan:
    """Save the leader's edits: every key must be the catalogue's."""
    template = CATALOGUE.communication_plan
    supporting_names = {f.key: f.name for f in template.supporting_messages}
    _keys("supporting", supporting, supporting_names, "supporting message")
    _keys("audiences", audiences, selectors.audience_names(), "audience")
    if not audiences:
        raise DomainError(
            "Choose at least one audience.", field_errors={"audiences": ["Choose one."]}
        )
    chosen_channels = _keys("channels", channels, selectors.channel_names(), "channel")
    plan.objective = _text("objective", objective)
    plan.primary_message = _text("primary_message", primary_message)
    plan.supporting = {k: _text("supporting", supporting.get(k, "")) for k in supporting_names}
    plan.audiences = {k: _text("audiences", v) for k, v in audiences.items()}
    plan.channels = chosen_channels
    if calendar is not None:
        slot_names = {s.key: s.name for s in template.calendar}
        _keys("calendar", calendar, slot_names, "calendar period")
        plan.calendar = {
            k: [_text("calendar", a, MAX_TITLE) for a in items if a.strip()]
            for k, items in calendar.items()
        }
    plan.revision += 1
    plan.updated_by = actor
    plan.save()
    audit.record_on(
        plan, "communications.plan_edited", actor=actor, details={"revision": plan.revision}
    )
    return plan


# --- deliveries ------------------------------------------------------------------------------


@transaction.atomic
def log_delivery(
    *,
    person: Person,
    actor: User | None,
    delivered_at: dt.datetime,
    channel: str,
    audiences: Iterable[str],
    messages: Iterable[str] = (),
    cadence_key: str = "",
    title: str = "",
    notes: str = "",
    link: str = "",
    by_assistant: bool = False,
    attachment: tuple[str, bytes] | None = None,
) -> Delivery:
    """Record a communication the leader delivered (``by_assistant``: logged by the
    leader's assistant on their behalf). It fulfils the slot of
    ``cadence_key`` (one of the level's cadences, or "" for an extra one) that holds its
    day in the organisation's time zone."""
    _require_leader(person)
    if timezone.is_naive(delivered_at):
        delivered_at = timezone.make_aware(delivered_at, ZoneInfo(person.organisation.time_zone))
    if delivered_at > timezone.now():
        raise DomainError(
            "A delivery cannot be in the future: log it once it has happened.",
            code="future_delivery",
            field_errors={"delivered_at": ["Not in the future."]},
        )
    _keys("channel", [channel], selectors.channel_names(), "channel")
    chosen_audiences = _keys("audiences", audiences, selectors.audience_names(), "audience")
    if not chosen_audiences:
        raise DomainError(
            "Choose the audience the communication reached.",
            field_errors={"audiences": ["Choose at least one."]},
        )
    chosen_messages = _keys("messages", messages, selectors.message_names(), "core message")
    frequencies = {c.key: c.frequency for c in selectors.cadences_for(person.leader_level)}
    if cadence_key and cadence_key not in frequencies:
        raise DomainError(
            "That cadence is not one of this leader's level.",
            code="unknown_cadence",
            field_errors={"cadence_key": ["Unknown cadence."]},
        )
    try:
        clean = clean_link(link)
    except ValueError as exc:
        raise DomainError(str(exc), field_errors={"link": [str(exc)]}) from None
    checked = _checked(attachment) if attachment is not None else None
    day = cadence.local_date(delivered_at, person.organisation.time_zone)
    frequency = frequencies.get(cadence_key, "")
    slot_start = (
        cadence.slot_start_for(frequency, day, working_days=selectors.WORKING_DAYS)
        if frequency in cadence.FREQUENCIES
        else None
    )
    delivery = Delivery(
        organisation=person.organisation,
        person=person,
        cadence_key=cadence_key,
        slot_start=slot_start,
        delivered_at=delivered_at,
        delivered_on=day,
        channel=channel,
        audiences=chosen_audiences,
        messages=chosen_messages,
        title=_text("title", title, MAX_TITLE),
        notes=_text("notes", notes),
        link=clean,
        logged_by=actor,
        logged_by_label=_label(actor),
        by_assistant=by_assistant,
    )
    if checked is not None:
        _store(delivery, *checked)
    _save_fulfilling(delivery)
    audit.record_on(
        person,
        "communications.delivery_logged",
        actor=actor,
        details={
            "delivery": delivery.pk,
            "cadence": cadence_key,
            "channel": channel,
            "by_assistant": by_assistant,
        },
    )
    return delivery


def _checked(attachment: tuple[str, bytes]) -> tuple[str, bytes]:
    name, content = attachment
    return attachments.check(name, content, UploadLimits.from_settings()), content


def _store(delivery: Delivery, name: str, content: bytes) -> None:
    """Write the file under MEDIA_ROOT (a random folder name: never guessable, never served
    by the web server) and keep its name for the download."""
    delivery.attachment.save(f"{secrets.token_hex(8)}/{name}", ContentFile(content), save=False)
    delivery.attachment_name = name


@transaction.atomic
def attach_file(*, delivery: Delivery, actor: User | None, name: str, content: bytes) -> Delivery:
    """Attach a file to a logged delivery (replacing the one it had)."""
    clean, content = _checked((name, content))
    old = delivery.attachment.name if delivery.attachment else ""
    _store(delivery, clean, content)
    delivery.save(update_fields=["attachment", "attachment_name", "updated_at"])
    if old:
        delivery.attachment.storage.delete(old)
    audit.record_on(
        delivery.person,
        "communications.attachment_added",
        actor=actor,
        details={"delivery": delivery.pk, "file": clean, "bytes": len(content)},
    )
    return delivery


def _save_fulfilling(delivery: Delivery) -> None:
    """Save the delivery as the one that fulfils its slot, unless another already does
    (checked by the database: two at once cannot both fulfil it)."""
    if delivery.slot_start is not None:
        delivery.fulfils = True
        try:
            with transaction.atomic():
                delivery.save()
            return
        except IntegrityError:
            delivery.pk = None
            delivery.fulfils = False
    delivery.save()


def tap_delivered(
    *, person: Person, actor: User | None, cadence_key: str, by_assistant: bool = False
) -> Delivery:
    """One tap from the phone: the current slot of a daily or weekly cadence delivered now,
    on the plan's first channel to its first audience. Tapping twice keeps one."""
    _require_leader(person)
    frequencies = {c.key: c.frequency for c in selectors.cadences_for(person.leader_level)}
    if frequencies.get(cadence_key) not in ONE_TAP_FREQUENCIES:
        raise DomainError(
            "One tap is for the daily and weekly cadences; log the others with the form.",
            code="not_one_tap",
        )
    now = timezone.now()
    day = cadence.local_date(now, person.organisation.time_zone)
    start = cadence.slot_start_for(
        frequencies[cadence_key], day, working_days=selectors.WORKING_DAYS
    )
    existing = Delivery.objects.filter(
        person=person, cadence_key=cadence_key, slot_start=start
    ).first()
    if existing is not None:
        return existing
    plan = selectors.plan_of(person)
    channel = plan.channels[0] if plan and plan.channels else DEFAULT_CHANNEL
    # The first of the plan's audiences in the catalogue's order (JSON keys have none on
    # PostgreSQL).
    chosen = plan.audiences if plan else {}
    audience = next(
        (a.key for a in CATALOGUE.communication_plan.audiences if a.key in chosen),
        DEFAULT_AUDIENCE,
    )
    return log_delivery(
        person=person,
        actor=actor,
        delivered_at=now,
        channel=channel,
        audiences=[audience],
        cadence_key=cadence_key,
        title=selectors.cadence_text(cadence_key),
        by_assistant=by_assistant,
    )


# --- Template 2: behaviour change and business impact per quarter ----------------------------


def _quarter(value: str, today: dt.date) -> str:
    text = (value or "").strip().upper()
    try:
        year_text, number_text = text.split("-Q")
        year, number = int(year_text), int(number_text)
    except ValueError:
        year, number = 0, 0
    if not (2000 <= year <= 2100 and 1 <= number <= 4):
        raise DomainError(
            "Give the quarter as YYYY-Qn, e.g. 2026-Q3.",
            field_errors={"quarter": ["YYYY-Qn."]},
        )
    if (year, number) > (today.year, (today.month - 1) // 3 + 1):
        raise DomainError(
            "That quarter has not started: record what happened once it has.",
            field_errors={"quarter": ["Not in the future."]},
        )
    return f"{year}-Q{number}"


@transaction.atomic
def record_quarter_measures(
    *,
    person: Person,
    actor: User | None,
    quarter: str,
    behaviour_change: str,
    business_impact: str,
) -> QuarterMeasure:
    """Record (or correct) the quarter's behaviour change and business impact."""
    _require_leader(person)
    key = _quarter(quarter, selectors.today_in(person.organisation))
    row, created = QuarterMeasure.objects.update_or_create(
        person=person,
        quarter=key,
        defaults={
            "organisation": person.organisation,
            "behaviour_change": _text("behaviour_change", behaviour_change),
            "business_impact": _text("business_impact", business_impact),
            "recorded_by": actor,
        },
    )
    audit.record_on(
        person,
        "communications.measures_recorded",
        actor=actor,
        details={"quarter": key, "new": created},
    )
    return row


# --- assistants ------------------------------------------------------------------------------


@transaction.atomic
def grant_delegation(*, leader: Person, assistant_email: str, actor: User | None) -> Delegation:
    """Let another active member of the organisation log deliveries for the leader (and
    see the leader's communications) until revoked."""
    _require_leader(leader)
    email = (assistant_email or "").strip()
    assistant = (
        Membership.objects.filter(
            organisation=leader.organisation, is_active=True, user__email__iexact=email
        )
        .select_related("user")
        .first()
        if email
        else None
    )
    if assistant is None:
        raise DomainError(
            "No active member of this organisation has that email address.",
            code="unknown_member",
            field_errors={"email": ["Not a member."]},
        )
    if assistant.person_id == leader.pk:
        raise DomainError(
            "A leader logs their own deliveries: choose someone else as assistant.",
            field_errors={"email": ["Someone else."]},
        )
    live = Delegation.objects.filter(leader=leader, assistant=assistant, revoked_at__isnull=True)
    existing = live.first()
    if existing is not None:
        return existing
    delegation = Delegation.objects.create(
        organisation=leader.organisation, leader=leader, assistant=assistant, granted_by=actor
    )
    audit.record_on(
        leader,
        "communications.assistant_granted",
        actor=actor,
        details={"delegation": delegation.pk, "assistant": assistant.user.get_username()},
    )
    return delegation


@transaction.atomic
def revoke_delegation(*, delegation: Delegation, actor: User | None) -> Delegation:
    if delegation.revoked_at is None:
        delegation.revoked_at = timezone.now()
        delegation.save(update_fields=["revoked_at", "updated_at"])
        audit.record_on(
            delegation.leader,
            "communications.assistant_revoked",
            actor=actor,
            details={"delegation": delegation.pk},
        )
    return delegation


# --- the calendar feed and alert preferences -------------------------------------------------


def _audit_feed(membership: Membership, action: str) -> None:
    """An event on a member's own calendar feed: the member both acted and is the target."""
    audit.record(
        action=action,
        organisation=membership.organisation,
        actor=membership.user,
        target=membership,
    )


@transaction.atomic
def create_feed_token(*, membership: Membership) -> str:
    """A new secret for the member's calendar feed (the old address stops working). Only
    its digest is stored: the address is shown once."""
    revoke_feed_tokens(membership=membership, quiet=True)
    secret = secrets.token_urlsafe(32)
    FeedToken.objects.create(
        organisation=membership.organisation,
        membership=membership,
        digest=bearer.digest(secret),
    )
    _audit_feed(membership, "communications.feed_created")
    return secret


@transaction.atomic
def revoke_feed_tokens(*, membership: Membership, quiet: bool = False) -> int:
    count = FeedToken.objects.filter(membership=membership, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    if count and not quiet:
        _audit_feed(membership, "communications.feed_revoked")
    return count


@transaction.atomic
def set_alert_preferences(
    *, membership: Membership, daily_digest: bool, weekly_summary: bool
) -> AlertPreference:
    preference, _ = AlertPreference.objects.update_or_create(
        membership=membership,
        defaults={
            "organisation": membership.organisation,
            "daily_digest": daily_digest,
            "weekly_summary": weekly_summary,
        },
    )
    audit.record(
        action="communications.preferences_updated",
        organisation=membership.organisation,
        actor=membership.user,
        target=membership,
        details={"daily_digest": daily_digest, "weekly_summary": weekly_summary},
    )
    return preference
