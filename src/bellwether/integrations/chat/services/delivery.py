"""Sending a member's message by Slack or Teams: ``dispatch`` (called by each sender) and
``deliver`` (run by the worker), with retries, backoff, rate limits and, when the chat
service will not take it, the same message by email.

A sender calls ``dispatch`` for each recipient before writing its email. False: the
member wants email (or their organisation has not connected the channel they chose), and
the sender mails them as it always has. True: the message is logged and queued for
Slack or Teams, and the sender counts it as sent (it will reach the member: by chat, or
by email if the chat service refuses it for good or after the last retry).
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.core import audit, jobs, mail
from bellwether.core.jobs import enqueue_on_commit
from bellwether.integrations.chat import clients, messages, secrets
from bellwether.integrations.chat.messages import ChatMessage
from bellwether.integrations.chat.models import (
    ChatDelivery,
    ChatPreference,
    SlackWorkspace,
    TeamsWebhook,
)
from bellwether.integrations.chat.services.connections import pause
from bellwether.integrations.chat.services.slack_users import forget, slack_user_id
from bellwether.people.models import Person

logger = logging.getLogger("bellwether.chat")

Status = ChatDelivery.Status
FINAL = {Status.SENT, Status.FELL_BACK, Status.FAILED}
# Slack answers about one recipient that no retry will change.
_RECIPIENT_GONE = {"channel_not_found", "user_not_found", "users_not_found", "user_disabled"}


def max_attempts() -> int:
    """Tries by Slack or Teams before the message goes by email (``BELLWETHER_CHAT_ATTEMPTS``)."""
    return max(1, int(getattr(settings, "BELLWETHER_CHAT_ATTEMPTS", 5)))


# --- queuing -------------------------------------------------------------------------------


def dispatch(
    *,
    kind: str,
    message: ChatMessage,
    membership: Membership | None = None,
    person: Person | None = None,
    key: str = "",
    or_email: bool = False,
) -> bool:
    """Queue ``message`` for Slack or Teams if its recipient (a ``membership``, or the
    active member who is ``person``) chose one for ``kind`` and their organisation has
    connected it; True when queued (the caller sends no email), False when the caller
    should send its email as usual. A caller that has no email of its own for ``kind``
    passes ``or_email``: then a member who wants email gets ``message`` by email (logged
    like the rest). ``key``: the same key is queued only once (a rerun of the caller's
    job sends nothing twice). One query when the member wants email and ``or_email`` is
    not set."""
    choices = ChatPreference.objects.filter(kind=kind).exclude(channel=messages.EMAIL)
    if membership is not None:
        choices = choices.filter(membership=membership)
    elif person is not None:
        choices = choices.filter(
            membership__person=person,
            membership__organisation_id=person.organisation_id,
            membership__is_active=True,
        )
    else:
        return False
    choice = choices.select_related("membership__user").first()
    recipient: Membership | None = None
    channel = messages.EMAIL
    if choice is not None and choice.membership.is_active:
        connected = (
            SlackWorkspace if choice.channel == messages.SLACK else TeamsWebhook
        ).objects.filter(organisation_id=choice.organisation_id)
        if connected.exists():
            recipient, channel = choice.membership, choice.channel
    if recipient is None:
        if not or_email:
            return False  # email, as the caller always sent it
        recipient = _member(membership, person)
        if recipient is None or not recipient.user.email:
            return False
    organisation_id = recipient.organisation_id
    if key and ChatDelivery.objects.filter(organisation_id=organisation_id, key=key).exists():
        return True
    try:
        with transaction.atomic():
            delivery = ChatDelivery.objects.create(
                organisation_id=organisation_id,
                membership=recipient,
                recipient=recipient.user.email,
                kind=kind,
                channel=channel,
                message=message.as_dict(),
                key=key[:200],
            )
    except IntegrityError:
        return True  # queued by a concurrent run of the same job
    from bellwether.integrations.chat import tasks

    enqueue_on_commit(tasks.deliver_chat_message, delivery.pk)
    return True


def _member(membership: Membership | None, person: Person | None) -> Membership | None:
    if membership is not None:
        return membership if membership.is_active else None
    assert person is not None
    return (
        Membership.objects.filter(
            person=person, organisation_id=person.organisation_id, is_active=True
        )
        .select_related("user")
        .first()
    )


def _can_defer() -> bool:
    from bellwether.integrations.chat import tasks

    return bool(tasks.deliver_chat_message.get_backend().supports_defer)


def _schedule(delivery: ChatDelivery, at: dt.datetime) -> None:
    """Run the delivery again at ``at`` (a backend that cannot wait runs it at once)."""
    from bellwether.integrations.chat import tasks

    if _can_defer():
        tasks.deliver_chat_message.using(run_after=at).enqueue(delivery.pk)
    else:
        tasks.deliver_chat_message.enqueue(delivery.pk)


# --- sending -------------------------------------------------------------------------------


def _save(delivery: ChatDelivery, *fields: str) -> None:
    jobs.retry_transient(
        lambda: delivery.save(update_fields=[*fields, "updated_at"]),
        what=f"Recording chat delivery {delivery.pk}",
    )


def _person_name(delivery: ChatDelivery) -> str:
    membership = delivery.membership
    if membership is not None and membership.person is not None:
        return membership.person.name
    return ""


def _send_slack(delivery: ChatDelivery, workspace: SlackWorkspace) -> None:
    try:
        token = secrets.decrypt(workspace.token_encrypted)
    except secrets.SecretUnreadable as exc:
        raise clients.SendFailed(code="unreadable_token", reason=str(exc), workspace=True) from exc
    user_id = slack_user_id(workspace, token, delivery.recipient)
    message = ChatMessage.from_dict(delivery.message)
    try:
        clients.slack_post(token, messages.slack_payload(message, channel=user_id))
    except clients.SendFailed as failure:
        if failure.code in _RECIPIENT_GONE:
            forget(workspace, delivery.recipient)
        raise


def _send_teams(delivery: ChatDelivery, webhook: TeamsWebhook) -> None:
    try:
        url = secrets.decrypt(webhook.url_encrypted)
    except secrets.SecretUnreadable as exc:
        raise clients.SendFailed(code="unreadable_url", reason=str(exc), workspace=True) from exc
    message = ChatMessage.from_dict(delivery.message)
    clients.teams_post(
        url,
        messages.teams_payload(message, name=_person_name(delivery), email=delivery.recipient),
    )


def deliver(*, delivery_id: int) -> str:
    """One try of a queued message (run by the worker); returns its status after it.

    Sent: done. Refused for good (a bad token, an unknown user, a webhook that is gone):
    by email at once. Refused for now (429, a 5xx, no connection): tried again after
    ``core.jobs.backoff(attempts)`` or the ``Retry-After`` the service asked for,
    whichever is longer; after ``max_attempts()`` tries, by email. A 429 also pauses
    the organisation's whole connection until its ``Retry-After`` has passed.
    """
    delivery = (
        ChatDelivery.objects.select_related("membership__person", "organisation")
        .filter(pk=delivery_id)
        .first()
    )
    if delivery is None or delivery.status in FINAL:
        return delivery.status if delivery is not None else ""
    if delivery.status == Status.EMAIL_DUE or delivery.channel == messages.EMAIL:
        return _fall_back(delivery, delivery.error)
    now = timezone.now()
    connection: SlackWorkspace | TeamsWebhook | None
    if delivery.channel == messages.SLACK:
        connection = SlackWorkspace.objects.filter(organisation=delivery.organisation).first()
    else:
        connection = TeamsWebhook.objects.filter(organisation=delivery.organisation).first()
    if connection is None:
        return _fall_back(delivery, f"{delivery.get_channel_display()} was disconnected.")
    if connection.paused_until and connection.paused_until > now and _can_defer():
        # Another message hit the rate limit: wait with it, without spending a try.
        delivery.status = Status.RETRYING
        delivery.next_attempt_at = connection.paused_until
        _save(delivery, "status", "next_attempt_at")
        _schedule(delivery, connection.paused_until)
        return delivery.status
    delivery.attempts += 1
    try:
        if isinstance(connection, SlackWorkspace):
            _send_slack(delivery, connection)
        else:
            _send_teams(delivery, connection)
    except clients.SendFailed as failure:
        return _failed(delivery, connection, failure)
    delivery.status = Status.SENT
    delivery.sent_at = timezone.now()
    delivery.next_attempt_at = None
    _save(delivery, "status", "sent_at", "attempts", "next_attempt_at")
    if connection.last_error:
        type(connection).objects.filter(pk=connection.pk).update(last_error="")
    return delivery.status


def _failed(
    delivery: ChatDelivery,
    connection: SlackWorkspace | TeamsWebhook,
    failure: clients.SendFailed,
) -> str:
    delivery.error = failure.reason[:300]
    logger.warning(
        "Chat delivery %s (%s) try %d failed: %s",
        delivery.pk,
        delivery.channel,
        delivery.attempts,
        failure,
    )
    if failure.retry_after:
        pause(connection, seconds=failure.retry_after)
    if failure.workspace:
        type(connection).objects.filter(pk=connection.pk).update(last_error=failure.reason[:300])
    if failure.transient and delivery.attempts < max_attempts():
        wait = max(failure.retry_after, jobs.backoff(delivery.attempts))
        at = timezone.now() + dt.timedelta(seconds=wait)
        delivery.status = Status.RETRYING
        delivery.next_attempt_at = at
        _save(delivery, "status", "attempts", "error", "next_attempt_at")
        _schedule(delivery, at)
        return delivery.status
    _save(delivery, "attempts", "error")
    return _fall_back(delivery, failure.reason)


def _fall_back(delivery: ChatDelivery, reason: str) -> str:
    """The same message by email (or, for a member who chose email, the message). A mail server that says "later" raises
    ``RetryLater`` (the worker runs the job again: it sends only the email)."""
    message = ChatMessage.from_dict(delivery.message)
    delivery.error = reason[:300]
    delivery.next_attempt_at = None
    if not delivery.recipient:
        delivery.status = Status.FAILED
        _save(delivery, "status", "error", "next_attempt_at")
        return delivery.status
    email = mail.message(subject=message.title, to=delivery.recipient, text=message.plain())
    with mail.Connection() as connection:
        refusal = connection.send(email)
    if refusal is not None and refusal.transient:
        delivery.status = Status.EMAIL_DUE
        _save(delivery, "status", "error", "next_attempt_at")
        raise mail.MailDeferred(sent=0, deferred=1)
    if refusal is not None:
        delivery.status = Status.FAILED
        delivery.error = f"{reason} The email was refused too: {refusal.reason}"[:300]
    else:
        delivery.status = Status.SENT if delivery.channel == messages.EMAIL else Status.FELL_BACK
        delivery.sent_at = timezone.now()
    _save(delivery, "status", "error", "next_attempt_at", "sent_at")
    if delivery.channel == messages.EMAIL:
        return delivery.status  # the member's own choice: nothing fell back
    audit.record(
        action="chat.fell_back_to_email",
        organisation=delivery.organisation,
        target=delivery,
        details={"kind": delivery.kind, "channel": delivery.channel, "reason": reason[:200]},
    )
    return delivery.status
