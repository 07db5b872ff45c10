from __future__ import annotations

import pytest

from bellwether.people import selectors
from bellwether.people.models import LeaderLevel
from bellwether.people.orgchart import (
    HeadCandidate,
    UnitCount,
    common_path,
    path_ids,
    pick_heads,
    roll_up,
)
from bellwether.people.selectors import LevelFilter, PeopleFilters, StatusFilter
from bellwether.testing.factories import OrgUnitFactory, PersonFactory

# --- pure org-chart arithmetic ------------------------------------------------------


def test_path_ids_reads_a_materialised_path_root_first():
    assert path_ids("/3/17/42/") == [3, 17, 42]
    assert path_ids("/") == []


def test_common_path_is_the_deepest_shared_ancestor():
    assert common_path(["/3/17/", "/3/18/"]) == "/3/"
    assert common_path(["/3/17/"]) == "/3/17/"
    assert common_path(["/3/", "/4/"]) == "/"
    assert common_path([]) == "/"


def test_roll_up_sums_each_units_whole_subtree():
    counts = [
        UnitCount("/1/", 1, 1),
        UnitCount("/1/2/", 10, 2),
        UnitCount("/1/2/5/", 100, 3),
        UnitCount("/1/3/", 1000, 4),
        UnitCount("/9/", 7, 0),
    ]
    totals = roll_up(counts, ["/1/", "/1/2/", "/1/3/", "/1/4/"])
    assert totals == {
        "/1/": (1111, 10),
        "/1/2/": (110, 5),
        "/1/3/": (1000, 4),
        "/1/4/": (0, 0),
    }


def _candidate(unit_id, person_id, name, level, manager_in_unit=False):
    return HeadCandidate(
        unit_id=unit_id,
        person_id=person_id,
        employee_id=f"E{person_id}",
        name=name,
        leader_level=level,
        manager_in_unit=manager_in_unit,
    )


def test_pick_heads_prefers_the_most_senior_level():
    heads = pick_heads(
        [
            _candidate(1, 10, "Ann", "operational"),
            _candidate(1, 11, "Zed", "executive", manager_in_unit=True),
            _candidate(1, 12, "Bob", "senior"),
        ]
    )
    assert heads[1].person_id == 11


def test_pick_heads_among_equals_prefers_whoever_reports_outside_the_unit():
    heads = pick_heads(
        [
            _candidate(1, 10, "Ann", "senior", manager_in_unit=True),
            _candidate(1, 11, "Zed", "senior", manager_in_unit=False),
        ]
    )
    assert heads[1].person_id == 11


def test_pick_heads_breaks_remaining_ties_by_name_then_id_and_ignores_non_leaders():
    heads = pick_heads(
        [
            _candidate(1, 12, "bob", "senior"),
            _candidate(1, 11, "Bob", "senior"),
            _candidate(1, 10, "Cat", "senior"),
            _candidate(2, 20, "Nobody", ""),
        ]
    )
    assert heads[1].person_id == 11
    assert 2 not in heads


# --- people --------------------------------------------------------------------------


@pytest.fixture
def tree(org):
    """root ─┬─ sales ── emea
    └─ tech"""
    root = OrgUnitFactory.create(organisation=org, code="ROOT", name="Root")
    sales = OrgUnitFactory.create(organisation=org, code="SALES", name="Sales", parent=root)
    emea = OrgUnitFactory.create(organisation=org, code="EMEA", name="EMEA", parent=sales)
    tech = OrgUnitFactory.create(organisation=org, code="TECH", name="Tech", parent=root)
    return {"root": root, "sales": sales, "emea": emea, "tech": tech}


@pytest.fixture
def staff(org, tree):
    def make(eid, name, unit, **kw):
        return PersonFactory.create(
            organisation=org, employee_id=eid, name=name, org_unit=tree[unit], **kw
        )

    ceo = make("P1", "Carla Chief", "root", leader_level=LeaderLevel.EXECUTIVE, title="CEO")
    vp = make("P2", "Sam Sales", "sales", leader_level=LeaderLevel.SENIOR, manager=ceo)
    rep = make("P3", "Eve Emea", "emea", manager=vp, email="eve@acme.example", title="Account Rep")
    lead = make("P4", "Otto Ops", "emea", leader_level=LeaderLevel.OPERATIONAL, manager=vp)
    dev = make("P5", "Tim Tech", "tech", manager=ceo, title="Developer")
    gone = make("P6", "Gail Gone", "emea", active=False, manager=vp)
    return {"ceo": ceo, "vp": vp, "rep": rep, "lead": lead, "dev": dev, "gone": gone}


def _names(qs):
    return sorted(p.name for p in qs)


def test_search_matches_name_email_employee_id_and_title_case_insensitively(members, staff):
    admin = members["admin"]
    assert _names(selectors.people_for(admin, PeopleFilters(q="carla"))) == ["Carla Chief"]
    assert _names(selectors.people_for(admin, PeopleFilters(q="EVE@ACME"))) == ["Eve Emea"]
    assert _names(selectors.people_for(admin, PeopleFilters(q="p5"))) == ["Tim Tech"]
    assert _names(selectors.people_for(admin, PeopleFilters(q="account rep"))) == ["Eve Emea"]


def test_search_requires_every_word_to_match(members, staff):
    admin = members["admin"]
    assert _names(selectors.people_for(admin, PeopleFilters(q="sam sales"))) == ["Sam Sales"]
    assert _names(selectors.people_for(admin, PeopleFilters(q="sam tech"))) == []


def test_org_unit_filter_includes_descendants_and_not_siblings_or_parents(members, tree, staff):
    admin = members["admin"]
    in_sales = selectors.people_for(admin, PeopleFilters(org_unit=tree["sales"]))
    assert _names(in_sales) == ["Eve Emea", "Otto Ops", "Sam Sales"]
    assert _names(selectors.people_for(admin, PeopleFilters(org_unit=tree["emea"]))) == [
        "Eve Emea",
        "Otto Ops",
    ]


def test_org_unit_filter_and_its_complement_cover_everyone(members, tree, staff, org):
    admin = members["admin"]
    everyone = set(selectors.people_for(admin).values_list("pk", flat=True))
    inside = set(
        selectors.people_for(admin, PeopleFilters(org_unit=tree["sales"])).values_list(
            "pk", flat=True
        )
    )
    outside = everyone - inside
    assert {p.name for p in selectors.people_for(admin).filter(pk__in=outside)} == {
        "Carla Chief",
        "Tim Tech",
        "Lena Leader",
        "Colin Coachee",
    }


def test_a_unit_whose_id_prefixes_another_does_not_catch_its_people(members, org):
    # Paths end with "/" so unit 1 ("/1/") never matches unit 12 ("/12/").
    first = OrgUnitFactory.create(organisation=org, code="A")
    others = [OrgUnitFactory.create(organisation=org, code=f"B{i}") for i in range(12)]
    PersonFactory.create(organisation=org, name="In First", org_unit=first)
    for unit in others:
        PersonFactory.create(organisation=org, name=f"In {unit.code}", org_unit=unit)
    found = selectors.people_for(members["admin"], PeopleFilters(org_unit=first))
    assert _names(found) == ["In First"]


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (LevelFilter.EXECUTIVE, ["Carla Chief"]),
        (LevelFilter.SENIOR, ["Lena Leader", "Sam Sales"]),
        (LevelFilter.OPERATIONAL, ["Colin Coachee", "Otto Ops"]),
        (
            LevelFilter.LEADERS,
            ["Carla Chief", "Colin Coachee", "Lena Leader", "Otto Ops", "Sam Sales"],
        ),
        (LevelFilter.NOT_LEADERS, ["Eve Emea", "Tim Tech"]),
    ],
)
def test_leader_level_filter(members, staff, level, expected):
    assert _names(selectors.people_for(members["admin"], PeopleFilters(level=level))) == expected


def test_status_filter_defaults_to_active(members, staff):
    admin = members["admin"]
    assert "Gail Gone" not in _names(selectors.people_for(admin))
    inactive = selectors.people_for(admin, PeopleFilters(status=StatusFilter.INACTIVE))
    assert _names(inactive) == ["Gail Gone"]
    assert len(selectors.people_for(admin, PeopleFilters(status=StatusFilter.ALL))) == 8


def test_coach_sees_only_their_coachees_and_outsider_sees_nobody_here(members, staff, coachee):
    assert list(selectors.people_for(members["coach"])) == [coachee]
    assert list(selectors.people_for(members["reviewer"])) == [coachee]
    assert list(selectors.people_for(members["outsider"])) == []


def test_manager_chain_climbs_to_the_top(staff):
    assert selectors.manager_chain(staff["rep"]) == [staff["vp"], staff["ceo"]]
    assert selectors.manager_chain(staff["ceo"]) == []


def test_manager_chain_of_a_deep_hierarchy_costs_few_queries(org, django_assert_num_queries):
    people = [PersonFactory.create(organisation=org, name="Top")]
    for i in range(11):
        people.append(PersonFactory.create(organisation=org, name=f"Level {i}", manager=people[-1]))
    bottom = people[-1]
    with django_assert_num_queries(3):
        chain = selectors.manager_chain(bottom)
    assert chain == list(reversed(people[:-1]))


def test_manager_chain_stops_on_a_loop_in_the_data(org):
    a = PersonFactory.create(organisation=org, name="A")
    b = PersonFactory.create(organisation=org, name="B", manager=a)
    a.manager = b
    a.save()
    assert selectors.manager_chain(a) == [b]


def test_unit_nodes_count_active_people_over_the_subtree_and_find_heads(org, tree, staff):
    nodes = {n.unit.code: n for n in selectors.unit_nodes(org, list(tree.values()))}
    assert (nodes["ROOT"].people, nodes["ROOT"].leaders) == (5, 3)
    assert (nodes["SALES"].people, nodes["SALES"].leaders) == (3, 2)
    assert (nodes["EMEA"].people, nodes["EMEA"].leaders) == (2, 1)
    assert (nodes["TECH"].people, nodes["TECH"].leaders) == (1, 0)
    assert nodes["ROOT"].head is not None
    assert nodes["ROOT"].head.person_id == staff["ceo"].pk
    assert nodes["EMEA"].head is not None
    assert nodes["EMEA"].head.person_id == staff["lead"].pk
    assert nodes["TECH"].head is None
    assert (nodes["ROOT"].child_count, nodes["SALES"].child_count, nodes["TECH"].child_count) == (
        2,
        1,
        0,
    )


def test_unit_head_among_equals_is_the_one_whose_manager_is_outside_the_unit(org, tree):
    boss = PersonFactory.create(
        organisation=org, name="Zoe Boss", org_unit=tree["tech"], leader_level=LeaderLevel.SENIOR
    )
    PersonFactory.create(
        organisation=org,
        name="Adam Deputy",
        org_unit=tree["tech"],
        leader_level=LeaderLevel.SENIOR,
        manager=boss,
    )
    head = selectors.unit_nodes(org, [tree["tech"]])[0].head
    assert head is not None
    assert head.name == "Zoe Boss"


def test_unit_nodes_cost_four_queries_whatever_the_number_of_units(
    org, tree, staff, django_assert_num_queries
):
    for i in range(20):
        OrgUnitFactory.create(organisation=org, code=f"X{i}", parent=tree["tech"])
    units = list(selectors.child_units(org, tree["tech"]))
    with django_assert_num_queries(4):
        nodes = selectors.unit_nodes(org, units)
    assert len(nodes) == 20


def test_counts_never_include_another_organisations_people(org, other_org, tree, staff):
    foreign_unit = OrgUnitFactory.create(organisation=other_org, code="ROOT")
    PersonFactory.create(organisation=other_org, org_unit=foreign_unit, leader_level="executive")
    nodes = selectors.unit_nodes(org, [tree["root"]])
    assert (nodes[0].people, nodes[0].leaders) == (5, 3)


def test_account_roles_of_a_person_with_and_without_an_account(members, leader_person, bystander):
    assert selectors.account_roles(leader_person) == ["Leader"]
    assert selectors.account_roles(bystander) is None
