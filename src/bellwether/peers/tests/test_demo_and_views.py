"""Demo data, the pages' happy paths and their query counts."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bellwether.peers.demo import build_demo
from bellwether.peers.models import CheckIn, MatchRun, Pairing, PairStatus, PeerEvent
from bellwether.peers.tests.factories import (
    CHAMPION,
    RESISTANT,
    past_event,
    published_pair,
    with_band,
)
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_the_demo_builds_events_and_published_pairs_with_check_ins(org, unit):
    for i in range(8):
        person = PersonFactory(
            organisation=org, org_unit=unit, leader_level=LeaderLevel.SENIOR, name=f"P{i}"
        )
        with_band(org, person, CHAMPION if i < 3 else RESISTANT)
    summary = build_demo(organisation=org, seed=3)
    assert PeerEvent.objects.filter(kind="peer.summit").exists()
    assert PeerEvent.objects.filter(attendance_recorded=True).exists()
    assert Pairing.objects.filter(status=PairStatus.ACTIVE).count() == 5
    assert CheckIn.objects.exists()
    assert "5 mentoring pairs" in summary


def test_admin_runs_and_publishes_matching_from_the_page(org, unit, client_for):
    mentor = with_band(
        org,
        PersonFactory(organisation=org, org_unit=unit, leader_level="senior", name="Cleo"),
        CHAMPION,
    )
    with_band(
        org,
        PersonFactory(organisation=org, org_unit=unit, leader_level="senior", name="Rita"),
        RESISTANT,
    )
    client = client_for("admin")
    response = client.post("/peers/matching/run/", {"capacity": "2"}, follow=True)
    assert "1 pairs are proposed" in response.content.decode()
    run = MatchRun.objects.get()
    pair = run.pairings.get()
    assert pair.mentor == mentor
    client.post(f"/peers/matching/{run.pk}/publish/", {"keep": [str(pair.pk)]})
    pair.refresh_from_db()
    assert pair.status == PairStatus.ACTIVE


def test_a_refused_run_shows_its_reason_and_saves_nothing(org, client_for):
    response = client_for("admin").post("/peers/matching/run/", {"capacity": "2"}, follow=True)
    assert "There are no eligible mentors" in response.content.decode()
    assert not MatchRun.objects.exists()


def test_the_events_list_and_mentoring_list_do_not_grow_queries(
    org, unit, members, leader_person, coachee, client_for
):
    client = client_for("admin")
    published_pair(
        org, leader_person, coachee, on=timezone.localdate() - datetime.timedelta(days=5)
    )
    past_event(org, [leader_person, coachee])
    client.get("/peers/")
    with CaptureQueriesContext(connection) as first:
        assert client.get("/peers/").status_code == 200
    with CaptureQueriesContext(connection) as first_pairs:
        assert client.get("/peers/mentoring/").status_code == 200
    for i in range(4):
        past_event(org, [leader_person, coachee], topic=f"T{i}")
    with CaptureQueriesContext(connection) as more:
        assert client.get("/peers/").status_code == 200
    assert len(more) == len(first)
    with CaptureQueriesContext(connection) as more_pairs:
        assert client.get("/peers/mentoring/").status_code == 200
    assert len(more_pairs) == len(first_pairs)


def test_the_ics_file_is_a_calendar_entry(org, leader_person, client_for):
    event = past_event(org, [leader_person])
    response = client_for("leader").get(f"/peers/events/{event.pk}/event.ics")
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content.decode()
    assert "SUMMARY:Roundtable: Vendors" in body
    assert f"UID:peer-event-{event.pk}@acme" in body


def test_an_event_invites_leaders_typed_or_picked_by_e_mail(org, unit, client_for, leader_person):
    from django.urls import reverse

    others = [
        PersonFactory(
            organisation=org,
            name=f"Exec {i}",
            employee_id=f"E{i}",
            leader_level=LeaderLevel.EXECUTIVE,
        )
        for i in range(3)
    ]
    client = client_for("admin")
    page = client.get(reverse("peers:event_new")).content.decode()
    assert "Exec 1" not in page  # no checkbox per leader
    assert 'data-person-picker="multiple"' in page
    start = timezone.localtime() + datetime.timedelta(days=3)
    form = {
        "kind": "peer.roundtable",
        "topic": "Vendors",
        "starts_at": start.strftime("%Y-%m-%dT%H:%M"),
        "ends_at": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
    }
    bad = client.post(
        reverse("peers:event_new"), {**form, "invitees": "e0@example.com, nobody@x.example"}
    )
    assert bad.status_code == 400
    assert "nobody@x.example" in bad.content.decode()
    assert not PeerEvent.objects.exists()
    response = client.post(
        reverse("peers:event_new"),
        {**form, "invitees": f"{others[0].email}, {leader_person.email}"},
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    event = PeerEvent.objects.get()
    assert set(event.invitations.values_list("person_id", flat=True)) == {
        others[0].pk,
        leader_person.pk,
    }
