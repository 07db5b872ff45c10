"""The scheduled jobs page: every job with its last and next run and its failures, for
admins only."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bellwether.core.models import ScheduledRun


def test_admins_see_each_job_its_last_run_and_failures(
    client_for, django_assert_max_num_queries
) -> None:
    now = timezone.now()
    ScheduledRun.objects.create(
        job="surveys.recurring_pulses",
        due_at=now - dt.timedelta(hours=2),
        started_at=now,
        finished_at=now,
        status="done",
        outcome="2 campaign(s) launched",
    )
    ScheduledRun.objects.create(
        job="behaviours.check_in_nudges",
        due_at=now - dt.timedelta(hours=1),
        started_at=now,
        status="failed",
        outcome="SMTPServerDisconnected: acme-secret.example refused",
    )
    client = client_for("admin")
    with django_assert_max_num_queries(12):
        response = client.get("/scheduled-jobs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Launch this period&#x27;s recurring pulses" in page
    assert "2 campaign(s) launched" in page
    assert "every day at 05:00 UTC" in page
    assert "SMTPServerDisconnected" in page
    # The message is for the server log only.
    assert "acme-secret" not in page
    assert "people.upload_retention" in page
    assert "Never" in page


def test_the_menu_shows_the_page_to_admins_only(client_for) -> None:
    assert b'href="/scheduled-jobs/"' in client_for("admin").get("/").content
    assert b'href="/scheduled-jobs/"' not in client_for("sponsor").get("/").content


def test_other_roles_are_refused(client_for) -> None:
    for role in ("sponsor", "coach", "leader"):
        assert client_for(role).get("/scheduled-jobs/").status_code == 403
