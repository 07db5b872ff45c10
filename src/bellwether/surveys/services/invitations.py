"""Invitations: withdrawing and reissuing a link, and mailing invitations and reminders."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from bellwether.core import audit, jobs, mail
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.integrations.chat import services as chat
from bellwether.surveys.models import Campaign, Completion, Invitation
from bellwether.surveys.services.links import invitation_link

if TYPE_CHECKING:
    from bellwether.accounts.models import User


@transaction.atomic
def revoke_invitation(*, invitation: Invitation, actor: User | None) -> Invitation:
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        audit.record_on(invitation, "surveys.invitation_revoked", actor=actor)
    return invitation


@transaction.atomic
def reissue_invitation(
    *, invitation: Invitation, actor: User | None, send_email: bool = True
) -> Invitation:
    """A fresh link (the old one stops working), e.g. after a mail went astray."""
    if Completion.objects.filter(invitation=invitation).exists():
        raise DomainError("This invitation has already been answered.", code="already_used")
    if invitation.campaign.closes_at <= timezone.now():
        raise DomainError("The campaign has closed: a new link would not work.", code="closed")
    invitation.nonce = secrets.token_hex(12)
    invitation.revoked_at = None
    # The draft belongs to the old link (and whoever held it): it goes with it.
    invitation.sealed_draft = ""
    invitation.reissued_at = timezone.now()
    invitation.save(
        update_fields=["nonce", "revoked_at", "sealed_draft", "reissued_at", "updated_at"]
    )
    audit.record_on(
        invitation,
        "surveys.invitation_reissued",
        actor=actor,
        details={"campaign": invitation.campaign_id},
    )
    if send_email:
        from bellwether.surveys import tasks

        enqueue_on_commit(tasks.send_invitation_email, invitation.pk, "invitation")
    return invitation


# --- email -----------------------------------------------------------------------------------


# Invitations mailed over one SMTP connection; each batch is read just before it is sent,
# so an answer or a revocation in the meantime still stops its mail.
EMAIL_BATCH = 500


def _pending_invitations(campaign: Campaign) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(campaign=campaign, revoked_at__isnull=True, completion=None)
        .exclude(person__email="")
        .select_related("person")
        .order_by("pk")
    )


def invitation_message(
    invitation: Invitation,
    campaign: Campaign,
    organisation: Organisation,
    kind: str,
    *,
    subject: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> EmailMultiAlternatives:
    """The invitation or reminder e-mail; modules on the engine (the 360) may set the
    subject line and add to the template's context. Names go into the subject on one
    line (``core.mail.message``), whatever they hold."""
    zone = ZoneInfo(campaign.time_zone)
    context = {
        "organisation": organisation.name,
        "campaign": campaign.name,
        "person": invitation.person,
        "link": invitation_link(invitation),
        "closes": timezone.localtime(campaign.closes_at, zone).strftime("%-d %B %Y, %H:%M")
        + f" ({campaign.time_zone})",
        "reminder": kind == "reminder",
        "anonymous": campaign.mode == Campaign.Mode.ANONYMOUS,
        **(extra or {}),
    }
    if subject is None:
        subject = (
            f"{'Reminder: ' if kind == 'reminder' else ''}{campaign.name} — {organisation.name}"
        )
    return mail.message(
        subject=subject,
        to=invitation.person.email,
        text=render_to_string("surveys/email/invitation.txt", context),
        html=render_to_string("surveys/email/invitation.html", context),
    )


def _sent_by_chat(invitation: Invitation, campaign: Campaign, kind: str) -> bool:
    """Whether the invitee, a member who chose Slack or Teams for surveys, gets this
    invitation or reminder there instead of by email (``integrations.chat``)."""
    zone = ZoneInfo(campaign.time_zone)
    closes = timezone.localtime(campaign.closes_at, zone).strftime("%-d %B %Y, %H:%M")
    reminder = kind == "reminder"
    return chat.dispatch(
        kind=chat.SURVEYS,
        person=invitation.person,
        message=chat.ChatMessage(
            title=f"{'Reminder: ' if reminder else ''}{campaign.name} — {campaign.organisation.name}",
            text=(
                f"{'You have not answered yet. ' if reminder else ''}"
                f"Your answers to “{campaign.name}” are welcome until {closes} "
                f"({campaign.time_zone}). The link is yours alone: do not forward it."
            ),
            link=invitation_link(invitation),
            link_label="Answer the survey",
        ),
        key=f"surveys:{kind}:{invitation.pk}:{invitation.nonce}" if not reminder else "",
    )


MessageBuilder = Callable[[Invitation, Campaign, Organisation, str], EmailMultiAlternatives]


def _sent_field(kind: str) -> str:
    return "reminded_at" if kind == "reminder" else "invited_at"


def is_due(invitation: Invitation, now: dt.datetime) -> bool:
    """Whether an invitation may still be mailed: not revoked, not answered, an address,
    and its campaign still open."""
    return (
        invitation.revoked_at is None
        and bool(invitation.person.email)
        and now < invitation.campaign.closes_at
        and not Completion.objects.filter(invitation=invitation).exists()
    )


def already_sent(invitation: Invitation, kind: str, since: dt.datetime | None) -> bool:
    """Whether an earlier try of the job queued at ``since`` already handed this message
    to SMTP (so a retried job mails nobody twice)."""
    sent_at = getattr(invitation, _sent_field(kind))
    return since is not None and sent_at is not None and sent_at >= since


@dataclass
class Delivery:
    """What became of a batch of mails. ``sent``: accepted by the SMTP server (marked
    sent); ``refused``: refused for good or never built (logged, audited, still due: the
    next mailing tries again); ``deferred``: refused for now (still due: the job runs
    again for them)."""

    sent: int = 0
    refused: int = 0
    deferred: int = 0

    def add(self, other: Delivery) -> None:
        self.sent += other.sent
        self.refused += other.refused
        self.deferred += other.deferred

    def finish(self) -> int:
        """How many were sent; raises ``MailDeferred`` (the job runs again) if some were
        deferred."""
        if self.deferred:
            raise mail.MailDeferred(sent=self.sent, deferred=self.deferred)
        return self.sent


def _mark_sent(invitation: Invitation, field: str) -> None:
    # Recorded as soon as the server accepts, waiting out a locked database if need be:
    # an accepted mail left unmarked would be sent again by the next run.
    jobs.retry_transient(
        lambda: Invitation.objects.filter(pk=invitation.pk).update(**{field: timezone.now()}),
        what=f"Marking invitation {invitation.pk} as mailed",
    )


def _record_refusal(
    invitation: Invitation, campaign: Campaign, kind: str, refusal: mail.Refusal
) -> None:
    mail.logger.warning(
        "The %s e-mail of invitation %s was not sent (%s): %s",
        kind,
        invitation.pk,
        "tried again soon" if refusal.transient else "tried again with the next mailing",
        refusal.reason,
    )
    jobs.retry_transient(
        lambda: audit.record(
            action="surveys.email_not_sent",
            organisation=campaign.organisation,
            target=invitation,
            details={"kind": kind, "reason": refusal.reason, "temporary": refusal.transient},
        ),
        what=f"Auditing the unsent mail of invitation {invitation.pk}",
    )


def deliver_batch(
    invitations: Sequence[Invitation],
    campaign: Campaign,
    kind: str,
    *,
    message: MessageBuilder = invitation_message,
) -> Delivery:
    """Mail a batch over one SMTP connection, each message on its own: one that the server
    refuses or that cannot be built is recorded and stays due, and the others still go
    out. Each accepted message is marked at once, so a rerun mails nobody twice. Raises
    ``MailServerUnavailable`` if the server cannot be reached (what it accepted before
    is marked; the rest stays due)."""
    field = _sent_field(kind)
    delivery = Delivery()
    with mail.Connection() as connection, jobs.unhurried_commits():
        for invitation in invitations:
            if message is invitation_message and _sent_by_chat(invitation, campaign, kind):
                _mark_sent(invitation, field)
                delivery.sent += 1
                continue
            try:
                email = message(invitation, campaign, campaign.organisation, kind)
            except Exception as exc:  # this message's data or template: the others go on
                mail.logger.exception(
                    "Could not write the %s for invitation %s", kind, invitation.pk
                )
                refusal: mail.Refusal | None = mail.Refusal(
                    f"{type(exc).__name__}: {exc}"[:300], transient=False
                )
            else:
                refusal = connection.send(email)
            if refusal is None:
                _mark_sent(invitation, field)
                delivery.sent += 1
                continue
            _record_refusal(invitation, campaign, kind, refusal)
            if refusal.transient:
                delivery.deferred += 1
            else:
                delivery.refused += 1
    return delivery


def deliver_invitation_email(
    *, invitation_id: int, kind: str, since: dt.datetime | None = None
) -> bool:
    """Send one invitation or reminder (run by the worker); True when the SMTP server
    accepted it. False when it is no longer due (answered, revoked, closed), was refused,
    or an earlier try of the same job (queued at ``since``) already sent it. Raises
    ``RetryLater`` when the server deferred it."""
    invitation = (
        Invitation.objects.select_related("campaign", "person", "organisation")
        .filter(pk=invitation_id)
        .first()
    )
    now = timezone.now()
    if invitation is None or not is_due(invitation, now) or already_sent(invitation, kind, since):
        return False
    return deliver_batch([invitation], invitation.campaign, kind).finish() == 1


def deliver_pending(
    pending: QuerySet[Invitation],
    campaign: Campaign,
    kind: str,
    *,
    message: MessageBuilder = invitation_message,
    since: dt.datetime | None = None,
) -> int:
    """Mail every invitation in ``pending`` (those not yet invited, for an invitation;
    for a reminder, those not reminded since ``since``, when the job was queued), in
    batches of ``EMAIL_BATCH`` over one SMTP connection each; stops at the close.

    Returns how many the SMTP server accepted. When some were deferred, raises
    ``MailDeferred`` once every other one has been tried, so the job runs again for them.
    """
    if kind == "invitation":
        pending = pending.filter(invited_at__isnull=True)  # a rerun does not mail twice
    elif since is not None:
        pending = pending.filter(Q(reminded_at__isnull=True) | Q(reminded_at__lt=since))
    total = Delivery()
    after = 0
    while timezone.now() < campaign.closes_at:
        batch = list(pending.filter(pk__gt=after).order_by("pk")[:EMAIL_BATCH])
        if not batch:
            break
        after = batch[-1].pk
        total.add(deliver_batch(batch, campaign, kind, message=message))
    return total.finish()


def deliver_campaign_emails(
    *, campaign_id: int, kind: str, since: dt.datetime | None = None
) -> int:
    """Every invitation (or reminder) still due for a campaign; returns how many the SMTP
    server accepted (see ``deliver_pending``)."""
    campaign = Campaign.objects.select_related("organisation").filter(pk=campaign_id).first()
    if campaign is None:
        return 0
    return deliver_pending(_pending_invitations(campaign), campaign, kind, since=since)


@transaction.atomic
def send_reminders(*, campaign: Campaign, actor: User | None) -> int:
    """Queue a reminder to everyone who has not finished. None after close."""
    if timezone.now() >= campaign.closes_at:
        raise DomainError("This campaign has closed: no more reminders.", code="closed")
    pending = _pending_invitations(campaign).count()
    audit.record_on(campaign, "surveys.reminders_sent", actor=actor, details={"pending": pending})
    from bellwether.surveys import tasks

    enqueue_on_commit(tasks.send_campaign_emails, campaign.pk, "reminder")
    return pending
