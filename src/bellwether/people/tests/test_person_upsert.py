"""The single-person upsert (SCIM's writer): the import's checks on one record, only
what it touches read, audited, and nothing written when refused or unchanged."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.people import services
from bellwether.people.models import Person
from bellwether.testing.factories import PersonFactory


def upsert(org, **record):
    return services.upsert_person(
        organisation=org, actor=None, actor_label="test", record=record, source="test"
    )


def test_it_creates_a_person_with_their_manager_and_unit_and_audits_it(org, unit):
    boss = PersonFactory(organisation=org, employee_id="B1")
    done = upsert(
        org,
        employee_id="E1",
        name="Ann Smith",
        email="ann@acme.test",
        org_unit="HQ",
        manager="B1",
        start_date="2024-03-31",
    )
    assert done.created
    ann = Person.objects.get(organisation=org, employee_id="E1")
    assert done.person == ann
    assert (ann.name, ann.email, ann.org_unit, ann.manager, str(ann.start_date)) == (
        "Ann Smith",
        "ann@acme.test",
        unit,
        boss,
        "2024-03-31",
    )
    event = AuditEvent.objects.get(organisation=org, action="person.created")
    assert (event.actor_label, event.target_id) == ("test", str(ann.pk))
    assert event.details == {"source": "test", "employee_id": "E1"}


def test_fields_left_out_keep_their_value_and_the_audit_names_what_changed(org, unit):
    PersonFactory(organisation=org, employee_id="B1")
    upsert(org, employee_id="E1", name="Ann", title="CTO", org_unit="HQ", manager="B1")
    done = upsert(org, employee_id="E1", title="CEO", manager="")
    assert not done.created
    assert done.changed == ("title", "manager")
    ann = Person.objects.get(organisation=org, employee_id="E1")
    assert (ann.name, ann.title, ann.org_unit, ann.manager) == ("Ann", "CEO", unit, None)
    event = AuditEvent.objects.get(organisation=org, action="person.updated")
    assert event.details["fields"] == ["title", "manager"]


def test_an_unchanged_person_is_not_written(org):
    upsert(org, employee_id="E1", name="Ann", email="ann@acme.test")
    stamp = Person.objects.get(organisation=org, employee_id="E1").updated_at
    done = upsert(org, employee_id="E1", name="Ann", email="ann@acme.test")
    assert (done.created, done.changed) == (False, ())
    assert Person.objects.get(organisation=org, employee_id="E1").updated_at == stamp
    assert not AuditEvent.objects.filter(organisation=org, action="person.updated").exists()


@pytest.mark.parametrize(
    ("record", "field"),
    [
        ({"employee_id": "N1", "name": "Ann", "email": "not-an-address"}, "email"),
        ({"employee_id": "N1", "name": "Ann", "manager": "NOBODY"}, "manager"),
        ({"employee_id": "N1", "name": "Ann", "org_unit": "NOWHERE"}, "org_unit"),
        ({"employee_id": "N1", "name": "Ann", "manager": "N1"}, "manager"),
        ({"employee_id": "N1", "name": "Ann", "leader_level": "boss"}, "leader_level"),
        ({"employee_id": "N1", "name": "Ann", "start_date": "31/31/2024"}, "start_date"),
        ({"employee_id": "N1", "name": "Ann", "active": "maybe"}, "active"),
        ({"employee_id": "N1"}, "name"),
        ({"employee_id": "", "name": "Ann"}, "employee_id"),
        ({"employee_id": "N1", "name": "Ann", "shoe_size": "9"}, "shoe_size"),
        ({"employee_id": "E1", "manager": "E3"}, "manager"),  # E3 → E2 → E1: a loop
    ],
)
def test_it_refuses_what_the_import_refuses_with_the_same_message(org, record, field):
    PersonFactory(organisation=org, employee_id="E1")
    PersonFactory(organisation=org, employee_id="E2", manager=Person.objects.get(employee_id="E1"))
    PersonFactory(organisation=org, employee_id="E3", manager=Person.objects.get(employee_id="E2"))
    before = list(Person.objects.order_by("pk").values_list("employee_id", "manager", "updated_at"))
    # The batch upsert, as a dry run: its message for the same record.
    expected = services.upsert_people_records(
        organisation=org, actor=None, records=[record], dry_run=True
    )
    assert not expected.ok
    with pytest.raises(DomainError) as refused:
        upsert(org, **record)
    assert next(iter(refused.value.field_errors)) == field
    assert refused.value.message == expected.errors[0].message
    assert refused.value.field_errors[field] == [
        error.message for error in expected.errors if error.column == field
    ]
    after = list(Person.objects.order_by("pk").values_list("employee_id", "manager", "updated_at"))
    assert after == before
    assert not AuditEvent.objects.filter(action__startswith="person.").exists()


def test_it_reads_only_the_person_and_their_reporting_chain(org, monkeypatch):
    from bellwether.people.services import person as module

    top = PersonFactory(organisation=org, employee_id="M0")
    PersonFactory(organisation=org, employee_id="M1", manager=top)
    PersonFactory.create_batch(40, organisation=org)
    real = module._existing_people
    read: list[list[str]] = []

    def spy(organisation, around=None):
        found = real(organisation, around)
        read.append(sorted(found))
        return found

    monkeypatch.setattr(module, "_existing_people", spy)
    upsert(org, employee_id="S1", name="New", manager="M1")
    with CaptureQueriesContext(connection) as queries:
        upsert(org, employee_id="S1", title="Changed", manager="M0")
    # Created under M1 (M1 → M0); moved to M0: read again under the reporting-line lock.
    assert read == [["M0", "M1"], ["M0", "M1", "S1"], ["M0", "M1", "S1"]]
    assert len(queries) <= 10
