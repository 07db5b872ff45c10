from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.people.models import LeaderLevel, OrgUnit
from bellwether.testing.factories import OrgUnitFactory, PersonFactory

CHART = reverse("people:org_chart")


@pytest.fixture
def tree(org, unit, members):
    """Headquarters (the conftest's root, with Lena and Colin) ─┬─ Sales ── EMEA
    └─ Tech"""
    sales = OrgUnitFactory.create(organisation=org, code="SALES", name="Sales", parent=unit)
    emea = OrgUnitFactory.create(organisation=org, code="EMEA", name="EMEA", parent=sales)
    tech = OrgUnitFactory.create(organisation=org, code="TECH", name="Tech", parent=unit)
    PersonFactory.create(
        organisation=org, name="Sam Sales", org_unit=sales, leader_level=LeaderLevel.SENIOR
    )
    PersonFactory.create(organisation=org, name="Eve Emea", org_unit=emea)
    PersonFactory.create(organisation=org, name="Ex Emea", org_unit=emea, active=False)
    return {"hq": unit, "sales": sales, "emea": emea, "tech": tech}


def _codes(response) -> list[str]:
    return [node.unit.code for node in response.context["nodes"]]


@pytest.mark.parametrize("role", ["admin", "sponsor"])
def test_admins_and_sponsors_see_the_chart(client_for, tree, role):
    response = client_for(role).get(CHART)
    assert response.status_code == 200
    # One root: the chart opens on it and lists its first level.
    assert response.context["focus"] == tree["hq"]
    assert _codes(response) == ["SALES", "TECH"]


@pytest.mark.parametrize("role", ["leader", "coach", "reviewer"])
def test_other_roles_are_refused_the_chart_and_nothing_changes(client_for, tree, role):
    units_before = list(OrgUnit.objects.order_by("pk").values_list("pk", "name", "path"))
    before = AuditEvent.objects.filter(action="permission.denied").count()
    for params in [{}, {"unit": tree["sales"].pk}, {"children": tree["sales"].pk}]:
        response = client_for(role).get(CHART, params)
        assert response.status_code == 403
    assert AuditEvent.objects.filter(action="permission.denied").count() == before + 3
    assert list(OrgUnit.objects.order_by("pk").values_list("pk", "name", "path")) == units_before


def test_an_outsider_gets_404_for_units_of_another_organisation(client_for, tree):
    client = client_for("outsider")
    assert client.get(CHART).status_code == 200
    assert client.get(CHART, {"unit": tree["sales"].pk}).status_code == 404
    assert client.get(CHART, {"children": tree["sales"].pk}).status_code == 404


def test_the_chart_requires_sign_in(db):
    response = Client().get(CHART)
    assert response.status_code == 302


def test_nodes_count_active_people_and_leaders_in_the_whole_subtree(client_for, tree):
    response = client_for("admin").get(CHART)
    nodes = {n.unit.code: n for n in response.context["nodes"]}
    assert (nodes["SALES"].people, nodes["SALES"].leaders) == (2, 1)
    assert (nodes["TECH"].people, nodes["TECH"].leaders) == (0, 0)
    focus = response.context["focus_node"]
    # Lena, Colin, Sam and Eve; Ex Emea is inactive.
    assert (focus.people, focus.leaders) == (4, 3)
    assert focus.head.name == "Lena Leader"


def test_a_unit_head_is_its_most_senior_leader(client_for, tree):
    response = client_for("admin").get(CHART)
    content = response.content.decode()
    nodes = {n.unit.code: n for n in response.context["nodes"]}
    assert nodes["SALES"].head.name == "Sam Sales"
    assert nodes["TECH"].head is None
    head_link = reverse("people:detail", args=[nodes["SALES"].head.person_id])
    assert f'Head: <a href="{head_link}">Sam Sales</a>' in content


def test_a_unit_links_to_the_people_list_filtered_to_it(client_for, tree):
    content = client_for("admin").get(CHART).content.decode()
    assert f'href="{reverse("people:list")}?org_unit={tree["sales"].pk}"' in content


def test_a_node_with_children_loads_them_lazily_and_links_without_javascript(client_for, tree):
    content = client_for("admin").get(CHART).content.decode()
    sales = tree["sales"].pk
    assert f'hx-get="{CHART}?children={sales}" hx-trigger="toggle once"' in content
    assert f'href="{CHART}?unit={sales}">Open Sales’s 1 sub-unit</a>' in content
    # EMEA is not rendered until Sales is opened.
    assert "EMEA" not in content


def test_the_children_partial_answers_one_level_without_the_layout(client_for, tree):
    response = client_for("admin").get(CHART, {"children": tree["sales"].pk})
    assert response.status_code == 200
    assert next(t.name for t in response.templates) == "people/_org_items.html"
    assert _codes(response) == ["EMEA"]
    content = response.content.decode()
    assert "<html" not in content
    assert "EMEA" in content
    assert "1 person · 0 leaders" in content


def test_a_focused_unit_shows_breadcrumbs_and_its_children(client_for, tree):
    response = client_for("admin").get(CHART, {"unit": tree["emea"].pk})
    assert response.status_code == 200
    assert response.context["trail"] == [tree["hq"], tree["sales"]]
    assert _codes(response) == []
    content = response.content.decode()
    assert f'<a href="{CHART}?unit={tree["sales"].pk}">Sales</a>' in content
    assert "EMEA has no units below it." in content


def test_several_roots_are_listed_at_the_top(client_for, org, tree):
    OrgUnitFactory.create(organisation=org, code="OTHER", name="Another Root")
    response = client_for("admin").get(CHART)
    assert response.context["focus"] is None
    assert _codes(response) == ["OTHER", "HQ"]


def test_bad_unit_ids_are_404_not_errors(client_for, tree):
    client = client_for("admin")
    assert client.get(CHART, {"unit": "abc"}).status_code == 404
    assert client.get(CHART, {"children": "999999"}).status_code == 404


def test_a_wide_level_is_paged_with_a_show_more_link(client_for, org, tree):
    for i in range(105):
        OrgUnitFactory.create(
            organisation=org, code=f"T{i:03d}", name=f"Team {i:03d}", parent=tree["tech"]
        )
    client = client_for("admin")
    first = client.get(CHART, {"children": tree["tech"].pk})
    assert len(first.context["nodes"]) == 100
    more = f'hx-get="{CHART}?children={tree["tech"].pk}&amp;page=2"'
    assert more in first.content.decode()
    second = client.get(CHART, {"children": tree["tech"].pk, "page": 2})
    assert _codes(second) == [f"T{i:03d}" for i in range(100, 105)]


def test_the_chart_costs_the_same_queries_for_a_few_or_many_units(
    client_for, org, tree, django_assert_max_num_queries
):
    client = client_for("admin")
    client.get(CHART)  # the first request after sign-in also touches the session
    with CaptureQueriesContext(connection) as few:
        client.get(CHART, {"children": tree["hq"].pk})
    for i in range(30):
        child = OrgUnitFactory.create(organisation=org, code=f"N{i}", parent=tree["hq"])
        PersonFactory.create(organisation=org, org_unit=child, leader_level=LeaderLevel.OPERATIONAL)
        OrgUnitFactory.create(organisation=org, code=f"M{i}", parent=child)
    with django_assert_max_num_queries(12), CaptureQueriesContext(connection) as many:
        response = client.get(CHART, {"children": tree["hq"].pk})
    assert len(response.context["nodes"]) == 32
    assert len(many) == len(few)
