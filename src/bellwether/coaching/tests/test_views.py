"""Coaching pages: the coach's home and the admin overview in few queries, privacy of
session content, the assignment screen (single, list, CSV with line errors), the
session record and its carried items, the .ics export."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Assignment
from bellwether.accounts.roles import Role
from bellwether.coaching import services
from bellwether.coaching.models import ActionItem, AssignmentRecord, Session
from bellwether.coaching.tests.factories import programme_for
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import PersonFactory, api_client_for, make_member

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _client(membership):
    client = Client()
    client.force_login(membership.user)
    return client


def _programmes(admin, n):
    coach = make_member(admin.organisation, Role.COACH, email="c@acme.test")
    people = [
        PersonFactory(organisation=admin.organisation, leader_level="senior") for _ in range(n)
    ]
    services.assign(organisation=admin.organisation, actor=admin, membership=coach, people=people)
    out = []
    for person in people:
        programme = services.start_programme(
            actor=coach, person=person, start_date=TODAY - dt.timedelta(days=14)
        )
        session = services.add_session(actor=coach, programme=programme, date=TODAY)
        services.record_session(
            actor=coach,
            session=session,
            focus_areas=[],
            notes="SECRET NOTE",
            notes_shared=False,
            next_session_goals=[],
            metrics={},
            new_items=["Use AI daily"],
        )
        out.append(programme)
    return coach, out


def test_the_coach_home_lists_coachees_in_constant_queries(members, django_assert_max_num_queries):
    coach, programmes = _programmes(members["admin"], 2)
    client = _client(coach)
    with django_assert_max_num_queries(16) as few:
        response = client.get(reverse("coaching:home"))
    assert response.status_code == 200
    for programme in programmes:
        assert programme.person.name in response.content.decode()
        # The leader's check-in consistency is one click away.
        assert reverse("behaviours:leader", args=[programme.person_id]) in response.content.decode()
    services.assign(
        organisation=coach.organisation,
        actor=members["admin"],
        membership=coach,
        people=[PersonFactory(organisation=coach.organisation, leader_level="senior")],
    )
    more = programmes + _more(members["admin"], coach, 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("coaching:home"))
    assert all(p.person.name in response.content.decode() for p in more)


def _more(admin, coach, n):
    people = [
        PersonFactory(organisation=admin.organisation, leader_level="senior") for _ in range(n)
    ]
    services.set_capacity(
        organisation=admin.organisation, actor=admin, membership=coach, capacity=20
    )
    services.assign(organisation=admin.organisation, actor=admin, membership=coach, people=people)
    return [services.start_programme(actor=coach, person=p, start_date=TODAY) for p in people]


def test_the_admin_overview_shows_counts_and_dates_never_notes(
    members, django_assert_max_num_queries
):
    _, programmes = _programmes(members["admin"], 3)
    client = _client(members["admin"])
    with django_assert_max_num_queries(14):
        response = client.get(reverse("coaching:overview"))
    text = response.content.decode()
    assert all(p.person.name in text for p in programmes)
    assert "SECRET NOTE" not in text
    assert "Use AI daily" not in text
    api = api_client_for(members["admin"]).get("/api/v1/coaching/overview").json()
    assert {row["sessions_held"] for row in api} == {1}
    assert "SECRET NOTE" not in str(api)
    # The session itself is not the admin's to read.
    session = Session.objects.filter(programme=programmes[0]).get()
    assert (
        _client(members["admin"]).get(reverse("coaching:session", args=[session.pk])).status_code
        == 404
    )


def test_an_external_coach_sees_only_their_coachees(members, org):
    coach, programmes = _programmes(members["admin"], 1)
    _other_coach, others = _programmes_for_other(members["admin"])
    client = _client(coach)
    assert client.get(reverse("coaching:programme", args=[programmes[0].pk])).status_code == 200
    assert client.get(reverse("coaching:programme", args=[others.pk])).status_code == 404
    assert client.get(reverse("coaching:overview")).status_code == 403
    assert client.get(reverse("coaching:assignments")).status_code == 403
    assert client.get(reverse("people:detail", args=[others.person_id])).status_code == 404
    assert client.get(reverse("people:org_chart")).status_code == 403


def _programmes_for_other(admin):
    return None, programme_for(admin, start=TODAY)


def test_an_admin_assigns_one_coach_to_a_list_of_leaders_on_the_screen(members, org):
    coach = make_member(org, Role.COACH, email="c@acme.test")
    people = [PersonFactory(organisation=org, leader_level="senior") for _ in range(2)]
    client = _client(members["admin"])
    response = client.post(
        reverse("coaching:assignments"),
        {"kind": "coachee", "membership": coach.pk, "people": ", ".join(p.email for p in people)},
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(membership=coach).count() == 2
    page = client.get(reverse("coaching:assignments")).content.decode()
    assert people[0].name in page


def test_over_capacity_on_the_screen_says_why_and_saves_nothing(members, org):
    coach = make_member(org, Role.COACH, email="c@acme.test")
    services.set_capacity(organisation=org, actor=members["admin"], membership=coach, capacity=1)
    people = [PersonFactory(organisation=org, leader_level="senior") for _ in range(2)]
    response = _client(members["admin"]).post(
        reverse("coaching:assignments"),
        {"kind": "coachee", "membership": coach.pk, "people": ", ".join(p.email for p in people)},
    )
    assert response.status_code == 400
    assert "would be over capacity" in response.content.decode()
    assert not AssignmentRecord.objects.exists()


def test_a_csv_with_unknown_people_shows_each_line_and_saves_nothing(members, org):
    make_member(org, Role.COACH, email="c@acme.test")
    upload = SimpleUploadedFile("a.csv", b"employee_id,email\nNOPE,c@acme.test\n")
    response = _client(members["admin"]).post(reverse("coaching:import"), {"file": upload})
    assert response.status_code == 400
    assert "Line 2 (employee_id): No person has employee id “NOPE”." in response.content.decode()
    assert not AssignmentRecord.objects.exists()


def test_the_coach_records_a_session_and_its_items_carry_into_the_next(members):
    coach, (programme,) = _programmes(members["admin"], 1)
    client = _client(coach)
    session = Session.objects.get(programme=programme)
    response = client.post(
        reverse("coaching:session", args=[session.pk]),
        {
            "notes": "Went well",
            "item_1": "Share a win",
            "goal_1": "Plan the workshop",
            "metric_coaching.metric.decision_confidence": "4",
        },
    )
    assert response.status_code == 302
    assert sorted(ActionItem.objects.values_list("text", flat=True)) == [
        "Share a win",
        "Use AI daily",
    ]
    response = client.post(
        reverse("coaching:add_session", args=[programme.pk]),
        {"date": (TODAY + dt.timedelta(days=7)).isoformat()},
    )
    following = Session.objects.get(programme=programme, number=2)
    assert response["Location"] == reverse("coaching:session", args=[following.pk])
    page = client.get(response["Location"]).content.decode()
    assert "Share a win" in page
    assert "Use AI daily" in page
    assert "carried 1×" in page


def test_a_session_before_the_programme_on_the_page_saves_nothing(members):
    coach, (programme,) = _programmes(members["admin"], 1)
    response = _client(coach).post(
        reverse("coaching:add_session", args=[programme.pk]),
        {"date": (programme.start_date - dt.timedelta(days=1)).isoformat()},
        follow=True,
    )
    assert "cannot be before the programme starts" in response.content.decode()
    assert Session.objects.filter(programme=programme).count() == 1


def test_the_leader_fills_the_pre_session_form_from_the_session_page(members, org):
    programme = programme_for(members["admin"], start=TODAY, person=members["leader"].person)
    session = services.add_session(
        actor=programme.coach, programme=programme, date=TODAY + dt.timedelta(days=2)
    )
    client = _client(members["leader"])
    page = client.get(reverse("coaching:session", args=[session.pk])).content.decode()
    assert reverse("coaching:prepare", args=[session.pk]) in page
    response = client.post(
        reverse("coaching:prepare", args=[session.pk]),
        {"coaching.pre_session.wins": "Shipped a pilot"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.pre_session["coaching.pre_session.wins"] == "Shipped a pilot"


def test_sessions_export_to_an_ics_calendar(members):
    coach, (programme,) = _programmes(members["admin"], 1)
    response = _client(coach).get(reverse("coaching:calendar", args=[programme.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert "BEGIN:VEVENT" in body
    assert f"Coaching session 1: {programme.person.name}" in body
    assert AuditEvent.objects.filter(action="coaching.calendar_downloaded").exists()
