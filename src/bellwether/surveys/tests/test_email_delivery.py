"""What "sent" means, against a real SMTP server: a message counts once the server
accepted it; one bad name, address or refusal never stops the others; what was not
accepted stays due and is tried again, and nobody is mailed twice."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bellwether.core.errors import DomainError
from bellwether.core.mail import MailDeferred
from bellwether.core.models import AuditEvent, Organisation
from bellwether.people.models import Person
from bellwether.surveys import services
from bellwether.surveys.models import Campaign, Invitation
from bellwether.surveys.tests.helpers import answer, confidence_version, launch, people_in
from bellwether.testing.smtp import (
    MailServer,
    free_port,
    route_mail_to,
    run_worker,
    subject,
    use_database_queue,
)


def _unsent(campaign: Campaign) -> list[int]:
    """The people whose invitation the mail server has not accepted, by id."""
    return sorted(
        Invitation.objects.filter(campaign=campaign, invited_at__isnull=True).values_list(
            "person_id", flat=True
        )
    )


@pytest.mark.django_db(transaction=True)
def test_a_line_break_in_a_name_neither_blocks_the_mail_nor_adds_a_header(
    worker_mail_server, org, unit
) -> None:
    people = people_in(org, unit, 3)
    campaign = launch(org, people=people, send_email=True)
    # Names stored before they were checked on the way in (or written around the service).
    Campaign.objects.filter(pk=campaign.pk).update(name="May pulse\r\nBcc: spy@evil.test")
    Organisation.objects.filter(pk=org.pk).update(name="Acme\n\tCorp\u2028")

    run_worker()

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert DBTaskResult.objects.get().return_value == 3
    assert sorted(worker_mail_server.recipients()) == sorted(p.email for p in people)
    message = worker_mail_server.to(people[0].email)
    assert subject(message) == "May pulse Bcc: spy@evil.test — Acme Corp"
    assert message["Bcc"] is None
    assert _unsent(campaign) == []


@pytest.mark.parametrize(
    "name", ["May\npulse", "May\r\npulse", "May\tpulse", "May\x00pulse", "May\u2028pulse"]
)
def test_a_campaign_name_with_a_control_character_is_refused(org, unit, name) -> None:
    version = confidence_version(org)
    with pytest.raises(DomainError) as refused:
        launch(org, people=people_in(org, unit, 2), version=version, name=name)
    assert refused.value.field_errors["name"] == [
        "Put the name on one line, without tabs or other control characters."
    ]
    assert "could not be launched" in refused.value.message
    assert not Campaign.objects.exists()
    assert not Invitation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_refused_recipient_is_recorded_and_everyone_else_is_mailed(
    mail_server, org, unit, client_for
) -> None:
    people = people_in(org, unit, 5)
    refused = people[2]
    mail_server.refuse = {refused.email}
    campaign = launch(org, people=people)

    assert services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation") == 4

    assert sorted(mail_server.recipients()) == sorted(p.email for p in people if p != refused)
    assert _unsent(campaign) == [refused.pk]
    event = AuditEvent.objects.get(action="surveys.email_not_sent")
    invitation = Invitation.objects.get(campaign=campaign, person=refused)
    assert (event.organisation_id, event.target_id) == (org.pk, str(invitation.pk))
    assert event.details["kind"] == "invitation"
    assert event.details["temporary"] is False
    assert event.details["reason"].startswith("recipient refused: 550")
    # The page counts what the mail server accepted, not the invitations.
    page = client_for("admin").get(reverse("surveys:campaign_detail", args=[campaign.pk]))
    text = page.content.decode()
    assert '<div class="muted">Emailed</div><div class="stat">4</div>' in text
    assert "of 5 invited; 1 not sent yet" in text

    # Tried again by the next mailing (the address was fixed): only that one goes.
    mail_server.refuse.clear()
    assert services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation") == 1
    assert mail_server.counts() == {p.email: 1 for p in people}
    assert _unsent(campaign) == []


@pytest.mark.django_db(transaction=True)
def test_a_message_that_cannot_be_built_does_not_stop_the_batch(mail_server, org, unit) -> None:
    people = people_in(org, unit, 4)
    # An address with a line break (stored before addresses were checked) cannot be sent.
    Person.objects.filter(pk=people[1].pk).update(email="bad@acme.test\r\nBcc: spy@evil.test")
    campaign = launch(org, people=people)

    assert services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation") == 3

    assert sorted(mail_server.recipients()) == sorted(p.email for p in people if p != people[1])
    assert "spy@evil.test" not in mail_server.recipients()
    assert _unsent(campaign) == [people[1].pk]
    event = AuditEvent.objects.get(action="surveys.email_not_sent")
    assert event.details["temporary"] is False


@pytest.mark.django_db(transaction=True)
def test_deferred_recipients_are_retried_by_the_worker_and_each_is_mailed_once(
    worker_mail_server, org, unit
) -> None:
    people = people_in(org, unit, 5)
    worker_mail_server.defer = {people[1].email: 1, people[3].email: 2}
    campaign = launch(org, people=people, send_email=True)

    run_worker()

    job = DBTaskResult.objects.get()
    assert job.status == "SUCCESSFUL"
    assert len(job.worker_ids) == 3  # deferred twice, then done
    assert job.return_value == 1  # the last try had only people[3] left
    assert worker_mail_server.counts() == {p.email: 1 for p in people}
    assert _unsent(campaign) == []
    temporary = AuditEvent.objects.filter(action="surveys.email_not_sent")
    assert [e.details["temporary"] for e in temporary] == [True, True, True]


def test_a_deferral_is_reported_after_every_other_message_went(mail_server, org, unit) -> None:
    people = people_in(org, unit, 3)
    mail_server.defer = {people[0].email: 1}
    campaign = launch(org, people=people)
    with pytest.raises(MailDeferred) as deferred:
        services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation")
    assert (deferred.value.sent, deferred.value.deferred) == (2, 1)
    assert sorted(mail_server.recipients()) == sorted(p.email for p in people[1:])
    assert _unsent(campaign) == [people[0].pk]


@pytest.mark.django_db(transaction=True)
def test_a_retried_reminder_job_reminds_nobody_twice(worker_mail_server, org, unit) -> None:
    people = people_in(org, unit, 4)
    campaign = launch(org, people=people)
    services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation")
    answer(campaign, people[0], 4)
    worker_mail_server.messages.clear()
    worker_mail_server.defer = {people[2].email: 1}

    assert services.send_reminders(campaign=campaign, actor=None) == 3
    run_worker()

    job = DBTaskResult.objects.get()
    assert (job.status, len(job.worker_ids)) == ("SUCCESSFUL", 2)
    assert worker_mail_server.counts() == {p.email: 1 for p in people[1:]}
    assert all(subject(m).startswith("Reminder: ") for _to, m in worker_mail_server.messages)
    assert not Invitation.objects.filter(
        campaign=campaign, person__in=people[1:], reminded_at__isnull=True
    ).exists()


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_that_is_down_delays_the_job_and_loses_nothing(org, unit, settings) -> None:
    use_database_queue(settings)
    settings.BELLWETHER_JOB_BACKOFF_SECONDS = 60
    server = MailServer(port=free_port())  # nothing listens there yet
    route_mail_to(settings, server.port)
    people = people_in(org, unit, 3)
    campaign = launch(org, people=people, send_email=True)

    run_worker()

    job = DBTaskResult.objects.get()
    assert job.status == "READY"  # back in the queue, for in about a minute
    assert len(job.worker_ids) == 1
    assert 55 < (job.run_after - timezone.now()).total_seconds() <= 60
    assert job.exception_class_path == "bellwether.core.mail.MailServerUnavailable"
    assert _unsent(campaign) == sorted(p.pk for p in people)

    server.start()
    try:
        DBTaskResult.objects.update(run_after=timezone.now())  # the minute has passed
        run_worker()
    finally:
        server.stop()
    job.refresh_from_db()
    assert (job.status, len(job.worker_ids)) == ("SUCCESSFUL", 2)
    assert server.counts() == {p.email: 1 for p in people}
    assert _unsent(campaign) == []


@pytest.mark.django_db(transaction=True)
def test_a_server_that_hangs_up_mid_batch_gets_a_new_connection(mail_server, org, unit) -> None:
    people = people_in(org, unit, 4)
    mail_server.hang_up_on = {people[1].email}
    campaign = launch(org, people=people)

    with pytest.raises(MailDeferred):
        services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation")
    # The two after the hang-up went out over a new connection.
    assert sorted(mail_server.recipients()) == sorted(p.email for p in people if p != people[1])
    assert services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation") == 1
    assert mail_server.counts() == {p.email: 1 for p in people}


@pytest.mark.django_db(transaction=True)
def test_a_reissued_link_is_mailed_once_even_when_its_job_is_retried(
    worker_mail_server, org, unit
) -> None:
    people = people_in(org, unit, 1)
    campaign = launch(org, people=people)
    services.deliver_campaign_emails(campaign_id=campaign.pk, kind="invitation")
    invitation = Invitation.objects.get(campaign=campaign)
    worker_mail_server.messages.clear()
    worker_mail_server.defer = {people[0].email: 1}

    services.reissue_invitation(invitation=invitation, actor=None)
    run_worker()

    job = DBTaskResult.objects.get()
    assert (job.status, job.return_value, len(job.worker_ids)) == ("SUCCESSFUL", True, 2)
    assert worker_mail_server.counts() == {people[0].email: 1}
    # Rerunning the finished job's work sends nothing more.
    assert (
        services.deliver_invitation_email(
            invitation_id=invitation.pk, kind="invitation", since=job.enqueued_at
        )
        is False
    )
    assert worker_mail_server.counts() == {people[0].email: 1}
