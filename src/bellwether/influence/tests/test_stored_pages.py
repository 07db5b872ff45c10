"""The pages read the stored analysis: every list opens in full (paged), communities
show, the version stamp is cheap, and a stale or missing result is said and queued."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.influence import selectors, selectors_analysis, services, services_runs
from bellwether.influence.models import AnalysisRun, Community, LeaderFigures, RunStatus
from bellwether.influence.tests.factories import analyse, make_profile, make_tie
from bellwether.people.models import LeaderLevel
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(org, unit):
    """60 unassessed leaders (outside the grid) in two chains of ties, and 25 Skeptics
    each influenced by one Champion."""
    from bellwether.assessments.tests.factories import make_cycle, record_result

    people = [
        PersonFactory(
            organisation=org,
            employee_id=f"CR{i:03d}",
            name=f"Crowd {i:02d}",
            org_unit=unit,
            leader_level=LeaderLevel.OPERATIONAL,
        )
        for i in range(60)
    ]
    for i in range(59):
        if i != 29:
            make_tie(organisation=org, source=people[i], target=people[i + 1])
    cycle = make_cycle(organisation=org)
    champion = PersonFactory(
        organisation=org, employee_id="CHAMP1", name="Cleo Champion", leader_level="senior"
    )
    make_profile(organisation=org, person=champion, peer_respect="high")
    record_result(organisation=org, person=champion, total=95, cycle=cycle)
    skeptics = []
    for i in range(55):
        person = PersonFactory(
            organisation=org,
            employee_id=f"SK{i:03d}",
            name=f"Skeptic {i:02d}",
            org_unit=unit,
            leader_level=LeaderLevel.OPERATIONAL,
        )
        record_result(organisation=org, person=person, total=45, cycle=cycle)
        make_tie(organisation=org, source=champion, target=person, strength=3)
        skeptics.append(person)
    return {"people": people, "skeptics": skeptics, "run": analyse(org)}


def test_the_worker_stores_rows_and_progress(org, crowd):
    run = crowd["run"]
    assert run.status == RunStatus.DONE
    assert run.progress == 100
    assert "leaders" not in run.results  # the rows hold them
    assert LeaderFigures.objects.filter(run=run).count() == selectors.leaders(org).count()
    rows = list(Community.objects.filter(run=run))
    assert rows
    assert sum(row.size for row in rows) == selectors.leaders(org).count()
    assert [row.number for row in rows] == list(range(len(rows)))
    assert all(len(row.central) <= services_runs.CENTRAL_PER_COMMUNITY for row in rows)
    skeptic = selectors.figures_of(run, crowd["skeptics"][0].pk)
    assert skeptic.messengers[0]["name"] == "Cleo Champion"


def test_grid_lists_open_in_full_paged(client_for, crowd, django_assert_max_num_queries):
    client = client_for("sponsor")
    with django_assert_max_num_queries(16):
        grid = client.get(reverse("influence:grid")).content.decode()
    not_assessed = selectors.quadrant_counts(crowd["run"])[selectors.NOT_ASSESSED]
    assert not_assessed >= 60
    assert f"Show all {not_assessed}" in grid
    assert "Show all 55" in grid  # develop: Skeptics with no influence index
    assert "and 45 more" not in grid
    url = reverse("influence:grid_quadrant", args=[selectors.NOT_ASSESSED])
    with django_assert_max_num_queries(16):
        first = client.get(url)
    assert first.status_code == 200
    assert f"Page 1 of 2 ({not_assessed} in all)" in first.content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    names = {f"Crowd {i:02d}" for i in range(60)}
    seen = {name for name in names if name in first.content.decode() or name in second}
    assert seen == names
    develop = client.get(reverse("influence:grid_quadrant", args=["develop"]), {"q": "Skeptic 07"})
    assert "Skeptic 07" in develop.content.decode()
    assert "Skeptic 08" not in develop.content.decode()
    assert client.get(reverse("influence:grid_quadrant", args=["nowhere"])).status_code == 404
    assert client_for("leader").get(url).status_code == 403


def test_messengers_are_paged_and_searchable(client_for, crowd, django_assert_max_num_queries):
    client = client_for("admin")
    with django_assert_max_num_queries(16):
        page = client.get(reverse("influence:messengers")).content.decode()
    assert "Page 1 of 2 (55 in all)" in page
    assert "Cleo Champion" in page
    found = client.get(reverse("influence:messengers"), {"q": "Skeptic 54"}).content.decode()
    assert "Skeptic 54" in found
    assert "Skeptic 53" not in found


def test_communities_list_and_page(client_for, crowd, django_assert_max_num_queries):
    client = client_for("sponsor")
    home = client.get(reverse("influence:home")).content.decode()
    assert "Communities" in home
    assert "Community 1" in home
    central = Community.objects.get(run=crowd["run"], number=0).central
    first = selectors.names_of(crowd["run"].organisation, {central[0]})[central[0]]
    assert first in home  # the most central of the largest community
    with django_assert_max_num_queries(16):
        detail = client.get(reverse("influence:community", args=[1]))
    assert detail.status_code == 200
    assert "Members, most central first" in detail.content.decode()
    assert client.get(reverse("influence:community", args=[999])).status_code == 404
    assert client_for("leader").get(reverse("influence:community", args=[1])).status_code == 403


def test_a_stale_result_is_shown_with_its_date_and_a_run_queued(
    client_for, crowd, org, django_capture_on_commit_callbacks
):
    people = crowd["people"]
    make_tie(organisation=org, source=people[0], target=people[5])
    with django_capture_on_commit_callbacks() as callbacks:
        page = client_for("sponsor").get(reverse("influence:messengers")).content.decode()
    assert "The network has changed since: this is the last result" in page
    assert "a recompute has been queued" in page
    assert "Cleo Champion" in page  # the last result, still shown
    assert len(callbacks) == 1
    queued = AnalysisRun.objects.filter(organisation=org, status=RunStatus.PENDING).get()
    assert queued.version == selectors.network_version(org)
    # The next page view finds it waiting and queues nothing more.
    with django_capture_on_commit_callbacks() as again:
        later = client_for("sponsor").get(reverse("influence:grid")).content.decode()
    assert "the worker is recomputing (0%" in later
    assert again == []


def test_version_stamp_moves_with_each_input_and_is_one_query(
    org, crowd, django_assert_num_queries
):
    with django_assert_num_queries(1):
        before = selectors.network_version(org)
    assert before == crowd["run"].version
    person = crowd["people"][3]
    person.title = "Head of things"
    person.save()
    assert selectors.network_version(org) != before


def test_pages_read_a_kept_stamp_that_services_clear(org, crowd, django_assert_num_queries):
    first = selectors.current_version(org)
    with django_assert_num_queries(1):
        assert selectors.current_version(org) == first
    # A tie added directly (no service) shows once the stamp is older than its TTL...
    make_tie(organisation=org, source=crowd["people"][0], target=crowd["people"][9])
    assert selectors.current_version(org) == first
    from bellwether.influence.models import VersionStamp

    VersionStamp.objects.filter(organisation=org).update(
        checked_at=VersionStamp.objects.get(organisation=org).checked_at
        - selectors_analysis.STAMP_TTL
    )
    second = selectors.current_version(org)
    assert second != first
    # ... one added by the service at once.
    services.add_tie(
        organisation=org, actor=None, source=crowd["people"][1], target=crowd["people"][9]
    )
    assert selectors.current_version(org) not in {first, second}


def test_the_api_reads_the_stored_run_in_bounded_pages(members, crowd, org):
    from bellwether.testing.factories import api_client_for

    client = api_client_for(members["admin"])
    total = selectors.leaders(org).count()
    first = client.get("/api/v1/influence/analysis", {"limit": 10}).json()
    assert first["leader_count"] == total
    assert len(first["leaders"]) == 10
    assert first["current"] is True
    rest = client.get("/api/v1/influence/analysis", {"limit": 500, "offset": 10}).json()
    ids = [row["person_id"] for row in first["leaders"] + rest["leaders"]]
    assert len(set(ids)) == total
    assert client.get("/api/v1/influence/analysis", {"limit": 501}).status_code == 422
    messengers = client.get("/api/v1/influence/messengers", {"limit": 5}).json()
    assert len(messengers) == 5
    assert messengers[0]["messengers"][0]["name"] == "Cleo Champion"
    grid = client.get("/api/v1/influence/grid", {"offset": 100, "limit": 500}).json()
    assert len(grid["placements"]) == total - 100


def test_ties_and_profile_history_are_paged_not_cut(client_for, crowd, org):
    from bellwether.influence.models import ProfileRevision

    client = client_for("admin")
    total = selectors.ties(org).count()
    first = client.get(reverse("influence:ties")).content.decode()
    assert f"Page 1 of {-(-total // 50)} ({total} in all)" in first
    last = client.get(reverse("influence:ties"), {"page": -(-total // 50)}).content.decode()
    assert "Change</a>" in last
    found = client.get(reverse("influence:ties"), {"q": "Skeptic 54"}).content.decode()
    assert "1 tie with" in found
    champion = crowd["skeptics"][0]
    profile = make_profile(organisation=org, person=champion, peer_respect="low")
    ProfileRevision.objects.bulk_create(
        [
            ProfileRevision(
                organisation=org,
                profile=profile,
                changed_by_label=f"editor{i}@acme.test",
                changes={"peer_respect": ["low", "high"]},
            )
            for i in range(60)
        ]
    )
    url = reverse("influence:profile", args=[champion.pk])
    assert "Page 1 of 2 (60 in all)" in client.get(url).content.decode()
    assert "editor" in client.get(url, {"page": 2}).content.decode()


def test_the_panel_counts_what_it_does_not_name_and_shows_the_community(client_for, crowd, org):
    target = crowd["people"][10]
    for source in crowd["people"][40:46]:
        make_tie(organisation=org, source=source, target=target)
    page = client_for("admin").get(reverse("people:detail", args=[target.pk])).content.decode()
    assert "and 2 more" in page  # 7 influencers, 5 named
    assert "all on the map" in page
    community = selectors.figures_of(crowd["run"], target.pk).community
    assert reverse("influence:community", args=[community + 1]) in page
    coach_view = client_for("coach").get(reverse("people:detail", args=[target.pk]))
    assert "all on the map" not in coach_view.content.decode()
