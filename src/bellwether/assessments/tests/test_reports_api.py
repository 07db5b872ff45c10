"""The readiness report API: a leader's report and the organisation aggregates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.assessments.tests.factories import make_cycle
from bellwether.assessments.tests.reporting import (
    make_person,
    others_with_one_report,
    rated,
    stored,
    uniform,
)
from bellwether.core.models import Organisation
from bellwether.people.models import OrgUnit, Person
from bellwether.testing.factories import OrgUnitFactory, api_client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/readiness"


@pytest.fixture
def api_for(members: dict[str, Membership]) -> Callable[[str], Client]:
    def make(role: str) -> Client:
        return api_client_for(members[role])

    return make


def test_a_leader_reads_their_report_with_small_groups_merged(
    api_for: Callable[[str], Client], org: Organisation, leader_person: Person
) -> None:
    rated(
        org,
        leader_person,
        self_answers=uniform(4),
        others=others_with_one_report(manager=uniform(3)),
    )
    response = api_for("leader").get(f"{BASE}/leaders/{leader_person.pk}/report")
    assert response.status_code == 200
    data = response.json()
    assert data["scored"] is True
    assert data["others_count"] == 5
    assert data["self_reported"] is False
    groups = {g["key"]: g for g in data["groups"]}
    assert set(groups) == {"self", "manager", "merged"}
    assert groups["merged"]["categories"] == ["peer", "direct_report"]
    assert groups["merged"]["n"] == 4
    item = data["items"][0]
    assert set(item["groups"]) == {"self", "manager", "merged"}
    assert item["groups"]["merged"] == pytest.approx(13 / 4, abs=0.01)
    assert "at least 3 raters" in data["band_rule"]
    assert {f["key"] for f in data["failure_modes"]} == {
        "failure.disengaged",
        "failure.fearful",
        "failure.uncritically_enthusiastic",
    }


def test_a_report_for_a_cycle_the_leader_was_not_in_is_404(
    api_for: Callable[[str], Client], org: Organisation, leader_person: Person
) -> None:
    rated(org, leader_person, self_answers=uniform(3))
    other = make_cycle(organisation=org)
    response = api_for("admin").get(
        f"{BASE}/leaders/{leader_person.pk}/report", {"cycle_id": other.pk}
    )
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_organisation_aggregates(
    api_for: Callable[[str], Client], org: Organisation, members: dict[str, Membership]
) -> None:
    now = timezone.now()
    first = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=100))
    second = make_cycle(
        organisation=org,
        opens_at=now - dt.timedelta(days=20),
        closes_at=now - dt.timedelta(days=1),
    )
    root = OrgUnitFactory(organisation=org, code="G", name="Group")
    units = {
        name: OrgUnitFactory(organisation=org, code=name, name=name, parent=root)
        for name in ("Sales", "Ops")
    }
    for name, n in (("Sales", 6), ("Ops", 2)):
        for _ in range(n):
            person = make_person(org, org_unit=units[name])
            stored(org, person, first, uniform(3))
            stored(org, person, second, uniform(4))
    client = api_for("sponsor")

    dist = client.get(f"{BASE}/organisation/distribution").json()
    assert dist["cycle_id"] == second.pk
    assert dist["scored"] == 8
    assert dist["share_at_or_above_70"] == 100.0

    heat = client.get(f"{BASE}/organisation/heatmap", {"cycle_id": first.pk}).json()
    assert heat["organisation"]["dimensions"]["knowledge"] == 15
    by_name = {u["name"]: u for u in heat["units"]}
    assert by_name["Ops"]["shown"] is False
    assert by_name["Ops"]["leaders"] is None
    assert by_name["Ops"]["dimensions"]["knowledge"] is None
    assert by_name["Sales"]["shown"] is False  # the organisation minus Sales is Ops
    assert by_name["Sales"]["reason"] == "difference"

    moves = client.get(f"{BASE}/organisation/transitions").json()
    assert (moves["from_cycle_id"], moves["to_cycle_id"]) == (first.pk, second.pk)
    assert moves["matrix"]["band.cautious"]["band.supporter"] == 8
    assert moves["up"] == 8

    share = client.get(f"{BASE}/organisation/share-70").json()
    assert share["leaders"] == 8
    assert share["percent"] == 100.0
    assert share["meets_target"] is True


def test_transitions_need_an_earlier_cycle(
    api_for: Callable[[str], Client], org: Organisation, unit: OrgUnit
) -> None:
    make_cycle(organisation=org)
    response = api_for("admin").get(f"{BASE}/organisation/transitions")
    assert response.status_code == 404
    assert "earlier cycle" in response.json()["error"]["message"]


def test_organisation_aggregates_are_refused_to_leaders_and_coaches(
    api_for: Callable[[str], Client], org: Organisation
) -> None:
    make_cycle(organisation=org)
    for role in ("leader", "coach", "reviewer"):
        assert api_for(role).get(f"{BASE}/organisation/heatmap").status_code == 403


def test_the_report_operations_are_in_the_openapi_document() -> None:
    from bellwether.api import api

    paths = api.get_openapi_schema()["paths"]
    for path in (
        "/api/v1/readiness/leaders/{person_id}/report",
        "/api/v1/readiness/organisation/distribution",
        "/api/v1/readiness/organisation/heatmap",
        "/api/v1/readiness/organisation/transitions",
        "/api/v1/readiness/organisation/share-70",
    ):
        assert "get" in paths[path]
    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert "ReportOut" in schemas
    assert "HeatmapOut" in schemas
