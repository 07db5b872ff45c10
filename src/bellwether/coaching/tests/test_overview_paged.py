"""The admin's coaching overview is paged: the programmes by name, and the off-track
list, each a page at a time in the same number of queries however many there are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.coaching import selectors, services
from bellwether.testing.factories import PersonFactory, make_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _programmes(admin, coach, names, *, start):
    people = [
        PersonFactory(organisation=admin.organisation, leader_level="senior", name=name)
        for name in names
    ]
    services.set_capacity(
        organisation=admin.organisation, actor=admin, membership=coach, capacity=50
    )
    services.assign(organisation=admin.organisation, actor=admin, membership=coach, people=people)
    return [services.start_programme(actor=coach, person=p, start_date=start) for p in people]


def _get(client, **params):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("coaching:overview"), params)
    assert response.status_code == 200
    return response, len(captured.captured_queries)


def test_the_overview_pages_its_programmes_in_fixed_queries(members, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "OVERVIEW_PER_PAGE", 2)
    admin = members["admin"]
    coach = make_member(admin.organisation, Role.COACH, email="c@acme.test")
    # Started long ago without a session: off track.
    _programmes(admin, coach, ["Ada", "Bea", "Cy"], start=TODAY - dt.timedelta(days=60))
    client = Client()
    client.force_login(admin.user)
    client.get(reverse("coaching:overview"))  # the session's first request costs more
    first, few = _get(client)
    assert [row.programme.person.name for row in first.context["page"]] == ["Ada", "Bea"]
    assert first.context["page"].paginator.count == 3
    assert [p.person.name for p, _track in first.context["off_track"]] == ["Ada", "Bea"]
    second, _ = _get(client, page=2, opage=2)
    assert [row.programme.person.name for row in second.context["page"]] == ["Cy"]
    assert [p.person.name for p, _track in second.context["off_track"]] == ["Cy"]
    assert "page=2" in first.content.decode()
    assert "opage=2" in first.content.decode()
    _programmes(admin, coach, ["Dee", "Eve", "Fay", "Gus"], start=TODAY)
    more, queries = _get(client, page=2)
    assert queries == few
    assert [row.programme.person.name for row in more.context["page"]] == ["Cy", "Dee"]
    assert more.context["off_track"].paginator.count == 3
