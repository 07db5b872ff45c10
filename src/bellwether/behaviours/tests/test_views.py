"""The pages: a leader's check-in in the app (late fill, refusals kept clear), the
consistency page states its formula, the organisation view's query count, observing a
manager, recognising a colleague (bad input saves nothing)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, cast

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.accounts.models import Membership
from bellwether.accounts.roles import Role
from bellwether.behaviours import consistency, services
from bellwether.behaviours.models import CheckIn, Observation, Recognition
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.factories import PersonFactory, api_client_for, make_member

DAILY = [k for k in consistency.KEYS if k.startswith("behaviour.daily.")]


def _person(**fields: Any) -> Person:
    return cast(Person, PersonFactory(**fields))


def test_a_leader_checks_in_today_and_late_in_the_app(
    client_for: Callable[[str], Client], leader_person: Person
) -> None:
    client = client_for("leader")
    page = client.get(reverse("behaviours:home"))
    assert page.status_code == 200
    assert "Used AI tools for executive tasks" in page.content.decode()
    answer = client.post(reverse("behaviours:check_in"), {"behaviours": DAILY[:2]})
    assert answer.status_code == 302
    today = services.today_for(leader_person.organisation)
    yesterday = today - dt.timedelta(days=1)
    client.post(reverse("behaviours:check_in"), {"behaviours": DAILY, "day": yesterday.isoformat()})
    rows = {r.day: r for r in CheckIn.objects.filter(person=leader_person)}
    assert rows[today].daily == 2
    assert not rows[today].late
    assert rows[yesterday].daily == 5
    assert rows[yesterday].late


def test_a_future_day_in_the_app_is_refused_with_a_message_and_nothing_saved(
    client_for: Callable[[str], Client], leader_person: Person
) -> None:
    client = client_for("leader")
    tomorrow = services.today_for(leader_person.organisation) + dt.timedelta(days=1)
    answer = client.post(
        reverse("behaviours:check_in"),
        {"behaviours": DAILY, "day": tomorrow.isoformat()},
        follow=True,
    )
    assert "has not happened yet" in answer.content.decode()
    answer = client.post(
        reverse("behaviours:check_in"), {"behaviours": DAILY, "day": "not-a-date"}, follow=True
    )
    assert "YYYY-MM-DD" in answer.content.decode()
    assert not CheckIn.objects.exists()


def test_my_consistency_page_states_the_formula(
    client_for: Callable[[str], Client], leader_person: Person
) -> None:
    services.record_check_in(
        person=leader_person,
        day=services.today_for(leader_person.organisation),
        behaviours=DAILY,
        actor=None,
    )
    body = client_for("leader").get(reverse("behaviours:mine")).content.decode()
    assert "0.5^(a/h)" in body
    assert "Used AI tools for executive tasks" in body


def test_the_organisation_view_answers_in_a_fixed_number_of_queries(
    client_for: Callable[[str], Client], org, unit
) -> None:
    client = client_for("admin")
    client.get(reverse("behaviours:organisation"))  # sessions, caches
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("behaviours:organisation"))
    for i in range(15):
        person = _person(
            organisation=org,
            employee_id=f"N{i}",
            org_unit=unit,
            leader_level=LeaderLevel.OPERATIONAL,
        )
        services.record_check_in(
            person=person, day=services.today_for(org), behaviours=DAILY, actor=None
        )
    with CaptureQueriesContext(connection) as after:
        response = client.get(reverse("behaviours:organisation"))
    assert response.status_code == 200
    assert len(after) == len(before)
    assert "Headquarters" in response.content.decode()


def test_a_direct_report_confirms_what_they_saw_their_manager_do(
    members: dict[str, Membership], org, coachee: Person, leader_person: Person
) -> None:
    # coachee reports to leader_person: give the coachee a membership and observe.
    member = make_member(org, Role.LEADER, email="colin@acme.test", person=coachee)
    client = Client()
    client.force_login(member.user)
    listing = client.get(reverse("behaviours:observe")).content.decode()
    assert leader_person.name in listing
    url = reverse("behaviours:observe_person", args=[leader_person.pk])
    assert client.get(url).status_code == 200
    today = services.today_for(org)
    answer = client.post(url, {"month": today.isoformat(), "behaviours": DAILY[:1]})
    assert answer.status_code == 302
    row = Observation.objects.get()
    assert (row.observer_id, row.subject_id, row.relation) == (
        coachee.pk,
        leader_person.pk,
        "direct_report",
    )
    # The manager's own page does not show one observer's answer (below the minimum).
    body = Client()
    body.force_login(members["leader"].user)
    page = body.get(reverse("behaviours:mine")).content.decode()
    assert "who saw it" not in page
    assert "at least 3" in page


def test_recognising_a_colleague_and_bad_input_saving_nothing(
    client_for: Callable[[str], Client], coachee: Person, other_org
) -> None:
    client = client_for("leader")
    url = reverse("behaviours:recognitions")
    stranger = _person(organisation=other_org, employee_id="G1")
    for bad in (
        {"recognised": stranger.email, "behaviour": DAILY[0]},
        {"recognised": coachee.email, "behaviour": "behaviour.daily.nope"},
        {"recognised": "x", "behaviour": DAILY[0]},
        {"recognised": "", "behaviour": DAILY[0]},
        {"recognised": coachee.email, "behaviour": DAILY[0], "message": "x" * 500},
    ):
        response = client.post(url, bad)
        assert response.status_code == 200
        assert "message-error" in response.content.decode()
    assert not Recognition.objects.exists()
    assert (
        client.post(
            url, {"recognised": coachee.email, "behaviour": DAILY[3], "message": "Well done"}
        ).status_code
        == 302
    )
    page = client.get(url).content.decode()
    assert "Supported employee AI experimentation" in page
    assert "Well done" in page


def test_the_api_check_in_refuses_a_day_past_the_grace_window_and_saves_nothing(
    members: dict[str, Membership],
) -> None:
    client = api_client_for(members["leader"])
    old = services.today_for(members["leader"].organisation) - dt.timedelta(days=60)
    response = client.put(
        "/api/v1/behaviours/check-in",
        {"day": old.isoformat(), "behaviours": DAILY},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "past_grace_window"
    assert not CheckIn.objects.exists()
    ok = client.put(
        "/api/v1/behaviours/check-in", {"behaviours": DAILY[:1]}, content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["saved"]
