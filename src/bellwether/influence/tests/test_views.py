"""The influence pages for each role: what they show, what they let through, and how many
queries they take."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse

from bellwether.influence.models import (
    InfluenceProfile,
    PlannerRun,
    ProfileRevision,
    RunStatus,
    Tie,
)
from bellwether.influence.tests.factories import analyse, make_profile, make_tie
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import OrgUnitFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def network(org, unit, leader_person, coachee):
    """30 more leaders in two units, in a chain of ties, with profiles and bands."""
    from bellwether.assessments.tests.factories import make_cycle, record_result

    sales = OrgUnitFactory(organisation=org, code="SALES", name="Sales", parent=unit)
    cycle = make_cycle(organisation=org)
    people = []
    for i in range(30):
        person = PersonFactory(
            organisation=org,
            employee_id=f"N{i:03d}",
            name=f"Net Leader {i:02d}",
            org_unit=sales if i % 2 else unit,
            leader_level=LeaderLevel.OPERATIONAL if i % 3 else LeaderLevel.SENIOR,
        )
        make_profile(organisation=org, person=person, peer_respect=("high", "medium", "low")[i % 3])
        record_result(organisation=org, person=person, total=40 + i * 2, cycle=cycle)
        people.append(person)
    for a, b in itertools.pairwise(people):
        make_tie(organisation=org, source=a, target=b, strength=1 + a.pk % 3)
    return {"people": people, "sales": sales}


def test_network_page_ships_no_elements_and_lists_communities(
    client_for, network, django_assert_max_num_queries
):
    analyse(network["people"][0].organisation)
    client = client_for("admin")
    with django_assert_max_num_queries(20):
        response = client.get(reverse("influence:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "network-data" not in content  # drawn from the JSON endpoint
    assert reverse("influence:network_data") in content
    assert "Community 1" in content
    assert b"Recompute" in response.content


def test_network_slices_filter_by_unit_level_and_search(
    client_for, network, django_assert_max_num_queries
):
    analyse(network["people"][0].organisation)
    client = client_for("admin")
    url = reverse("influence:network_data")
    with django_assert_max_num_queries(16):
        elements = client.get(url).json()
    assert elements["mode"] == "leaders"
    assert len(elements["nodes"]) == 32
    assert elements["layout"] == "cose"
    assert any(edge["data"]["kind"] == "reporting_line" for edge in elements["edges"])
    node = next(n for n in elements["nodes"] if n["data"]["label"] == "Net Leader 29")
    assert node["data"]["band"] == "Champion"  # 40 + 2 × 29 = 98
    assert node["data"]["community"] >= 0
    assert node["data"]["url"] == reverse("people:detail", args=[network["people"][29].pk])
    with django_assert_max_num_queries(16):
        by_unit = client.get(url, {"unit": network["sales"].pk}).json()
    assert {n["data"]["unit"] for n in by_unit["nodes"]} == {"Sales"}
    assert len(by_unit["nodes"]) == 15
    senior = client.get(url, {"level": "senior"}).json()
    assert len(senior["nodes"]) == 11  # 10 of the 30, and Lena Leader
    ids = {n["data"]["id"] for n in senior["nodes"]}
    assert all(e["data"]["source"] in ids and e["data"]["target"] in ids for e in senior["edges"])
    found = client.get(url, {"q": "Net Leader 07"}).json()
    matches = [n["data"]["label"] for n in found["nodes"] if n["data"]["match"]]
    assert matches == ["Net Leader 07"]
    # Its neighbours in the chain of ties come along.
    assert {"Net Leader 06", "Net Leader 08"} <= {n["data"]["label"] for n in found["nodes"]}
    first = client.get(url, {"community": 1}).json()
    assert first["nodes"]
    assert {n["data"]["community"] for n in first["nodes"]} == {0}


def test_network_slice_refuses_bad_input_and_other_roles(client_for, network, other_org):
    analyse(network["people"][0].organisation)
    url = reverse("influence:network_data")
    client = client_for("admin")
    bad = client.get(url, {"community": "x"})
    assert bad.status_code == 400
    assert "community" in bad.json()["error"]["fields"]
    foreign = OrgUnitFactory(organisation=other_org, code="FOREIGN", name="Foreign")
    assert client.get(url, {"unit": foreign.pk}).status_code == 404
    assert client.get(url, {"community": 999}).status_code == 404
    for role in ("leader", "coach", "reviewer"):
        assert client_for(role).get(url).status_code == 403, role
    assert client_for("sponsor").get(url).status_code == 200


def test_large_map_opens_on_its_communities(client_for, network, monkeypatch):
    from bellwether.influence import selectors_network

    analyse(network["people"][0].organisation)
    monkeypatch.setattr(selectors_network, "MAX_SLICE", 10)
    data = client_for("admin").get(reverse("influence:network_data")).json()
    assert data["mode"] == "communities"
    assert all(n["data"]["kind"] == "community" for n in data["nodes"])
    paged = client_for("admin").get(reverse("influence:network_data"), {"level": "operational"})
    body = paged.json()
    assert len(body["nodes"]) == 10
    assert body["count"] > 10
    assert body["pages"] == -(-body["count"] // 10)


def test_sponsor_sees_the_map_but_no_edit_controls(client_for, network):
    response = client_for("sponsor").get(reverse("influence:home"))
    assert response.status_code == 200
    assert b"Recompute" not in response.content
    assert b"Add a tie" not in response.content
    assert client_for("sponsor").post(reverse("influence:recompute")).status_code == 403


def test_recompute_queues_the_analytics(client_for, network, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("admin").post(reverse("influence:recompute"))
    assert response.status_code == 302
    page = client_for("admin").get(reverse("influence:home"))
    assert b"Analytics computed" in page.content
    assert b"The network has changed since" not in page.content


def test_grid_and_messengers(client_for, network, django_assert_max_num_queries):
    analyse(network["people"][0].organisation)
    client = client_for("sponsor")
    # The first view also reads and keeps the version stamp (two more queries).
    with django_assert_max_num_queries(17):
        grid = client.get(reverse("influence:grid"))
    assert grid.status_code == 200
    assert b"Convert first" in grid.content
    assert b"grid-data" in grid.content
    with django_assert_max_num_queries(15):
        messengers = client.get(reverse("influence:messengers"))
    assert messengers.status_code == 200
    assert b"Best messengers" in messengers.content


def test_admin_adds_changes_and_removes_a_tie(client_for, leader_person, coachee, network):
    client = client_for("admin")
    a, b = network["people"][0], network["people"][5]
    response = client.post(
        reverse("influence:ties"),
        {"source": a.email, "target": b.email, "strength": 3, "note": "mentor"},
    )
    assert response.status_code == 302
    tie = Tie.objects.get(source=a, target=b)
    assert tie.strength == 3
    refused = client.post(
        reverse("influence:ties"), {"source": a.email, "target": a.email, "strength": 2}
    )
    assert refused.status_code == 200
    assert "cannot influence themselves" in refused.content.decode()
    edit = reverse("influence:tie_edit", args=[tie.pk])
    assert client.post(edit, {"strength": 1, "note": ""}).status_code == 302
    tie.refresh_from_db()
    assert tie.strength == 1
    assert (
        client.post(edit, {"action": "delete", "strength": 1, "confirmed": "yes"}).status_code
        == 302
    )
    assert not Tie.objects.filter(pk=tie.pk).exists()


def test_sponsor_may_not_add_ties(client_for, network):
    a, b = network["people"][0], network["people"][5]
    response = client_for("sponsor").post(
        reverse("influence:ties"), {"source": a.email, "target": b.email, "strength": 3}
    )
    assert response.status_code == 403
    assert not Tie.objects.filter(source=a, target=b).exists()


def test_tie_list_query_count(client_for, network, django_assert_max_num_queries):
    client = client_for("admin")
    client.get(reverse("influence:ties"))  # the first request of a session sets it up
    with django_assert_max_num_queries(10):
        response = client.get(reverse("influence:ties"))
    assert response.status_code == 200
    assert response.content.count(b"Change</a>") == 29


def test_import_page_reports_lines_and_imports_nothing_on_error(client_for, network):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for("admin")
    bad = SimpleUploadedFile("ties.csv", b"source,target,strength\nN000,N002,3\nN000,ZZZ,9\n")
    response = client.post(reverse("influence:import"), {"file": bad})
    text = response.content.decode()
    assert "Nothing was imported" in text
    assert "matches nobody in the organisation" in text
    assert "Strength must be 1, 2 or 3; found 9." in text
    assert not Tie.objects.filter(source=network["people"][0], target=network["people"][2]).exists()
    good = SimpleUploadedFile("ties.csv", b"source,target,strength\nN000,N002,3\n")
    response = client.post(reverse("influence:import"), {"file": good})
    assert "1 new tie" in response.content.decode()
    assert Tie.objects.filter(source=network["people"][0], target=network["people"][2]).exists()


def test_planner_runs_in_the_worker_and_shows_picks(
    client_for, network, django_capture_on_commit_callbacks
):
    client = client_for("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("influence:planner"), {"k": 3})
    run = PlannerRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("influence:planner_run", args=[run.pk])
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    page = client.get(reverse("influence:planner_run", args=[run.pk])).content.decode()
    assert "Engage these 3 leaders first" in page
    assert "What the planner assumes" in page
    assert "Marginal gain" in page
    assert "Leaders not yet assessed are treated as Cautious" in page
    assert (
        "Engage these 3 leaders first" in client.get(reverse("influence:planner")).content.decode()
    )


def test_a_waiting_plan_says_so(client_for, org):
    run = PlannerRun.objects.create(organisation=org, version="x", k=2)
    page = client_for("admin").get(reverse("influence:planner_run", args=[run.pk]))
    assert b"The worker is computing this plan" in page.content
    assert b"influence/poll.js" in page.content


def test_sponsor_may_not_run_the_planner(client_for, network):
    assert client_for("sponsor").post(reverse("influence:planner"), {"k": 3}).status_code == 403
    assert not PlannerRun.objects.exists()


def test_coach_edits_a_coachees_profile_and_the_history_shows_it(client_for, coachee):
    client = client_for("coach")
    url = reverse("influence:profile", args=[coachee.pk])
    response = client.post(url, {"peer_respect": "high", "motivated_by": "Customer outcomes"})
    assert response.status_code == 302
    profile = InfluenceProfile.objects.get(person=coachee)
    assert profile.peer_respect == "high"
    page = client.get(url).content.decode()
    assert "coach@acme.test" in page
    assert "Peer Respect: — → high" in page
    assert ProfileRevision.objects.count() == 1


def test_sponsor_reads_a_profile_but_may_not_change_it(client_for, coachee):
    url = reverse("influence:profile", args=[coachee.pk])
    client = client_for("sponsor")
    page = client.get(url)
    assert page.status_code == 200
    assert b"Save profile" not in page.content
    assert client.post(url, {"peer_respect": "high"}).status_code == 403
    assert not InfluenceProfile.objects.exists()


def test_a_non_leader_has_no_profile_page(client_for, bystander):
    assert (
        client_for("admin").get(reverse("influence:profile", args=[bystander.pk])).status_code
        == 404
    )


def test_influence_panel_on_the_person_page(client_for, coachee, leader_person, org):
    from bellwether.assessments.tests.factories import record_result

    make_profile(
        organisation=org,
        person=coachee,
        peer_respect="high",
        formal_authority="high",
        informal_influence="high",
    )
    record_result(organisation=org, person=coachee, total=45)
    champion = PersonFactory(
        organisation=org, employee_id="CH1", name="Cleo Champion", leader_level=LeaderLevel.SENIOR
    )
    record_result(organisation=org, person=champion, total=90)
    make_tie(organisation=org, source=champion, target=coachee, strength=3)
    analyse(org)
    url = reverse("people:detail", args=[coachee.pk])
    for role in ("admin", "sponsor", "coach"):
        page = client_for(role).get(url).content.decode()
        assert "Influence index" in page, role
        assert "Convert first" in page
        assert "Cleo Champion: influences Colin Coachee directly, strength 3" in page
        assert "Lena Leader (2)" in page  # the reporting line
    reviewer_page = client_for("reviewer").get(url).content.decode()
    assert "Influence index" not in reviewer_page
