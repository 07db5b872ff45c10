"""Recurring pulses: creating, changing, pausing and resuming a schedule from its pages,
bad input refused with nothing changed, other roles and organisations refused, and the
scheduler launching each period's pulse once."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bellwether.core import scheduler
from bellwether.core.models import AuditEvent, ScheduledRun
from bellwether.surveys import services
from bellwether.surveys.models import Campaign, Schedule
from bellwether.surveys.tests.helpers import confidence_version, people_in

URL = "/surveys/recurring/"


def _post(version, **changes):
    data = {
        "instrument": version.instrument.pk,
        "frequency": "monthly",
        "open_days": "10",
        "segments": ["org_unit", "leader_level"],
        "org_unit_depth": "1",
    }
    data.update(changes)
    return data


def test_an_admin_schedules_a_pulse_and_sees_it_listed(org, client_for) -> None:
    version = confidence_version(org)
    client = client_for("admin")
    assert client.get(URL + "new/").status_code == 200
    response = client.post(URL + "new/", _post(version))
    assert response.status_code == 302
    schedule = Schedule.objects.get(organisation=org)
    assert (schedule.frequency, schedule.open_days, schedule.active) == ("monthly", 10, True)
    assert schedule.segments == ["org_unit", "leader_level"]
    assert AuditEvent.objects.filter(action="surveys.schedule_created").count() == 1
    page = client.get(URL).content.decode()
    assert version.instrument.name in page
    assert "Running" in page


def test_the_list_reads_in_a_fixed_number_of_queries(
    org, client_for, django_assert_max_num_queries
) -> None:
    version = confidence_version(org)
    for _ in range(3):
        services.create_schedule(organisation=org, actor=None, instrument=version.instrument)
    client = client_for("admin")
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200


def test_bad_input_is_refused_and_changes_nothing(org, client_for) -> None:
    version = confidence_version(org)
    client = client_for("admin")
    for bad in (
        {"open_days": "0"},
        {"open_days": "91"},
        {"frequency": "daily"},
        {"segments": ["shoe_size"]},
        {"instrument": "999999"},
    ):
        response = client.post(URL + "new/", _post(version, **bad))
        assert response.status_code == 400, bad
        assert b"field-error" in response.content
    assert not Schedule.objects.exists()


def test_another_organisations_instrument_cannot_be_scheduled(org, other_org, client_for) -> None:
    theirs = confidence_version(other_org)
    response = client_for("admin").post(URL + "new/", _post(theirs))
    assert response.status_code == 400
    assert not Schedule.objects.exists()


def test_an_admin_changes_pauses_and_resumes_a_schedule(org, client_for) -> None:
    version = confidence_version(org)
    schedule = services.create_schedule(organisation=org, actor=None, instrument=version.instrument)
    client = client_for("admin")
    edit = f"{URL}{schedule.pk}/"
    assert client.get(edit).status_code == 200
    assert (
        client.post(edit, _post(version, frequency="quarterly", open_days="20")).status_code == 302
    )
    schedule.refresh_from_db()
    assert (schedule.frequency, schedule.open_days) == ("quarterly", 20)
    changed = AuditEvent.objects.get(action="surveys.schedule_changed")
    assert changed.details == {"changed": ["frequency", "open_days", "segments"]}

    assert client.post(edit + "active/", {"active": "0"}).status_code == 302
    schedule.refresh_from_db()
    assert schedule.active is False
    assert "Paused" in client.get(URL).content.decode()
    # Pausing twice says so and changes nothing.
    again = client.post(edit + "active/", {"active": "0"}, follow=True)
    assert "already paused" in again.content.decode()
    assert AuditEvent.objects.filter(action="surveys.schedule_paused").count() == 1
    assert client.post(edit + "active/", {"active": "maybe"}).status_code == 302
    schedule.refresh_from_db()
    assert schedule.active is False
    client.post(edit + "active/", {"active": "1"})
    schedule.refresh_from_db()
    assert schedule.active is True


def test_bad_changes_are_refused_and_change_nothing(org, client_for) -> None:
    version = confidence_version(org)
    schedule = services.create_schedule(organisation=org, actor=None, instrument=version.instrument)
    response = client_for("admin").post(f"{URL}{schedule.pk}/", _post(version, open_days="-3"))
    assert response.status_code == 400
    schedule.refresh_from_db()
    assert schedule.open_days == 14
    assert not AuditEvent.objects.filter(action="surveys.schedule_changed").exists()


def test_other_roles_and_organisations_are_refused(org, other_org, client_for) -> None:
    version = confidence_version(org)
    schedule = services.create_schedule(organisation=org, actor=None, instrument=version.instrument)
    for role in ("sponsor", "coach", "leader"):
        client = client_for(role)
        assert client.get(URL).status_code == 403
        assert client.post(URL + "new/", _post(version)).status_code == 403
        assert client.post(f"{URL}{schedule.pk}/active/", {"active": "0"}).status_code == 403
    outsider = client_for("outsider")
    assert outsider.get(f"{URL}{schedule.pk}/").status_code == 404
    assert outsider.post(f"{URL}{schedule.pk}/active/", {"active": "0"}).status_code == 404
    schedule.refresh_from_db()
    assert schedule.active is True
    assert Schedule.objects.count() == 1


def test_the_scheduler_launches_each_period_once_and_skips_paused_schedules(org, unit) -> None:
    people_in(org, unit, 3)
    version = confidence_version(org)
    running = services.create_schedule(
        organisation=org, actor=None, instrument=version.instrument, open_days=40
    )
    paused = services.create_schedule(
        organisation=org, actor=None, instrument=version.instrument, open_days=40
    )
    services.set_schedule_active(schedule=paused, actor=None, active=False)
    (job,) = [j for j in scheduler.registry() if j.name == "surveys.recurring_pulses"]
    now = timezone.now()
    (run,) = scheduler.run_due(now=now, jobs_to_run=[job])
    assert run.outcome == "1 campaign(s) launched"
    # A second scheduler for the same day finds the run claimed; the next day's run
    # finds the period's campaign already there.
    assert scheduler.run_due(now=now, jobs_to_run=[job]) == []
    (next_day,) = scheduler.run_due(now=now + dt.timedelta(days=1), jobs_to_run=[job])
    assert next_day.outcome == "0 campaign(s) launched"
    assert list(Campaign.objects.values_list("schedule_id", flat=True)) == [running.pk]
    assert ScheduledRun.objects.filter(job=job.name, status="done").count() == 2
