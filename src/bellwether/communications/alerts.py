"""Overdue alerts: the leader's daily digest and the admins' weekly summary.

Run by the worker (``tasks.send_communication_alerts``, queued daily by the
``communication_alerts`` command from cron). Idempotent: each alert handed to the mail
server is recorded at once in ``AlertSent`` (kind, member, day or week), so running the
job twice sends nothing twice; a refused mail is logged and stays due for the next run.
Members opt out on the preferences page linked from every mail.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.communications import cadence, selectors
from bellwether.communications.models import AlertPreference, AlertSent
from bellwether.core import audit, jobs, mail
from bellwether.core.models import Organisation
from bellwether.integrations.chat import services as chat

# How far back a digest looks for slots still overdue.
DIGEST_LOOKBACK_DAYS = 35
SUMMARY_WEEKS = 4


@dataclass
class Outcome:
    sent: int = 0
    refused: int = 0
    deferred: int = 0


def _preferences_link() -> str:
    return settings.BELLWETHER_BASE_URL + reverse("communications:preferences")


def _members(organisation: Organisation, role: Role, field: str) -> list[Membership]:
    opted_out = AlertPreference.objects.filter(membership=OuterRef("pk"), **{field: False})
    return list(
        Membership.objects.filter(
            organisation=organisation, is_active=True, role_grants__role=role.value
        )
        .exclude(Exists(opted_out))
        .exclude(user__email="")
        .select_related("user", "person__organisation", "person__org_unit")
        .distinct()
    )


def _send(
    connection: mail.Connection,
    membership: Membership,
    kind: str,
    period: dt.date,
    overdue: int,
    subject: str,
    template: str,
    context: dict[str, object],
    outcome: Outcome,
) -> None:
    context = {**context, "preferences": _preferences_link()}
    text = render_to_string(template, context)
    # Slack or Teams when the member chose one (integrations.chat), else the mail.
    by_chat = chat.dispatch(
        kind=chat.COMMUNICATIONS_OVERDUE,
        membership=membership,
        message=chat.ChatMessage(
            title=subject, text=text, link=str(context.get("link", "")), link_label="Open"
        ),
        key=f"communications:{kind}:{membership.pk}:{period.isoformat()}",
    )
    refusal = (
        None
        if by_chat
        else connection.send(mail.message(subject=subject, to=membership.user.email, text=text))
    )
    if refusal is None:
        # Recorded at once, waiting out a locked database: a rerun must not send it again.
        jobs.retry_transient(
            lambda: AlertSent.objects.get_or_create(
                kind=kind,
                membership=membership,
                period=period,
                defaults={"organisation": membership.organisation, "overdue": overdue},
            ),
            what=f"Recording the {kind} alert of membership {membership.pk}",
        )
        outcome.sent += 1
        return
    mail.logger.warning(
        "The %s alert to membership %s was not sent: %s", kind, membership.pk, refusal.reason
    )
    audit.record(
        action="communications.alert_not_sent",
        organisation=membership.organisation,
        target=membership,
        details={"kind": kind, "reason": refusal.reason, "temporary": refusal.transient},
    )
    if refusal.transient:
        outcome.deferred += 1
    else:
        outcome.refused += 1


def _already(kind: str, period: dt.date) -> set[int]:
    return set(
        AlertSent.objects.filter(kind=kind, period=period).values_list("membership_id", flat=True)
    )


def send_daily_digests(*, today: dt.date | None = None) -> Outcome:
    """Each leader with overdue slots gets one digest a day (working days only)."""
    outcome = Outcome()
    with mail.Connection() as connection:
        for organisation in Organisation.objects.all():
            day = today or selectors.today_in(organisation)
            if day.weekday() not in selectors.WORKING_DAYS:
                continue
            done = _already(AlertSent.Kind.DIGEST, day)
            for membership in _members(organisation, Role.LEADER, "daily_digest"):
                person = membership.person
                if membership.pk in done or person is None or not person.leader_level:
                    continue
                slots = selectors.leader_slots(
                    person, day - dt.timedelta(days=DIGEST_LOOKBACK_DAYS), day, today=day
                )
                overdue = [s for s in slots if s.status == cadence.OVERDUE]
                due = [s for s in slots if s.status == cadence.DUE]
                if not overdue:
                    continue
                texts = {c.key: c.text for c in selectors.cadences_for(person.leader_level)}
                _send(
                    connection,
                    membership,
                    AlertSent.Kind.DIGEST,
                    day,
                    len(overdue),
                    f"{len(overdue)} communication(s) overdue — {organisation.name}",
                    "communications/email/digest.txt",
                    {
                        "person": person,
                        "overdue": [(texts[s.cadence_key], s.slot.due) for s in overdue],
                        "due": [(texts[s.cadence_key], s.slot.due) for s in due],
                        "link": settings.BELLWETHER_BASE_URL + reverse("communications:home"),
                    },
                    outcome,
                )
    if outcome.deferred:
        raise mail.MailDeferred(sent=outcome.sent, deferred=outcome.deferred)
    return outcome


def send_weekly_summaries(*, today: dt.date | None = None) -> Outcome:
    """Each admin gets one summary a week (keyed by the week's Monday): who is overdue
    over the last four weeks, by level."""
    outcome = Outcome()
    with mail.Connection() as connection:
        for organisation in Organisation.objects.all():
            day = today or selectors.today_in(organisation)
            week = day - dt.timedelta(days=day.weekday())
            admins = [
                m
                for m in _members(organisation, Role.ADMIN, "weekly_summary")
                if m.pk not in _already(AlertSent.Kind.SUMMARY, week)
            ]
            if not admins:
                continue
            rows = selectors.organisation_rhythm(
                organisation, start=day - dt.timedelta(weeks=SUMMARY_WEEKS), end=day, today=day
            )
            late = [r for r in rows if r.overdue]
            if not late:
                continue
            for membership in admins:
                _send(
                    connection,
                    membership,
                    AlertSent.Kind.SUMMARY,
                    week,
                    sum(r.overdue for r in late),
                    f"Communication rhythm: {len(late)} leader(s) overdue — {organisation.name}",
                    "communications/email/summary.txt",
                    {
                        "organisation": organisation,
                        "late": late[:50],
                        "more": max(0, len(late) - 50),
                        "leaders": len(rows),
                        "link": settings.BELLWETHER_BASE_URL + reverse("communications:rhythm"),
                    },
                    outcome,
                )
    if outcome.deferred:
        raise mail.MailDeferred(sent=outcome.sent, deferred=outcome.deferred)
    return outcome
