"""The organisation view by subtree: a unit's figures include every leader below it (a
3-level tree proves a root's figure includes its grandchildren's check-ins), drilling
down from a unit to its child units, the unit filter taking the whole subtree, a fixed
number of queries, and the page, the API and the export agreeing."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any, cast

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bellwether.behaviours import consistency, selectors, services
from bellwether.core.models import AuditEvent, Organisation
from bellwether.people.models import LeaderLevel, OrgUnit, Person
from bellwether.testing.factories import OrgUnitFactory, PersonFactory, api_client_for

pytestmark = pytest.mark.django_db

DAILY = [k for k in consistency.KEYS if k.startswith("behaviour.daily.")]


def _person(**fields: Any) -> Person:
    return cast(Person, PersonFactory(**fields))


def _unit(**fields: Any) -> OrgUnit:
    return cast(OrgUnit, OrgUnitFactory(**fields))


@pytest.fixture
def tree(org: Organisation) -> dict[str, Any]:
    """Group > Division > Team; one leader in Group, one in Division, two in Team (only
    the Team's leaders check in), and a non-leader in Team who is never counted."""
    group = _unit(organisation=org, code="GRP", name="Group")
    division = _unit(organisation=org, code="DIV", name="Division", parent=group)
    team = _unit(organisation=org, code="TEAM", name="Team", parent=division)
    OrgUnitFactory(organisation=org, code="EMPTY", name="Empty", parent=group)

    def leader(code: str, unit: OrgUnit) -> Person:
        return _person(
            organisation=org, employee_id=code, org_unit=unit, leader_level=LeaderLevel.SENIOR
        )

    people: dict[str, Any] = {
        "group_leader": leader("G1", group),
        "division_leader": leader("D1", division),
        "team_leaders": [leader("T1", team), leader("T2", team)],
    }
    _person(organisation=org, employee_id="T3", org_unit=team)  # not a leader
    today = services.today_for(org)
    for person in people["team_leaders"]:
        for back in range(10):
            day = today - dt.timedelta(days=back)
            services.record_check_in(
                person=person, day=day, behaviours=DAILY, actor=None, today=day
            )
    return {**people, "group": group, "division": division, "team": team, "today": today}


def _rows(view: selectors.OrganisationView) -> dict[str, selectors.GroupRow]:
    return {r.key: r for r in view.by_unit}


def test_a_units_figure_includes_its_grandchildren(org: Organisation, tree: dict) -> None:
    whole = selectors.organisation_consistency(org, tree["today"])
    group = _rows(whole)[str(tree["group"].pk)]
    assert group.unit_id == tree["group"].pk
    assert group.leaders == 4  # Group, Division and the Team's two
    assert group.total > 0  # only the Team's (grandchildren's) leaders checked in
    assert group.demonstrating == 2
    team_scores = selectors.consistency_for(
        organisation=org, person_ids=[p.pk for p in tree["team_leaders"]], as_of=tree["today"]
    )
    assert group.total == pytest.approx(sum(team_scores.values()))
    # Rows add up to the whole: the fixture's HQ leaders form their own top-level row.
    assert sum(r.leaders for r in whole.by_unit) == whole.overall.leaders


def test_drilling_down_shows_the_units_right_below_each_with_its_subtree(
    org: Organisation, tree: dict
) -> None:
    group, division, team = tree["group"], tree["division"], tree["team"]
    at_group = selectors.organisation_consistency(org, tree["today"], unit=group)
    assert at_group.overall.leaders == 4
    assert at_group.overall.demonstrating == 2
    rows = _rows(at_group)
    assert set(rows) == {str(division.pk), selectors.DIRECT_KEY}  # "Empty" has no leader
    assert rows[str(division.pk)].leaders == 3
    assert rows[str(division.pk)].demonstrating == 2
    assert rows[selectors.DIRECT_KEY].leaders == 1
    assert rows[selectors.DIRECT_KEY].label == "Group (directly)"
    assert rows[selectors.DIRECT_KEY].unit_id is None
    at_division = selectors.organisation_consistency(org, tree["today"], unit=division)
    assert {k: r.leaders for k, r in _rows(at_division).items()} == {
        str(team.pk): 2,
        selectors.DIRECT_KEY: 1,
    }
    at_team = selectors.organisation_consistency(org, tree["today"], unit=team)
    assert at_team.overall.leaders == 2
    assert [r.key for r in at_team.by_unit] == [selectors.DIRECT_KEY]
    assert at_team.overall.total == pytest.approx(at_group.overall.total)
    assert sum(r.leaders for r in at_team.by_level) == 2


def test_the_view_takes_three_queries_at_any_level(org: Organisation, tree: dict) -> None:
    for unit in (None, tree["group"], tree["team"]):
        with CaptureQueriesContext(connection) as queries:
            selectors.organisation_consistency(org, tree["today"], unit=unit)
        assert len(queries) == 3, unit


def _page_rows(text: str) -> dict[str, str]:
    """The unit table's rows as unit key → the row's HTML."""
    out = {}
    for chunk in text.split('data-testid="unit-')[1:]:
        key, rest = chunk.split('"', 1)
        out[key] = rest.split("</tr>", 1)[0]
    return out


def test_the_page_the_api_and_the_export_agree(
    org: Organisation, tree: dict, members: dict, client_for: Any
) -> None:
    group = tree["group"]
    api = api_client_for(members["admin"]).get(f"/api/v1/behaviours/organisation?unit={group.pk}")
    assert api.status_code == 200
    body = api.json()
    assert body["unit_id"] == group.pk
    assert body["overall"]["leaders"] == 4
    by_key = {r["key"]: r for r in body["by_unit"]}
    division = by_key[str(tree["division"].pk)]
    assert division["unit_id"] == tree["division"].pk
    assert division["leaders"] == 3

    client = client_for("admin")
    url = reverse("behaviours:organisation")
    page = client.get(url, {"unit": group.pk}).content.decode()
    rows = _page_rows(page)
    assert set(rows) == set(by_key)
    assert f'<a href="?unit={tree["division"].pk}">Division</a>' in rows[str(tree["division"].pk)]
    for key, row in by_key.items():
        assert f"<td>{row['leaders']}</td>" in rows[key]
        assert f"<td>{round(row['mean'])}</td>" in rows[key]
    assert ">Group</strong>" in page  # the trail back up
    assert f'<option value="{group.pk}" selected>Group</option>' in page  # the unit filter

    exported = client.get(url, {"unit": group.pk, "format": "csv"})
    assert exported.status_code == 200
    table = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    units = {r[1]: r for r in table[1:] if r[0] == "unit"}
    assert set(units) == set(by_key)
    for key, row in by_key.items():
        assert int(units[key][3]) == row["leaders"]
        assert float(units[key][4]) == round(row["mean"], 1)
        assert int(units[key][5]) == row["demonstrating"]
    overall = next(r for r in table[1:] if r[0] == "overall")
    assert int(overall[3]) == body["overall"]["leaders"]
    assert AuditEvent.objects.filter(action="behaviours.organisation_exported").count() == 1


def test_an_unknown_or_foreign_unit_is_refused_with_a_message(
    org: Organisation, other_org: Organisation, tree: dict, members: dict, client_for: Any
) -> None:
    foreign = _unit(organisation=other_org, code="X", name="Elsewhere")
    api = api_client_for(members["admin"])
    for value in (foreign.pk, 999999):
        answer = api.get(f"/api/v1/behaviours/organisation?unit={value}")
        assert answer.status_code == 400
        assert answer.json()["error"]["message"] == selectors.UNKNOWN_UNIT
    page = client_for("admin").get(reverse("behaviours:organisation"), {"unit": foreign.pk})
    text = page.content.decode()
    assert selectors.UNKNOWN_UNIT in text
    assert "Elsewhere" not in text
    assert selectors.unit_in(org, "x") is None
    assert selectors.unit_in(org, "9" * 40) is None


def test_the_page_drills_down_in_a_fixed_number_of_queries(
    org: Organisation, tree: dict, client_for: Any
) -> None:
    client = client_for("admin")
    url = reverse("behaviours:organisation")
    client.get(url)  # sessions, caches
    counts = []
    for unit in (tree["group"], tree["team"]):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, {"unit": unit.pk}).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
