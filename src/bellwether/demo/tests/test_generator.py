"""The demo company generator: deterministic and shaped like a real company."""

from __future__ import annotations

from collections import Counter

import pytest

from bellwether.demo.generator import DEPARTMENTS, SIZES, generate_company


@pytest.fixture(scope="module")
def company():
    return generate_company(seed=7, size="small")


def test_the_same_seed_gives_identical_rows(company):
    again = generate_company(seed=7, size="small")
    assert again.units == company.units
    assert again.people == company.people


def test_a_different_seed_gives_a_different_company(company):
    other = generate_company(seed=8, size="small")
    assert [p.name for p in other.people] != [p.name for p in company.people]
    assert len(other.people) == len(company.people)


def test_small_has_3000_people_and_150_leaders(company):
    levels = Counter(p.leader_level for p in company.people)
    assert len(company.people) == 3_000
    assert levels == {"": 2_850, "executive": 12, "senior": 30, "operational": 108}


def test_large_is_the_scale_of_the_spec():
    assert SIZES["large"].employees == 100_000
    assert SIZES["large"].leaders == 5_000
    assert SIZES["small"].leaders == 150


def test_exactly_one_ceo_at_the_top_with_no_manager(company):
    top = [p for p in company.people if p.manager_employee_id is None]
    assert len(top) == 1
    assert top[0] == company.ceo
    assert (company.ceo.title, company.ceo.leader_level) == ("Chief Executive Officer", "executive")


def test_every_manager_exists_and_comes_before_their_reports(company):
    position = {p.employee_id: i for i, p in enumerate(company.people)}
    for index, person in enumerate(company.people[1:], start=1):
        assert position[person.manager_employee_id] < index


def test_there_are_no_management_cycles(company):
    managers = {p.employee_id: p.manager_employee_id for p in company.people}
    for employee_id in managers:
        seen = set()
        current = employee_id
        while current is not None:
            assert current not in seen
            seen.add(current)
            current = managers[current]
        assert company.ceo.employee_id in seen


def test_the_chain_of_command_follows_leader_levels(company):
    by_id = {p.employee_id: p for p in company.people}
    expected_manager_level = {
        "executive": "executive",
        "senior": "executive",
        "operational": "senior",
    }
    for person in company.people[1:]:
        manager = by_id[person.manager_employee_id]
        assert manager.leader_level != ""
        if person.leader_level:
            assert manager.leader_level == expected_manager_level[person.leader_level]
    executives = company.leaders("executive")
    assert {p.title for p in executives[1:]} == {d.executive_title for d in DEPARTMENTS}
    assert all(p.title.startswith("Head of ") for p in company.leaders("senior"))
    assert all(p.title.startswith("Team Lead, ") for p in company.leaders("operational"))


def test_every_unit_referenced_exists_and_the_tree_has_one_root(company):
    codes = [u.code for u in company.units]
    assert len(codes) == len(set(codes))
    position = {code: i for i, code in enumerate(codes)}
    roots = [u for u in company.units if u.parent_code is None]
    assert [u.name for u in roots] == ["Northwind Group"]
    for index, unit in enumerate(company.units):
        if unit.parent_code is not None:
            assert position[unit.parent_code] < index
    assert {p.org_unit_code for p in company.people} <= set(codes)
    assert len(company.units) == 1 + 1 + len(DEPARTMENTS) + 30 + 108


def test_ids_and_emails_are_unique(company):
    assert len({p.employee_id for p in company.people}) == 3_000
    assert len({p.email for p in company.people}) == 3_000
    assert all(p.email.endswith("@northwind.example") for p in company.people)


def test_people_have_locations_start_dates_and_a_few_leavers(company):
    assert len({p.location for p in company.people}) >= 6
    assert min(p.start_date for p in company.people).year >= 1999
    assert max(p.start_date for p in company.people).year <= 2025
    inactive = [p for p in company.people if not p.active]
    assert 0 < len(inactive) < 100
    assert all(p.leader_level == "" for p in inactive)


def test_an_unknown_size_is_refused():
    with pytest.raises(ValueError, match="size must be one of"):
        generate_company(seed=1, size="huge")
