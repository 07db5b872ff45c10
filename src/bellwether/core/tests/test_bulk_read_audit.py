"""Every bulk read through the API is in the audit log: who, which path and filters, how
many rows (issue 12, "bulk API reads are not logged")."""

from __future__ import annotations

from typing import Any

import pytest

from bellwether.accounts.models import Membership
from bellwether.core.api import rows_in
from bellwether.core.models import AuditEvent
from bellwether.testing.factories import api_client_for


@pytest.mark.parametrize(
    ("data", "rows"),
    [([], 0), ([{"id": 1}, {"id": 2}], 2), ({"count": 9, "items": [{"id": 1}]}, 1), ({}, None)],
)
def test_rows_in_counts_lists_and_pages_but_not_single_objects(data: Any, rows: int | None) -> None:
    assert rows_in(data) == rows


def test_a_collection_read_is_audited_with_its_filters_and_row_count(
    members: dict[str, Membership],
) -> None:
    admin = members["admin"]
    response = api_client_for(admin).get("/api/v1/readiness/cycles", {"status": "open"})
    assert response.status_code == 200, response.content
    [event] = AuditEvent.objects.filter(action="api.bulk_read")
    assert event.actor_id == admin.user_id
    assert event.organisation_id == admin.organisation_id
    assert event.details["path"] == "/api/v1/readiness/cycles"
    assert event.details["filters"] == {"status": "open"}
    assert event.details["rows"] == rows_in(response.json())


def test_a_read_that_writes_its_own_export_event_is_not_audited_twice(
    members: dict[str, Membership],
) -> None:
    response = api_client_for(members["admin"]).get("/api/v1/people")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="people.listed").count() == 1
    assert not AuditEvent.objects.filter(action="api.bulk_read").exists()


def test_a_refused_read_is_a_refusal_not_a_bulk_read(members: dict[str, Membership]) -> None:
    response = api_client_for(members["leader"]).get("/api/v1/people")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action="permission.denied").count() == 1
    assert not AuditEvent.objects.filter(action="api.bulk_read").exists()
