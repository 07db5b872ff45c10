"""The single-person upsert under real concurrency (PostgreSQL, one connection per
thread): the same new person sent at once is made once, and two changes of manager at
once cannot close a loop, whether the other change comes one at a time or in a file."""

from __future__ import annotations

from typing import Any

import pytest

from bellwether.core.errors import DomainError
from bellwether.people import services
from bellwether.people.models import Person
from bellwether.testing.concurrency import at_once
from bellwether.testing.factories import PersonFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

THREADS = 8


def _upsert(org, **record):
    return lambda: services.upsert_person(organisation=org, actor=None, record=record)


def test_the_same_new_person_sent_at_once_is_made_once(org):
    boss = PersonFactory(organisation=org, employee_id="B1")
    results, errors = at_once(
        [
            _upsert(org, employee_id="E1", name="Ann", manager="B1", title=f"Title {n % 2}")
            for n in range(THREADS)
        ]
    )
    assert errors == []
    assert len(results) == THREADS
    assert sum(result.created for result in results) == 1
    ann = Person.objects.get(organisation=org, employee_id="E1")
    assert {result.person.pk for result in results} == {ann.pk}
    assert ann.manager == boss
    assert Person.objects.filter(organisation=org).count() == 2


def test_two_changes_of_manager_at_once_cannot_close_a_loop(org):
    PersonFactory(organisation=org, employee_id="A")
    PersonFactory(organisation=org, employee_id="B")
    results, errors = at_once(
        [_upsert(org, employee_id="A", manager="B"), _upsert(org, employee_id="B", manager="A")]
    )
    assert len(results) == 1
    assert len(errors) == 1
    assert isinstance(errors[0], DomainError)
    assert "loops back" in errors[0].message
    managers = dict(
        Person.objects.filter(organisation=org).values_list("employee_id", "manager__employee_id")
    )
    assert managers in ({"A": "B", "B": None}, {"A": None, "B": "A"})


def test_a_file_and_a_single_change_of_manager_at_once_cannot_close_a_loop(org):
    """The bulk import takes the same reporting-line lock as the single upsert; without
    it each checks the tree before the other's change commits and both succeed."""
    for round_ in range(4):
        a, b = f"A{round_}", f"B{round_}"
        PersonFactory(organisation=org, employee_id=a)
        PersonFactory(organisation=org, employee_id=b)

        def in_a_file(a: str = a, b: str = b) -> Any:
            result = services.upsert_people_records(
                organisation=org, actor=None, records=[{"employee_id": a, "manager": b}]
            )
            if not result.ok:
                raise DomainError(" ".join(str(error) for error in result.errors))
            return result

        results, errors = at_once([in_a_file, _upsert(org, employee_id=b, manager=a)])
        assert len(results) + len(errors) == 2
        managers = dict(
            Person.objects.filter(organisation=org, employee_id__in=[a, b]).values_list(
                "employee_id", "manager__employee_id"
            )
        )
        assert managers in ({a: b, b: None}, {a: None, b: a}), (round_, managers, errors)
        assert len(errors) == 1
