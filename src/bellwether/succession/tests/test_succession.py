"""Pathways as plan items, the succession slate (successors of this organisation only,
pipeline depth), the learnings log, and who may see what."""

from __future__ import annotations

from typing import cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.core.errors import DomainError
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import OrgUnit, Person
from bellwether.succession import selectors, services
from bellwether.succession.models import CriticalPosition, Learning, PathwayPlacement, Successor
from bellwether.testing.factories import OrgUnitFactory, PersonFactory, api_client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def position(org, unit, leader_person) -> CriticalPosition:
    return services.add_position(
        organisation=org, title="COO", org_unit=unit, incumbent=leader_person, actor=None
    )


def test_a_pathway_brings_its_capabilities_year_two_focus_and_ongoing_learning(coachee) -> None:
    placement = services.place_on_pathway(person=coachee, pathway="pathway.innovation", actor=None)
    items = [(i.kind, i.text) for i in selectors.items_of(placement)]
    development = CATALOGUE.continuous_development
    assert items[:4] == [
        ("plan_item.capability", text) for text in CATALOGUE.development_pathways[0].focus
    ]
    assert [t for k, t in items if k == "plan_item.year_two"] == list(development.year_two_focus)
    assert [t for k, t in items if k == "plan_item.ongoing"] == list(development.ongoing_learning)
    # Moving to another pathway replaces the plan.
    services.place_on_pathway(person=coachee, pathway="pathway.strategy", actor=None)
    assert PathwayPlacement.objects.get(person=coachee).pathway == "pathway.strategy"


@pytest.mark.parametrize("pathway", ["", "pathway.nope"])
def test_an_unknown_pathway_is_refused(coachee, pathway) -> None:
    with pytest.raises(DomainError, match="three pathways"):
        services.place_on_pathway(person=coachee, pathway=pathway, actor=None)
    assert not PathwayPlacement.objects.exists()


def test_a_successor_from_another_organisation_is_refused(position, other_org) -> None:
    stranger = cast(Person, PersonFactory(organisation=other_org, employee_id="G1", name="Gil"))
    with pytest.raises(DomainError, match="this organisation"):
        services.name_successor(
            position=position,
            person=stranger,
            readiness="succession.ready_now",
            high_potential=False,
            actor=None,
        )
    assert not Successor.objects.exists()


def test_the_api_refuses_a_successor_of_another_organisation(position, other_org, members) -> None:
    stranger = cast(Person, PersonFactory(organisation=other_org, employee_id="G1", name="Gil"))
    answer = api_client_for(members["admin"]).post(
        f"/api/v1/succession/positions/{position.pk}/successors",
        {"person_id": stranger.pk, "readiness": "succession.ready_now"},
        "application/json",
    )
    assert answer.status_code == 400
    assert "from this organisation" in answer.json()["error"]["message"]
    assert not Successor.objects.exists()


@pytest.mark.parametrize("readiness", ["", "soon", "succession.someday"])
def test_an_unknown_readiness_is_refused(position, coachee, readiness) -> None:
    with pytest.raises(DomainError, match="readiness"):
        services.name_successor(
            position=position, person=coachee, readiness=readiness, high_potential=False, actor=None
        )
    assert not Successor.objects.exists()


def test_pipeline_depth_per_position_and_unit(org, unit, position, coachee, bystander) -> None:
    services.add_position(organisation=org, title="CFO", org_unit=unit, incumbent=None, actor=None)
    services.name_successor(
        position=position,
        person=coachee,
        readiness="succession.ready_now",
        high_potential=True,
        actor=None,
    )
    services.name_successor(
        position=position,
        person=bystander,
        readiness="succession.three_plus_years",
        high_potential=False,
        actor=None,
    )
    slate = {
        p.title: (p.depth, p.ready_now, p.high_potential)  # type: ignore[attr-defined]
        for p in selectors.slate(org)
    }
    assert slate == {"COO": (2, 1, 1), "CFO": (0, 0, 0)}
    [row] = selectors.depth_by_unit(org)
    assert (row.unit, row.positions, row.successors, row.ready_now, row.uncovered) == (
        "Headquarters",
        2,
        2,
        1,
        1,
    )


def test_the_slate_page_takes_the_same_queries_for_more_positions(org, unit, client_for) -> None:
    admin = client_for("admin")
    url = reverse("succession:home")
    admin.get(url)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin.get(url).status_code == 200
        return len(captured.captured_queries)

    before = count()
    for n in range(5):
        services.add_position(
            organisation=org, title=f"Role {n}", org_unit=unit, incumbent=None, actor=None
        )
    assert count() == before


def test_learnings_are_tagged_and_searchable(org, unit, members) -> None:
    services.record_learning(
        organisation=org,
        kind="learning.best_practice",
        title="Start with a two-week pilot",
        body="Small pilots built trust with the finance team.",
        phase="phase.development",
        initiative=None,
        org_unit=unit,
        actor=None,
    )
    services.record_learning(
        organisation=org,
        kind="learning.learning",
        title="Vision first",
        body="Alignment workshops saved months.",
        phase="phase.vision",
        initiative=None,
        org_unit=None,
        actor=None,
    )
    assert [r.title for r in selectors.learnings(org, query="finance pilots")] == [
        "Start with a two-week pilot"
    ]
    assert [r.title for r in selectors.learnings(org, phase="phase.vision")] == ["Vision first"]
    assert [r.title for r in selectors.learnings(org, unit_id=unit.pk)] == [
        "Start with a two-week pilot"
    ]
    answer = api_client_for(members["leader"]).get("/api/v1/succession/learnings?q=workshops")
    assert [r["title"] for r in answer.json()] == ["Vision first"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "learning.x"}, "learning or a best practice"),
        ({"title": " "}, "Write the title"),
        ({"body": ""}, "Write the learning"),
        ({"phase": "phase.nine"}, "four phases"),
    ],
)
def test_a_bad_learning_is_refused_and_nothing_is_saved(org, fields, message) -> None:
    values = {"kind": "learning.learning", "title": "T", "body": "B", "phase": ""} | fields
    with pytest.raises(DomainError, match=message):
        services.record_learning(
            organisation=org, initiative=None, org_unit=None, actor=None, **values
        )
    assert not Learning.objects.exists()


def test_a_learning_tagged_with_another_organisations_unit_is_refused(org, other_org) -> None:
    foreign = cast(OrgUnit, OrgUnitFactory(organisation=other_org, code="G", name="Globex HQ"))
    with pytest.raises(DomainError, match="this organisation"):
        services.record_learning(
            organisation=org,
            kind="learning.learning",
            title="T",
            body="B",
            phase="",
            initiative=None,
            org_unit=foreign,
            actor=None,
        )
    assert not Learning.objects.exists()


def test_the_succession_nav_item_is_shown_to_admins_and_sponsors_only(client_for) -> None:
    for role, shown in (("admin", True), ("sponsor", True), ("leader", False), ("coach", False)):
        page = client_for(role).get(reverse("core:home")).content.decode()
        assert ('href="/succession/"' in page) is shown, role


def test_successors_and_positions_pick_leaders_by_e_mail_not_from_a_list(
    org, position, coachee, client_for
) -> None:
    for i in range(4):
        PersonFactory(organisation=org, name=f"Listed Leader {i}", leader_level="senior")
    client = client_for("admin")
    page = client.get(reverse("succession:position", args=[position.pk])).content.decode()
    assert "Listed Leader" not in page
    assert 'data-person-picker="one"' in page
    readiness = "succession.ready_now"
    add = reverse("succession:successor_add", args=[position.pk])
    refused = client.post(add, {"person": "nobody@x.example", "readiness": readiness}, follow=True)
    assert (
        "Nobody who can be chosen here has the e-mail or employee ID “nobody@x.example”"
        in refused.content.decode()
    )
    assert not Successor.objects.exists()
    new = client.post(
        reverse("succession:position_new"), {"title": "CRO", "incumbent": coachee.email}
    )
    assert CriticalPosition.objects.get(title="CRO").incumbent == coachee
    assert new.status_code == 302
    vacant = client.post(reverse("succession:position_new"), {"title": "CDO", "incumbent": ""})
    assert vacant.status_code == 302
    assert CriticalPosition.objects.get(title="CDO").incumbent is None
