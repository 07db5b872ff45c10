"""Recording check-ins: on the day, late within the grace window, refused otherwise (and
nothing saved); weekly and monthly behaviours count once per period; the one-tap link."""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bellwether.behaviours import consistency, selectors, services
from bellwether.behaviours.models import CheckIn, Reminder
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.people.models import Person

DAILY = [b for b in consistency.KEYS if b.startswith("behaviour.daily.")]
WEEKLY = [b for b in consistency.KEYS if b.startswith("behaviour.weekly.")]
MONTHLY = [b for b in consistency.KEYS if b.startswith("behaviour.monthly.")]
TODAY = dt.date(2026, 6, 17)  # a Wednesday


def test_a_check_in_on_the_day_is_saved_with_its_counts(leader_person: Person) -> None:
    row = services.record_check_in(
        person=leader_person,
        day=TODAY,
        behaviours=[DAILY[0], DAILY[1], WEEKLY[0]],
        actor=None,
        today=TODAY,
    )
    assert (row.daily, row.weekly, row.monthly, row.late) == (2, 1, 0, False)
    assert consistency.keys_of(row.done) == [DAILY[0], DAILY[1], WEEKLY[0]]
    assert AuditEvent.objects.filter(action="behaviours.check_in").count() == 1


def test_a_missed_day_filled_in_later_is_marked_late(leader_person: Person) -> None:
    day = TODAY - dt.timedelta(days=RULES.grace_days)
    row = services.record_check_in(
        person=leader_person, day=day, behaviours=DAILY, actor=None, today=TODAY
    )
    assert row.late
    assert row.daily == 5


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (TODAY + dt.timedelta(days=1), "future_date"),
        (TODAY - dt.timedelta(days=RULES.grace_days + 1), "past_grace_window"),
    ],
)
def test_a_future_date_or_one_past_the_grace_window_is_refused_and_nothing_saved(
    leader_person: Person, day: dt.date, code: str
) -> None:
    with pytest.raises(DomainError) as refused:
        services.record_check_in(
            person=leader_person, day=day, behaviours=DAILY, actor=None, today=TODAY
        )
    assert refused.value.code == code
    assert str(refused.value)  # a message a person can read
    assert not CheckIn.objects.exists()


def test_an_unknown_behaviour_is_refused_and_nothing_saved(leader_person: Person) -> None:
    with pytest.raises(DomainError, match="Not a behaviour"):
        services.record_check_in(
            person=leader_person,
            day=TODAY,
            behaviours=["behaviour.daily.nope"],
            actor=None,
            today=TODAY,
        )
    assert not CheckIn.objects.exists()


def test_someone_who_is_not_a_leader_cannot_check_in(bystander: Person) -> None:
    with pytest.raises(DomainError, match="leaders"):
        services.record_check_in(
            person=bystander, day=TODAY, behaviours=DAILY, actor=None, today=TODAY
        )
    assert not CheckIn.objects.exists()


def test_a_weekly_behaviour_counts_once_in_its_week_and_is_no_longer_offered(
    leader_person: Person,
) -> None:
    monday = TODAY - dt.timedelta(days=2)
    services.record_check_in(
        person=leader_person,
        day=monday,
        behaviours=[WEEKLY[0], MONTHLY[0]],
        actor=None,
        today=TODAY,
    )
    again = services.record_check_in(
        person=leader_person,
        day=TODAY,
        behaviours=[WEEKLY[0], WEEKLY[1], MONTHLY[0]],
        actor=None,
        today=TODAY,
    )
    assert consistency.keys_of(again.done) == [WEEKLY[1]]
    offered = {t.behaviour.key for t in selectors.due_toggles(leader_person, TODAY)}
    assert WEEKLY[0] not in offered
    assert MONTHLY[0] not in offered
    assert set(DAILY) <= offered
    assert WEEKLY[1] in offered


def test_checking_in_again_replaces_the_days_ticks(leader_person: Person) -> None:
    services.record_check_in(
        person=leader_person, day=TODAY, behaviours=DAILY, actor=None, today=TODAY
    )
    services.record_check_in(
        person=leader_person, day=TODAY, behaviours=DAILY[:1], actor=None, today=TODAY
    )
    row = CheckIn.objects.get()
    assert row.daily == 1


# --- the one-tap link --------------------------------------------------------------------


def test_the_one_tap_link_opens_that_days_toggles_and_saves_without_signing_in(
    leader_person: Person,
) -> None:
    today = services.today_for(leader_person.organisation)
    url = reverse("behaviours:check_in_link", args=[services.check_in_token(leader_person, today)])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    assert DAILY[0] in page.content.decode()
    other_day = today - dt.timedelta(days=2)
    # The day posted is ignored: the link is scoped to its own day.
    answer = client.post(url, {"behaviours": DAILY[:3], "day": other_day.isoformat()})
    assert answer.status_code == 200
    row = CheckIn.objects.get()
    assert (row.day, row.daily, row.via) == (today, 3, CheckIn.Via.LINK)
    assert "_auth_user_id" not in client.session  # nobody was signed in


def test_a_forged_link_gets_a_clear_page_an_audit_event_and_saves_nothing(
    leader_person: Person,
) -> None:
    today = services.today_for(leader_person.organisation)
    token = services.check_in_token(leader_person, today)
    forged = token[:-3] + ("aaa" if not token.endswith("aaa") else "bbb")
    response = Client().post(
        reverse("behaviours:check_in_link", args=[forged]), {"behaviours": DAILY}
    )
    assert response.status_code == 410
    assert "This link does not work" in response.content.decode()
    assert AuditEvent.objects.filter(
        action="behaviours.link_refused", details__state="forged"
    ).exists()
    assert not CheckIn.objects.exists()


def test_an_expired_link_gets_a_clear_page_and_an_audit_event(leader_person: Person) -> None:
    today = services.today_for(leader_person.organisation)
    past = time.time() - RULES.link_valid_hours * 3600 - 60
    with mock.patch("time.time", return_value=past):
        token = services.check_in_token(leader_person, today)
    response = Client().post(
        reverse("behaviours:check_in_link", args=[token]), {"behaviours": DAILY}
    )
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    event = AuditEvent.objects.get(action="behaviours.link_refused")
    assert event.details["state"] == "expired"
    assert event.organisation_id == leader_person.organisation_id
    assert not CheckIn.objects.exists()


# --- the daily reminder ------------------------------------------------------------------


def test_the_daily_reminder_mails_the_link_once_and_skips_who_checked_in(
    members, coachee: Person
) -> None:
    org = members["leader"].organisation
    today = services.today_for(org)
    assert services.send_check_in_reminders(organisation=org) == 1
    assert len(mail.outbox) == 1
    assert "/behaviours/check-in/link/" in mail.outbox[0].body
    assert mail.outbox[0].to == [members["leader"].user.email]
    # Safe to rerun: already reminded today.
    assert services.send_check_in_reminders(organisation=org) == 0
    assert Reminder.objects.count() == 1
    # The next day: a leader who checked in is not reminded.
    tomorrow = today + dt.timedelta(days=1)
    services.record_check_in(
        person=members["leader"].person, day=tomorrow, behaviours=DAILY, actor=None, today=tomorrow
    )
    assert services.send_check_in_reminders(organisation=org, day=tomorrow) == 0
    assert len(mail.outbox) == 1
