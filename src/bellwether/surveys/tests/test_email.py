"""Invitations and reminders go out through the worker to a real SMTP server."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from bellwether.surveys import services
from bellwether.surveys.models import Campaign, Invitation
from bellwether.surveys.tests.helpers import answer, close, launch, people_in
from bellwether.testing.smtp import subject, text_part


@pytest.mark.django_db(transaction=True)
def test_invitations_and_reminders_reach_a_real_smtp_server(worker_mail_server, org, unit) -> None:
    people = people_in(org, unit, 3)
    campaign = launch(org, people=people, send_email=True, name="May pulse")
    assert worker_mail_server.messages == []  # nothing is sent inside the request
    call_command("worker", "--batch", verbosity=0)

    assert sorted(r[0][0] for r in worker_mail_server.messages) == sorted(p.email for p in people)
    _to, message = worker_mail_server.messages[0]
    assert subject(message) == "May pulse — Acme Corp"
    body = text_part(message)
    assert "Acme Corp invites you to answer “May pulse”." in body
    closes = campaign.closes_at.strftime("%-d %B %Y")
    assert f"It closes on {closes}" in body
    assert "https://bellwether.example.com/surveys/r/" in body
    assert all(i.invited_at is not None for i in Invitation.objects.all())

    # A rerun of the job mails nobody twice.
    services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation")
    assert len(worker_mail_server.messages) == 3

    answer(campaign, people[0], 4)
    services.send_reminders(campaign=campaign, actor=None)
    call_command("worker", "--batch", verbosity=0)
    reminders = worker_mail_server.messages[3:]
    assert sorted(r[0][0] for r in reminders) == sorted(p.email for p in people[1:])
    assert subject(reminders[0][1]) == "Reminder: May pulse — Acme Corp"


@pytest.mark.django_db(transaction=True)
def test_no_reminder_goes_out_after_close(worker_mail_server, org, unit) -> None:
    people = people_in(org, unit, 2)
    campaign = launch(org, people=people, send_email=False)
    close(campaign)
    with pytest.raises(Exception, match="no more reminders"):
        services.send_reminders(campaign=Campaign.objects.get(pk=campaign.pk), actor=None)
    assert services.deliver_campaign_emails(campaign_id=campaign.pk, kind="reminder") == 0
    assert worker_mail_server.messages == []


@pytest.mark.django_db(transaction=True)
def test_campaign_emails_go_out_in_batches_each_invitee_once(
    worker_mail_server,
    org,
    unit,
    monkeypatch,
) -> None:
    monkeypatch.setattr(services.invitations, "EMAIL_BATCH", 2)  # where it is read
    people = people_in(org, unit, 5)
    campaign = launch(org, people=people, send_email=False)
    assert services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation") == 5
    assert sorted(r[0][0] for r in worker_mail_server.messages) == sorted(p.email for p in people)
    assert not Invitation.objects.filter(campaign=campaign, invited_at__isnull=True).exists()
    # Nothing is due any more: a rerun sends nothing.
    assert services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation") == 0
    assert len(worker_mail_server.messages) == 5
    # Reminders, in batches too, reach only those who have not answered.
    answer(campaign, people[0], 4)
    assert services.send_reminders(campaign=campaign, actor=None) == 4
    assert services.deliver_campaign_emails(campaign_id=campaign.pk, kind="reminder") == 4
    assert sorted(r[0][0] for r in worker_mail_server.messages[5:]) == sorted(
        p.email for p in people[1:]
    )
