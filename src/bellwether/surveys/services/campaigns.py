"""Campaigns: choosing the audience, launching (one invitation each) and closing."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from bellwether.core import audit, mailtext
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.core.services_shared import refuse_fields
from bellwether.people.models import OrgUnit, Person
from bellwether.surveys.models import Campaign, InstrumentVersion, Invitation, Schedule

if TYPE_CHECKING:
    from bellwether.accounts.models import User


SEGMENT_KEYS = {c.value for c in Campaign.Segment}


def resolve_audience(*, organisation: Organisation, audience: dict[str, Any]) -> list[int]:
    """Active people chosen by org unit (with its subtree), leader level, "not a leader"
    (no leader level), or by id list.
    Criteria combine as a union; an empty audience means everyone active."""
    people = Person.objects.filter(organisation=organisation, active=True)
    unit_ids = [int(u) for u in audience.get("org_unit_ids", [])]
    levels = [str(v) for v in audience.get("leader_levels", [])]
    person_ids = [int(p) for p in audience.get("person_ids", [])]
    not_leaders = bool(audience.get("not_leaders"))
    if not (unit_ids or levels or person_ids or not_leaders):
        return list(people.values_list("pk", flat=True))
    condition = Q(pk__in=person_ids)
    if not_leaders:
        condition |= Q(leader_level="")
    for unit in OrgUnit.objects.filter(organisation=organisation, pk__in=unit_ids):
        condition |= Q(org_unit__path__startswith=unit.path)
    if levels:
        condition |= Q(leader_level__in=levels)
    return list(people.filter(condition).values_list("pk", flat=True))


@transaction.atomic
def launch_campaign(
    *,
    organisation: Organisation,
    actor: User | None,
    version: InstrumentVersion,
    name: str,
    opens_at: dt.datetime,
    closes_at: dt.datetime,
    time_zone: str = "UTC",
    mode: str = Campaign.Mode.ANONYMOUS,
    segments: Sequence[str] = (),
    org_unit_depth: int = 1,
    audience: dict[str, Any] | None = None,
    schedule: Schedule | None = None,
    period: str = "",
    send_email: bool = True,
    confidential_owner: str = "",
) -> Campaign:
    """Send an instrument version to an audience: one invitation each.

    The audience is fixed here, from the people records; later changes (a withdrawn or
    re-sent link) are audited and shown with the results. The organisation's minimums
    in force now are the campaign's for good."""
    errors: dict[str, list[str]] = {}
    if version.organisation_id != organisation.pk or not version.is_published:
        errors["version"] = ["Choose a published instrument version."]
    if not name.strip():
        errors["name"] = ["Give the campaign a name."]
    elif mailtext.has_control_characters(name):
        errors["name"] = ["Put the name on one line, without tabs or other control characters."]
    if closes_at <= opens_at:
        errors["closes_at"] = ["The campaign must close after it opens."]
    if closes_at <= timezone.now():
        errors["closes_at"] = ["The closing date has already passed."]
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        errors["time_zone"] = ["Choose a time zone such as Europe/London."]
    if mode not in Campaign.Mode.values:
        errors["mode"] = ["Choose anonymous or confidential."]
    elif mode == Campaign.Mode.CONFIDENTIAL and not confidential_owner:
        # A pulse is anonymous, full stop: only a module that tells its raters exactly
        # how their answers are shown (the readiness 360) may run a confidential one.
        errors["mode"] = ["Surveys sent from here are always anonymous."]
    unknown = set(segments) - SEGMENT_KEYS
    if unknown:
        errors["segments"] = [f"Unknown segment: {', '.join(sorted(unknown))}."]
    if not 0 <= org_unit_depth <= 10:
        errors["org_unit_depth"] = ["Choose a depth between 0 and 10."]
    audience = audience or {}
    people = resolve_audience(organisation=organisation, audience=audience) if not errors else []
    if not errors and not people:
        errors["audience"] = ["Nobody active matches this audience."]
    refuse_fields(errors, code="invalid_campaign", lead="The campaign could not be launched: ")
    from bellwether.surveys.selectors import policy_for

    policy = policy_for(organisation)
    campaign = Campaign.objects.create(
        organisation=organisation,
        version=version,
        name=name.strip(),
        mode=mode,
        min_group=policy.min_group,
        min_360_group=policy.min_360_group,
        min_comments=policy.min_comments,
        opens_at=opens_at,
        closes_at=closes_at,
        time_zone=time_zone,
        segments=list(dict.fromkeys(segments)),
        org_unit_depth=org_unit_depth,
        audience=audience,
        schedule=schedule,
        period=period,
        created_by=actor,
    )
    Invitation.objects.bulk_create(
        (
            Invitation(
                organisation=organisation,
                campaign=campaign,
                person_id=pk,
                nonce=secrets.token_hex(12),
            )
            for pk in people
        ),
        batch_size=2000,
    )
    audit.record(
        action="surveys.campaign_launched",
        organisation=organisation,
        actor=actor,
        target=campaign,
        details={"invitees": len(people), "mode": mode, "segments": list(segments)},
    )
    if send_email:
        from bellwether.surveys import tasks

        enqueue_on_commit(tasks.send_campaign_emails, campaign.pk, "invitation")
    return campaign


@transaction.atomic
def close_campaign(*, campaign: Campaign, actor: User | None) -> Campaign:
    now = timezone.now()
    if campaign.closes_at <= now:
        raise DomainError("This campaign has already closed.", code="already_closed")
    campaign.closes_at = max(now, campaign.opens_at + dt.timedelta(seconds=1))
    campaign.save(update_fields=["closes_at", "updated_at"])
    audit.record_on(campaign, "surveys.campaign_closed", actor=actor)
    if campaign.mode == Campaign.Mode.ANONYMOUS:
        # A confidential campaign's owner (the readiness cycle) releases it itself.
        from bellwether.surveys import tasks

        enqueue_on_commit(tasks.release_campaign, campaign.pk)
    return campaign
