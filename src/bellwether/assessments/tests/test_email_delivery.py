"""Readiness (360) mail against a real SMTP server: a line break in a leader's or cycle's
name does not block the mail, a refused rater does not stop the others, and a retried
job mails nobody twice."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from bellwether.assessments import services
from bellwether.assessments.models import ReadinessCycle
from bellwether.assessments.tests.helpers import add_raters, launch
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.people.models import Person
from bellwether.surveys.models import Campaign, Invitation
from bellwether.testing.smtp import run_worker, subject


@pytest.mark.django_db(transaction=True)
def test_a_line_break_in_a_leader_or_cycle_name_does_not_block_the_ratings_mail(
    worker_mail_server, team, cycle
) -> None:
    lead = team.leaders[0]
    # Names stored before they were checked on the way in.
    Person.objects.filter(pk=lead.pk).update(name="Ada\r\nLeader")
    Campaign.objects.filter(pk=cycle.campaign_id).update(name="Spring\nreadiness")
    add_raters(cycle, lead, direct_report=team.reports, manager=[team.boss], send_email=True)
    run_worker()

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    assert sorted(worker_mail_server.recipients()) == sorted(
        p.email for p in [*team.reports, team.boss]
    )
    assert subject(worker_mail_server.to(team.boss.email)) == "Spring readiness: rating Ada Leader"
    assert (
        not Invitation.objects.filter(
            campaign=cycle.campaign, subject=lead, invited_at__isnull=True
        )
        .exclude(person=lead)
        .exists()
    )


@pytest.mark.parametrize("name", ["Spring\nreadiness", "Spring\r\nreadiness", "Spring\treadiness"])
def test_a_cycle_name_with_a_control_character_is_refused(org, team, name) -> None:
    with pytest.raises(DomainError) as refused:
        launch(org, [team.leaders[0]], name=name)
    assert refused.value.message == (
        "The cycle could not be launched: put its name on one line, without tabs or other "
        "control characters."
    )
    assert refused.value.field_errors == {
        "name": ["Put the name on one line, without control characters."]
    }
    assert not ReadinessCycle.objects.exists()
    assert not Campaign.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_refused_rater_is_recorded_and_a_deferred_one_retried_each_mailed_once(
    worker_mail_server, team, cycle
) -> None:
    lead = team.leaders[0]
    refused, deferred = team.reports[0], team.reports[1]
    worker_mail_server.refuse = {refused.email}
    worker_mail_server.defer = {deferred.email: 1}
    add_raters(cycle, lead, direct_report=team.reports, manager=[team.boss], send_email=True)
    run_worker()

    job = DBTaskResult.objects.get()
    assert (job.status, len(job.worker_ids), job.return_value) == ("SUCCESSFUL", 2, 1)
    assert worker_mail_server.counts() == {
        p.email: 1 for p in [team.reports[1], team.reports[2], team.boss]
    }
    unsent = Invitation.objects.get(campaign=cycle.campaign, person=refused)
    assert unsent.invited_at is None
    reasons = {
        e.target_id: e.details for e in AuditEvent.objects.filter(action="surveys.email_not_sent")
    }
    assert reasons[str(unsent.pk)]["temporary"] is False
    assert reasons[str(unsent.pk)]["reason"].startswith("recipient refused: 550")


@pytest.mark.django_db(transaction=True)
def test_cycle_reminders_retried_after_a_deferral_remind_each_rater_once(
    worker_mail_server, team, cycle
) -> None:
    lead = team.leaders[0]
    add_raters(cycle, lead, direct_report=team.reports)
    worker_mail_server.defer = {team.reports[2].email: 1}
    assert services.send_reminders(cycle=cycle, actor=None, everyone=True) == 4  # self + 3 reports
    run_worker()

    job = DBTaskResult.objects.get()
    assert (job.status, len(job.worker_ids)) == ("SUCCESSFUL", 2)
    assert worker_mail_server.counts() == {p.email: 1 for p in [lead, *team.reports]}
    assert all(subject(m).startswith("Reminder: ") for _to, m in worker_mail_server.messages)
