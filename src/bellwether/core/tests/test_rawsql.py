"""Hand-written SQL for hot paths: values go through the fields as with the ORM, and
several inserts land all together or not at all."""

from __future__ import annotations

import datetime as dt
from typing import cast

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from bellwether.core import audit, rawsql
from bellwether.core.models import AuditEvent
from bellwether.people.models import OrgUnit, Person
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _unit_row(org, code: str) -> dict:
    now = timezone.now()
    return {
        "organisation_id": org.pk,
        "code": code,
        "name": f"Unit {code}",
        "parent_id": None,
        "path": "",
        "depth": 0,
        "created_at": now,
        "updated_at": now,
    }


def test_inserted_rows_read_back_through_the_orm_as_written(org) -> None:
    when = dt.datetime(2026, 5, 1, 9, 30, tzinfo=dt.UTC)
    campaign_like = OrgUnit(pk=7, organisation=org, code="X", name="Target unit")
    model, rows = audit.event_row(
        action="test.fast", organisation_id=org.pk, target=campaign_like, details={"a": [1, "é"]}
    )
    rows[0]["created_at"] = when
    rawsql.insert_together([(model, rows), (OrgUnit, [_unit_row(org, "A"), _unit_row(org, "B")])])
    event = AuditEvent.objects.get(action="test.fast")
    assert event.details == {"a": [1, "é"]}
    assert event.created_at == when
    assert event.target_type == "people.orgunit"
    assert event.target_id == "7"
    assert event.target_label == "Target unit"
    assert event.actor is None
    assert sorted(OrgUnit.objects.filter(organisation=org).values_list("code", flat=True)) == [
        "A",
        "B",
    ]


def test_nothing_is_written_when_any_row_is_refused(org) -> None:
    OrgUnit.objects.create(organisation=org, code="TAKEN", name="Taken")
    before = AuditEvent.objects.count()
    model, rows = audit.event_row(action="test.fast", organisation_id=org.pk, target=org)
    with pytest.raises(IntegrityError), transaction.atomic():
        # The second batch breaks the unique code per organisation: the first goes too.
        rawsql.insert_together([(model, rows), (OrgUnit, [_unit_row(org, "TAKEN")])])
    assert AuditEvent.objects.count() == before
    assert OrgUnit.objects.filter(organisation=org).count() == 1


def test_select_one_converts_each_column_as_its_field_would(org, unit) -> None:
    person = cast(
        Person, PersonFactory(organisation=org, org_unit=unit, start_date=dt.date(2019, 3, 4))
    )
    fields = (
        Person._meta.get_field("start_date"),
        Person._meta.get_field("created_at"),
        Person._meta.get_field("active"),
    )
    row = rawsql.select_one(
        "SELECT start_date, created_at, active FROM people_person WHERE id = %s",
        [person.pk],
        fields,
    )
    fresh = Person.objects.get(pk=person.pk)
    assert row == (dt.date(2019, 3, 4), fresh.created_at, fresh.active)
    assert (
        rawsql.select_one("SELECT start_date FROM people_person WHERE id = %s", [-1], fields[:1])
        is None
    )


def test_an_empty_insert_writes_nothing(org) -> None:
    before = OrgUnit.objects.count()
    rawsql.insert_together([(OrgUnit, [])])
    rawsql.insert_together([])
    assert OrgUnit.objects.count() == before
