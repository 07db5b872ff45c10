"""The unit pickers: a type-ahead over a bounded, tenant-scoped unit search, and the
pages that filtered or filed by unit from a menu of every unit ship none."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.people.selectors import PICKER_RESULTS, unit_named
from bellwether.testing.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

SEARCH = reverse("people:unit_search")


@pytest.fixture
def units(org, other_org, unit) -> list:
    made = [
        OrgUnitFactory(organisation=org, parent=unit, code=f"OPS{i:02}", name=f"Operations {i:02}")
        for i in range(PICKER_RESULTS + 3)
    ]
    OrgUnitFactory(organisation=other_org, code="OPSX", name="Operations Elsewhere")
    return made


def test_the_search_answers_a_few_units_of_the_members_organisation(client_for, units) -> None:
    answer = client_for("admin").get(SEARCH, {"q": "operations"}).json()
    assert len(answer["results"]) == PICKER_RESULTS
    assert answer["more"] is True
    first = answer["results"][0]
    assert first == {"value": "OPS00", "name": "Operations 00", "detail": "Headquarters"}
    assert all("Elsewhere" not in row["name"] for row in answer["results"])
    assert client_for("sponsor").get(SEARCH, {"q": "ops 01"}).json()["results"][0]["value"] == (
        "OPS01"
    )
    assert client_for("admin").get(SEARCH, {"q": "o"}).json() == {"results": [], "more": False}


@pytest.mark.parametrize("role", ["leader", "coach", "reviewer"])
def test_the_search_is_refused_to_who_may_not_see_the_org_structure(client_for, role) -> None:
    assert client_for(role).get(SEARCH, {"q": "head"}).status_code == 403


def test_a_unit_is_named_by_its_id_or_code_in_its_organisation_only(org, other_org, units) -> None:
    assert unit_named(org, "ops03") == units[3]
    assert unit_named(org, str(units[4].pk)) == units[4]
    assert unit_named(org, "OPSX") is None
    assert unit_named(other_org, str(units[4].pk)) is None
    assert unit_named(org, "") is None


@pytest.mark.parametrize(
    "url", ["insights:dashboard", "influence:home", "succession:home"], ids=str
)
def test_the_pages_ship_a_picker_not_every_unit(client_for, units, url) -> None:
    body = client_for("admin").get(reverse(url)).content.decode()
    assert 'data-search-url="/people/units/search/"' in body
    assert "Operations 07" not in body


def test_the_dashboard_filters_by_the_code_a_picker_submits(client_for, units) -> None:
    response = client_for("admin").get(reverse("insights:dashboard"), {"unit": "OPS02"})
    assert response.status_code == 200
    assert response.context["filters"].scope.unit == units[2]
    assert 'value="OPS02"' in response.content.decode()
    refused = client_for("admin").get(reverse("insights:dashboard"), {"unit": "NOPE"})
    assert refused.status_code == 400
