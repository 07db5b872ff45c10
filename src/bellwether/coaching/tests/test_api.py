"""The coaching API: assignments (capacity refusal saves nothing), sessions before the
programme refused, items carried between sessions, the leader's pre-session answers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from bellwether.accounts.roles import Role
from bellwether.coaching import services
from bellwether.coaching.models import AssignmentRecord, Session
from bellwether.coaching.tests.factories import programme_for
from bellwether.testing.factories import PersonFactory, api_client_for, make_member

pytestmark = pytest.mark.django_db
BASE = "/api/v1/coaching"
TODAY = timezone.localdate()


def test_an_assignment_over_capacity_is_a_400_and_saves_nothing(members, org):
    coach = make_member(org, Role.COACH)
    services.set_capacity(organisation=org, actor=members["admin"], membership=coach, capacity=1)
    people = [PersonFactory(organisation=org) for _ in range(2)]
    response = api_client_for(members["admin"]).post(
        f"{BASE}/assignments",
        {"membership_id": coach.pk, "person_ids": [p.pk for p in people]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "over capacity" in response.json()["error"]["message"]
    assert not AssignmentRecord.objects.exists()


def test_a_coach_adds_and_records_sessions_and_items_carry(members):
    programme = programme_for(members["admin"], start=TODAY - dt.timedelta(days=7))
    client = api_client_for(programme.coach)
    early = client.post(
        f"{BASE}/programmes/{programme.pk}/sessions",
        {"date": (programme.start_date - dt.timedelta(days=1)).isoformat()},
        content_type="application/json",
    )
    assert early.status_code == 400
    assert "before the programme starts" in early.json()["error"]["message"]
    assert not Session.objects.exists()
    first = client.post(
        f"{BASE}/programmes/{programme.pk}/sessions",
        {"date": TODAY.isoformat()},
        content_type="application/json",
    ).json()
    recorded = client.put(
        f"{BASE}/sessions/{first['id']}",
        {"new_items": ["Use AI daily"], "metrics": {"coaching.metric.decision_confidence": 3}},
        content_type="application/json",
    ).json()
    assert [i["text"] for i in recorded["new_items"]] == ["Use AI daily"]
    second = client.post(
        f"{BASE}/programmes/{programme.pk}/sessions",
        {"date": (TODAY + dt.timedelta(days=7)).isoformat()},
        content_type="application/json",
    ).json()
    assert [(i["text"], i["carries"], i["raised_in"]) for i in second["carried_items"]] == [
        ("Use AI daily", 1, 1)
    ]
    listed = client.get(f"{BASE}/programmes").json()
    assert [(r["sessions_held"], r["open_items"]) for r in listed] == [(1, 1)]


def test_the_leader_answers_the_pre_session_questions(members):
    programme = programme_for(members["admin"], start=TODAY, person=members["leader"].person)
    session = services.add_session(
        actor=programme.coach, programme=programme, date=TODAY + dt.timedelta(days=1)
    )
    client = api_client_for(members["leader"])
    bad = client.post(
        f"{BASE}/sessions/{session.pk}/pre-session",
        {"answers": {"coaching.pre_session.mood": "x"}},
        content_type="application/json",
    )
    assert bad.status_code == 400
    ok = client.post(
        f"{BASE}/sessions/{session.pk}/pre-session",
        {"answers": {"coaching.pre_session.challenges": "Time"}},
        content_type="application/json",
    )
    assert ok.status_code == 200
    assert ok.json()["pre_session"]["coaching.pre_session.challenges"] == "Time"


def test_every_coaching_operation_is_named_and_documents_its_refusals():
    from bellwether.api import api

    document = api.get_openapi_schema(path_prefix="/api/v1/")
    operations = [
        operation
        for path, methods in document["paths"].items()
        if path.startswith(f"{BASE}/")
        for operation in methods.values()
    ]
    assert len(operations) == 9
    for operation in operations:
        assert operation["operationId"].startswith("coaching_"), operation["operationId"]
        assert operation["summary"]
        responses = {str(code): answer for code, answer in operation["responses"].items()}
        assert {"200", "400", "401", "403", "404", "422"} <= set(responses)
        refused = responses["404"]["content"]["application/json"]["schema"]
        assert refused == {"$ref": "#/components/schemas/ErrorOut"}
