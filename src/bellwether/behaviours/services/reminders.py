"""The daily check-in reminder: one mail per leader and day with the one-tap link.

Idempotent: a leader already checked in today, or already reminded today (a row in
``Reminder``, written as soon as the mail server accepted the message), is skipped, so
the job may run again after a failure or twice in a day.
"""

from __future__ import annotations

import datetime as dt

from django.core.mail import EmailMultiAlternatives
from django.db.models import Exists, OuterRef

from bellwether.accounts.models import Membership, RoleGrant
from bellwether.accounts.roles import Role
from bellwether.behaviours.models import CheckIn, Reminder
from bellwether.behaviours.services.checkins import today_for
from bellwether.behaviours.services.links import check_in_link
from bellwether.core import audit, mail
from bellwether.core.models import Organisation
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.integrations.chat import services as chat


def _due(organisation: Organisation, day: dt.date) -> list[Membership]:
    leaders = RoleGrant.objects.filter(membership=OuterRef("pk"), role=Role.LEADER)
    checked = CheckIn.objects.filter(person_id=OuterRef("person_id"), day=day)
    reminded = Reminder.objects.filter(person_id=OuterRef("person_id"), day=day)
    return list(
        Membership.objects.filter(
            organisation=organisation,
            is_active=True,
            user__is_active=True,
            person__active=True,
            person__isnull=False,
        )
        .exclude(person__leader_level="")
        .filter(Exists(leaders))
        .exclude(Exists(checked))
        .exclude(Exists(reminded))
        .select_related("user", "person__organisation")
        .order_by("pk")
    )


def _message(membership: Membership, day: dt.date) -> EmailMultiAlternatives:
    person = membership.person
    assert person is not None
    link = check_in_link(person, day)
    text = (
        f"Hello {person.name},\n\n"
        f"Your AI leadership check-in for {day:%A %d %B} takes under 30 seconds:\n\n"
        f"{link}\n\n"
        f"The link opens your check-in for that day only and works for "
        f"{RULES.link_valid_hours} hours. A missed day can be filled in up to "
        f"{RULES.grace_days} days later.\n"
    )
    return mail.message(subject=f"Check-in for {day:%A %d %B}", to=membership.user.email, text=text)


def _sent_by_chat(membership: Membership, day: dt.date) -> bool:
    """Whether the leader chose Slack or Teams for the check-in link and gets it there
    (``integrations.chat``): the same one-tap link as the mail."""
    person = membership.person
    assert person is not None
    return chat.dispatch(
        kind=chat.CHECK_IN,
        membership=membership,
        message=chat.ChatMessage(
            title=f"Check-in for {day:%A %d %B}",
            text=(
                f"Hello {person.name}, your AI leadership check-in takes under 30 seconds. "
                f"The link opens your check-in for that day only and works for "
                f"{RULES.link_valid_hours} hours."
            ),
            link=check_in_link(person, day),
            link_label="Check in",
        ),
        key=f"check_in:{person.pk}:{day.isoformat()}",
    )


def send_check_in_reminders(*, organisation: Organisation, day: dt.date | None = None) -> int:
    """Mail today's link to every leader of ``organisation`` who has neither checked in
    nor been reminded today; returns how many the mail server accepted."""
    day = day or today_for(organisation)
    sent = 0
    with mail.Connection() as connection:
        for membership in _due(organisation, day):
            # The leader's choice of Slack or Teams, else the mail as always.
            refusal = (
                None
                if _sent_by_chat(membership, day)
                else connection.send(_message(membership, day))
            )
            if refusal is not None:
                audit.record(
                    action="behaviours.reminder_refused",
                    organisation=organisation,
                    target_label=f"person {membership.person_id}",
                    details={"reason": refusal.reason, "transient": refusal.transient},
                )
                continue
            assert membership.person_id is not None  # filtered in _due
            Reminder.objects.get_or_create(
                organisation=organisation,
                person_id=membership.person_id,
                day=day,
                defaults={"user": membership.user},
            )
            sent += 1
    return sent


def send_all_check_in_reminders() -> int:
    return sum(
        send_check_in_reminders(organisation=organisation)
        for organisation in Organisation.objects.order_by("pk")
    )
