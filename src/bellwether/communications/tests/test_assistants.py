"""Delegation: a leader's assistant logs deliveries for that leader only, until revoked;
every grant and revocation is audited; the delivery says who logged it for whom."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.test import Client
from django.utils import timezone

from bellwether.communications import services
from bellwether.communications.models import Delegation, Delivery
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.factories import TEST_PASSWORD, PersonFactory, api_client_for, make_member

BODY = {
    "delivered_at": "2026-01-05T09:00:00Z",
    "channel": "channel.email",
    "audiences": ["audience.employees"],
}


@pytest.fixture
def assistant(org, coachee):
    member = make_member(org, email="pa@acme.test")
    services.grant_delegation(leader=coachee, assistant_email="PA@acme.test", actor=None)
    return member


@pytest.fixture
def other_leader(org, unit) -> Person:
    return cast(
        "Person",
        PersonFactory(organisation=org, org_unit=unit, leader_level=LeaderLevel.OPERATIONAL),
    )


def _browser(member) -> Client:
    client = Client()
    assert client.login(username=member.user.email, password=TEST_PASSWORD)
    return client


def test_the_assistant_logs_for_the_leader_and_it_says_so(coachee, assistant) -> None:
    assert AuditEvent.objects.filter(action="communications.assistant_granted").count() == 1
    api = api_client_for(assistant)
    response = api.post(
        f"/api/v1/communications/leaders/{coachee.pk}/deliveries",
        BODY,
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["by_assistant"] is True
    assert body["logged_by_label"] == "pa@acme.test"
    delivery = Delivery.objects.get()
    assert delivery.person == coachee
    assert delivery.by_assistant
    browser = _browser(assistant)
    page = browser.get(f"/communications/leaders/{coachee.pk}/")
    assert page.status_code == 200
    assert f"logged by pa@acme.test for {coachee.name}" in page.content.decode()
    assert browser.get(f"/communications/leaders/{coachee.pk}/calendar/").status_code == 200
    # The home page lists the leader they assist.
    assert coachee.name in browser.get("/communications/").content.decode()


def test_an_admin_or_the_leader_logging_is_not_by_an_assistant(coachee, members) -> None:
    api = api_client_for(members["admin"])
    response = api.post(
        f"/api/v1/communications/leaders/{coachee.pk}/deliveries",
        BODY,
        content_type="application/json",
    )
    assert response.json()["by_assistant"] is False


def test_the_assistant_of_one_leader_cannot_log_for_another(
    coachee, other_leader, assistant
) -> None:
    api = api_client_for(assistant)
    response = api.post(
        f"/api/v1/communications/leaders/{other_leader.pk}/deliveries",
        BODY,
        content_type="application/json",
    )
    assert response.status_code == 404
    browser = _browser(assistant)
    assert browser.get(f"/communications/leaders/{other_leader.pk}/log/").status_code == 404
    assert not Delivery.objects.exists()
    refused = AuditEvent.objects.filter(action="permission.denied").count()
    assert refused >= 2


def test_the_assistant_does_not_edit_the_plan_ask_for_ratings_or_add_assistants(
    coachee, assistant
) -> None:
    browser = _browser(assistant)
    for path in ("plan/", "assistants/"):
        assert browser.get(f"/communications/leaders/{coachee.pk}/{path}").status_code == 403
    api = api_client_for(assistant)
    response = api.post(
        f"/api/v1/communications/leaders/{coachee.pk}/assistants",
        {"email": "pa@acme.test"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_revoking_stops_the_assistant_at_once(coachee, assistant, members) -> None:
    delegation = Delegation.objects.get()
    api = api_client_for(members["admin"])
    response = api.post(
        f"/api/v1/communications/leaders/{coachee.pk}/assistants/{delegation.pk}/revoke"
    )
    assert response.status_code == 200
    assert response.json()["revoked_at"]
    assert AuditEvent.objects.filter(action="communications.assistant_revoked").count() == 1
    response = api_client_for(assistant).post(
        f"/api/v1/communications/leaders/{coachee.pk}/deliveries",
        BODY,
        content_type="application/json",
    )
    assert response.status_code == 403  # no communications pages at all any more
    assert not Delivery.objects.exists()


def test_granting_refuses_strangers_and_the_leader_themself(org, other_org, coachee) -> None:
    make_member(other_org, email="stranger@globex.test")
    leader_member = make_member(org, email="colin@acme.test", person=coachee)
    for email, message in (
        ("stranger@globex.test", "No active member"),
        ("", "No active member"),
        (leader_member.user.email, "someone else"),
    ):
        with pytest.raises(DomainError, match=message):
            services.grant_delegation(leader=coachee, assistant_email=email, actor=None)
    assert not Delegation.objects.exists()


def test_the_page_adds_and_removes_an_assistant(coachee, client_for) -> None:
    make_member(coachee.organisation, email="pa@acme.test")
    admin = client_for("admin")
    path = f"/communications/leaders/{coachee.pk}/assistants/"
    bad = admin.post(path, {"email": "nobody@acme.test"})
    assert bad.status_code == 400
    assert b"No active member" in bad.content
    assert admin.post(path, {"email": "pa@acme.test"}).status_code == 302
    delegation = Delegation.objects.get()
    assert b"pa@acme.test" in admin.get(path).content
    asked = admin.post(f"{path}{delegation.pk}/revoke/")  # confirmed first: nothing yet
    assert asked.status_code == 200
    assert "Remove this assistant?" in asked.content.decode()
    assert b'data-confirm="Remove this assistant?' in admin.get(path).content
    delegation.refresh_from_db()
    assert delegation.revoked_at is None
    assert admin.post(f"{path}{delegation.pk}/revoke/", {"confirmed": "yes"}).status_code == 302
    delegation.refresh_from_db()
    assert delegation.revoked_at is not None
    assert timezone.now() - delegation.revoked_at < dt.timedelta(minutes=1)
