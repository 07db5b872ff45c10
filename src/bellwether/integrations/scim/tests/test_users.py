"""Users: created, read, filtered, paged, replaced, patched, deactivated and deleted,
each mapped onto a person through the people app's services."""

from __future__ import annotations

import pytest

from bellwether.core.models import AuditEvent
from bellwether.integrations.scim.models import ScimUser
from bellwether.integrations.scim.tests.conftest import ENTERPRISE, PATCH, user_body
from bellwether.people.models import OrgUnit, Person


def test_create_user_makes_a_person(scim, org):
    response = scim.post(
        "Users",
        user_body(
            "bjensen",
            externalId="ext-1",
            title="CTO",
            **{ENTERPRISE: {"employeeNumber": "E100", "department": "Engineering"}},
        ),
    )
    assert response.status_code == 201, response.content
    assert response["Content-Type"] == "application/scim+json"
    data = response.json()
    assert response["Location"] == data["meta"]["location"]
    person = Person.objects.get(organisation=org, employee_id="E100")
    assert person.name == "Barbara Jensen"
    assert person.email == "bjensen@example.com"
    assert person.title == "CTO"
    assert person.org_unit == OrgUnit.objects.get(organisation=org, name="Engineering")
    assert data["userName"] == "bjensen"
    assert data["name"] == {"givenName": "Barbara", "familyName": "Jensen"}
    assert data[ENTERPRISE]["employeeNumber"] == "E100"
    assert data[ENTERPRISE]["department"] == "Engineering"
    assert AuditEvent.objects.filter(organisation=org, action="scim.user_created").count() == 1
    got = scim.get(f"Users/{data['id']}")
    assert got.status_code == 200
    assert got.json()["emails"] == [{"value": "bjensen@example.com", "type": "work", "primary": True}]
