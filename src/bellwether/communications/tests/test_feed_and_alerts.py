"""The calendar feed (a revocable token URL, valid iCalendar with the right zone) and the
overdue alerts (idempotent, with preferences)."""

from __future__ import annotations

import datetime as dt
import re

from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from bellwether.communications import alerts, selectors, services
from bellwether.communications.models import AlertSent, FeedToken
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import PersonFactory


def _subscribe(client) -> str:
    response = client.post(reverse("communications:feed"), {"action": "create"})
    assert response.status_code == 200
    text = response.content.decode()
    webcal = re.search(r'href="(webcal://[^"]+)"', text)
    assert webcal is not None
    return webcal.group(1).replace("webcal://testserver", "")


def test_the_feed_parses_back_with_the_leaders_slots(client_for, leader_person, org) -> None:
    org.time_zone = "Europe/Berlin"
    org.save()
    path = _subscribe(client_for("leader"))
    assert FeedToken.objects.get().digest not in path  # only the digest is stored
    response = client_for("leader").__class__().get(path)  # no session: the token is the key
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    summaries = {str(e["SUMMARY"]) for e in events}
    assert any("Bi-weekly department AI integration updates" in s for s in summaries)
    assert any(s.startswith("Overdue: ") for s in summaries)
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))
    assert all(uid.endswith("@acme") for uid in uids)


def test_revoking_the_token_makes_the_old_address_404(client_for, leader_person) -> None:
    client = client_for("leader")
    path = _subscribe(client)
    asked = client.post(reverse("communications:feed"), {"action": "revoke"})
    assert "Revoke your calendar address?" in asked.text  # confirmed first: nothing yet
    assert 'name="action" value="revoke"' in asked.text
    assert client.get(path).status_code == 200
    client.post(reverse("communications:feed"), {"action": "revoke", "confirmed": "yes"})
    assert client.get(path).status_code == 404
    assert AuditEvent.objects.filter(action="communications.feed_revoked").count() == 1


def test_a_new_address_replaces_the_old_one(client_for, leader_person) -> None:
    client = client_for("leader")
    old = _subscribe(client)
    new = _subscribe(client)
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200


def test_a_token_whose_member_moved_organisation_is_404(
    client_for, leader_person, members, other_org
) -> None:
    path = _subscribe(client_for("leader"))
    # The token row claims another organisation than its member's: never served.
    FeedToken.objects.update(organisation=other_org)
    assert client_for("outsider").get(path).status_code == 404


def test_the_feed_of_a_member_no_longer_a_leader_is_404(client_for, leader_person, members) -> None:
    path = _subscribe(client_for("leader"))
    membership = members["leader"]
    membership.is_active = False
    membership.save()
    assert client_for("admin").get(path).status_code == 404


def _overdue_leader(org, unit, members):
    """The leader member, an operational leader with nothing delivered."""
    person = PersonFactory(
        organisation=org, org_unit=unit, leader_level="operational", name="Opal Ops"
    )
    membership = members["leader"]
    membership.person = person
    membership.save()
    return person


MONDAY = dt.date(2026, 3, 9)


def test_the_daily_digest_is_sent_once_a_day(org, unit, members) -> None:
    _overdue_leader(org, unit, members)
    first = alerts.send_daily_digests(today=MONDAY)
    again = alerts.send_daily_digests(today=MONDAY)
    assert (first.sent, again.sent) == (1, 0)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["leader@acme.test"]
    assert "Weekly team AI tool usage and benefits (due Fri 6 Mar)" in message.body
    assert "/communications/preferences/" in message.body
    assert AlertSent.objects.get().overdue > 0
    assert alerts.send_daily_digests(today=MONDAY + dt.timedelta(days=1)).sent == 1


def test_no_digest_on_a_day_off_nor_for_a_leader_on_rhythm(org, unit, members, coachee) -> None:
    person = _overdue_leader(org, unit, members)
    assert alerts.send_daily_digests(today=dt.date(2026, 3, 8)).sent == 0  # Sunday
    day = MONDAY - dt.timedelta(days=alerts.DIGEST_LOOKBACK_DAYS)
    while day < MONDAY:
        for key in ("cadence.operational.experimentation", "cadence.operational.tool_usage"):
            services.log_delivery(
                person=person,
                actor=None,
                delivered_at=dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC),
                channel="channel.chat",
                audiences=["audience.employees"],
                cadence_key=key,
            )
        day += dt.timedelta(days=1)
    slots = selectors.leader_slots(person, dt.date(2026, 3, 2), dt.date(2026, 3, 6), today=MONDAY)
    assert {s.status for s in slots} == {"delivered"}
    assert alerts.send_daily_digests(today=MONDAY).sent == 0
    assert mail.outbox == []


def test_unsubscribed_leaders_get_no_digest(org, unit, members, client_for) -> None:
    _overdue_leader(org, unit, members)
    response = client_for("leader").post(
        reverse("communications:preferences"), {"weekly_summary": "on"}
    )
    assert response.status_code == 302
    assert alerts.send_daily_digests(today=MONDAY).sent == 0
    assert mail.outbox == []


def test_the_weekly_summary_goes_to_admins_once_a_week(org, unit, members) -> None:
    _overdue_leader(org, unit, members)
    assert alerts.send_weekly_summaries(today=MONDAY).sent == 1
    assert alerts.send_weekly_summaries(today=MONDAY + dt.timedelta(days=3)).sent == 0
    assert [m.to for m in mail.outbox] == [["admin@acme.test"]]
    assert "Opal Ops (Operational" in mail.outbox[0].body
    assert alerts.send_weekly_summaries(today=MONDAY + dt.timedelta(days=7)).sent == 1


def test_the_command_queues_the_job_which_sends_nothing_twice(org, unit, members) -> None:
    _overdue_leader(org, unit, members)
    call_command("communication_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sent = len(mail.outbox)
    call_command("communication_alerts", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert len(mail.outbox) == sent
    today = selectors.today_in(org)
    expected_digest = today.weekday() < 5
    assert AlertSent.objects.filter(kind="digest").count() == int(expected_digest)
    assert AlertSent.objects.filter(kind="summary").count() == 1
    assert timezone.now()  # the job ran synchronously (immediate backend in tests)
