"""Knowledge transfer handed over: the service (audited; a future date, a missing date or
another organisation's item is refused and nothing is saved), the position page's form and
the API operation, for admins and sponsors only."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.succession import services
from bellwether.succession.models import CriticalPosition, TransferItem
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(org, unit, leader_person) -> CriticalPosition:
    return services.add_position(
        organisation=org, title="COO", org_unit=unit, incumbent=leader_person, actor=None
    )


@pytest.fixture
def item(position) -> TransferItem:
    return services.add_transfer_item(position=position, text="Supplier contracts", actor=None)


def _done_on(item: TransferItem) -> datetime.date | None:
    item.refresh_from_db()
    return item.done_on


def test_a_hand_over_is_recorded_and_audited(org, item, members) -> None:
    when = datetime.date(2026, 1, 12)
    done = services.complete_knowledge_transfer(
        organisation=org, item=item, done_on=when, actor=members["admin"].user
    )
    assert done.done_on == when
    assert _done_on(item) == when
    event = AuditEvent.objects.get(action="succession.transfer_item_completed")
    assert event.actor == members["admin"].user
    assert event.details["done_on"] == "2026-01-12"


@pytest.mark.parametrize(
    ("days", "message"),
    [(1, "in the future"), (None, "Give the date"), (-365 * 200, "must fall between")],
)
def test_a_future_missing_or_absurd_date_is_refused(org, item, days, message) -> None:
    today = timezone.localdate()
    when = None if days is None else today + datetime.timedelta(days=days)
    with pytest.raises(DomainError, match=message):
        services.complete_knowledge_transfer(organisation=org, item=item, done_on=when, actor=None)
    assert _done_on(item) is None
    assert not AuditEvent.objects.filter(action="succession.transfer_item_completed").exists()


def test_another_organisations_item_is_refused(other_org, item) -> None:
    with pytest.raises(DomainError, match="of this organisation"):
        services.complete_knowledge_transfer(
            organisation=other_org, item=item, done_on=timezone.localdate(), actor=None
        )
    with pytest.raises(DomainError, match="of this organisation"):
        services.complete_knowledge_transfer(
            organisation=other_org, item=None, done_on=timezone.localdate(), actor=None
        )
    assert _done_on(item) is None


def test_the_position_page_records_a_hand_over_and_shows_a_refusal(
    client_for, position, item
) -> None:
    sponsor = client_for("sponsor")
    url = f"/succession/positions/{position.pk}/"
    page = sponsor.get(url).content.decode()
    assert f"/succession/positions/{position.pk}/transfer/{item.pk}/done/" in page
    assert "Mark done" in page
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    done_url = f"/succession/positions/{position.pk}/transfer/{item.pk}/done/"
    refused = sponsor.post(done_url, {"done_on": tomorrow}, follow=True).content.decode()
    assert "The hand-over date is in the future." in refused
    blank = sponsor.post(done_url, {"done_on": "soon"}, follow=True).content.decode()
    assert "Give the date the knowledge was handed over." in blank
    assert _done_on(item) is None
    shown = sponsor.post(done_url, {"done_on": "2026-01-12"}, follow=True).content.decode()
    assert "The hand-over is recorded." in shown
    assert "done 12 Jan 2026" in shown
    assert _done_on(item) == datetime.date(2026, 1, 12)


def test_the_page_refuses_an_item_of_another_position(org, client_for, position, item) -> None:
    other = services.add_position(
        organisation=org, title="CFO", org_unit=None, incumbent=None, actor=None
    )
    answer = client_for("admin").post(
        f"/succession/positions/{other.pk}/transfer/{item.pk}/done/",
        {"done_on": "2026-01-12"},
        follow=True,
    )
    assert "Choose a knowledge-transfer item of this organisation." in answer.content.decode()
    assert _done_on(item) is None


def test_leaders_and_coaches_cannot_record_a_hand_over(client_for, position, item) -> None:
    for role in ("leader", "coach", "reviewer"):
        answer = client_for(role).post(
            f"/succession/positions/{position.pk}/transfer/{item.pk}/done/",
            {"done_on": "2026-01-12"},
        )
        assert answer.status_code == 403, role
    assert _done_on(item) is None


def test_the_api_records_a_hand_over_and_refuses_bad_input(members, position, item) -> None:
    api = api_client_for(members["admin"])
    url = f"/api/v1/succession/positions/{position.pk}/transfer-items/{item.pk}/done"
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    future = api.post(url, {"done_on": tomorrow}, "application/json")
    assert future.status_code == 400
    assert future.json()["error"]["fields"] == {"done_on": ["In the future."]}
    for body in ({}, {"done_on": "yesterday"}, {"done_on": "2026-01-12", "note": "x"}):
        assert api.post(url, body, "application/json").status_code == 422, body
    assert _done_on(item) is None
    unknown = api.post(
        f"/api/v1/succession/positions/{position.pk}/transfer-items/{item.pk + 1000}/done",
        {"done_on": "2026-01-12"},
        "application/json",
    )
    assert unknown.status_code == 404
    done = api.post(url, {"done_on": "2026-01-12"}, "application/json")
    assert done.status_code == 200, done.content
    assert done.json()["transfer_items"] == [
        {"id": item.pk, "text": "Supplier contracts", "done_on": "2026-01-12"}
    ]
    leader = api_client_for(members["leader"])
    assert leader.post(url, {"done_on": "2026-01-13"}, "application/json").status_code == 403
    assert _done_on(item) == datetime.date(2026, 1, 12)
