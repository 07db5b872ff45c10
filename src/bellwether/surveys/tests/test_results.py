"""Results: suppression on the page and in the API, and attacks that try to get round it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from bellwether.surveys import selectors, services
from bellwether.surveys.models import Campaign
from bellwether.surveys.tests.helpers import (
    answer,
    close,
    confidence_version,
    launch,
    person,
    two_units,
)
from bellwether.testing.factories import api_client_for


@pytest.fixture
def sales_and_legal(org):
    """Sales (8) all answer 5; Legal (2) both answer 1 — Legal must never be recoverable."""
    root, sales, legal = two_units(org)
    sellers = [person(org, org_unit=sales) for _ in range(8)]
    lawyers = [person(org, org_unit=legal) for _ in range(2)]
    campaign = launch(org, people=sellers + lawyers, segments=("org_unit",))
    for p in sellers:
        answer(campaign, p, 5, 5, "Good direction")
    for p in lawyers:
        answer(campaign, p, 1, 1, "I worry")
    return campaign, root, sales, legal


def test_results_of_an_open_pulse_are_not_shown_even_to_admins(
    sales_and_legal, client_for, members
):
    campaign, *_ = sales_and_legal
    page = client_for("admin").get(reverse("surveys:results", args=[campaign.pk]))
    assert page.status_code == 200
    assert "released once, when the survey closes" in page.content.decode()
    assert "80.0%" not in page.content.decode()
    data = (
        api_client_for(members["admin"])
        .get(f"/api/v1/surveys/campaigns/{campaign.pk}/results")
        .json()
    )
    assert data["available"] is False
    assert data["questions"] == data["breakdowns"] == data["comments"] == []
    assert data["respondents"] is None


def test_the_total_is_shown_after_close(sales_and_legal) -> None:
    campaign, *_ = sales_and_legal
    r = selectors.campaign_results(close(campaign))
    confidence = r.questions[0]
    assert (confidence.key, confidence.n, confidence.favourable) == ("confidence", 10, 80.0)
    assert confidence.distribution[0] == ("1 – Strongly disagree", 2)


def test_a_small_unit_and_its_sibling_are_suppressed_so_subtraction_fails(sales_and_legal) -> None:
    campaign, root, sales, legal = sales_and_legal
    r = selectors.campaign_results(close(campaign))
    cells = {c.key: c for c in r.breakdowns[0].cells}
    assert (cells[legal.path].shown, cells[legal.path].reason) == (False, "too_few")
    # Total (80%) minus Sales (100%) would give Legal (0%): Sales is hidden as well.
    assert (cells[sales.path].shown, cells[sales.path].reason) == (False, "difference")
    assert cells[sales.path].favourable == {}
    # Acme holds only the people whose unit could be kept (Sales): the total minus Acme
    # would be Legal again, so Acme is hidden too. Chained remainders count.
    assert (cells[root.path].shown, cells[root.path].reason) == (False, "difference")


def test_the_page_and_the_api_show_no_figure_for_the_small_unit(
    sales_and_legal, client_for, members
) -> None:
    campaign, _root, sales, legal = sales_and_legal
    close(campaign)
    html = client_for("admin").get(reverse("surveys:results", args=[campaign.pk])).content.decode()
    # Sales' own share (100%) with the total (80%) would give Legal (0%) away.
    for unit_name in ("Sales", "Legal"):
        row = html.split(f'<th scope="row">{unit_name}</th>')[1].split("</tr>")[0]
        assert "%" not in row
    assert "0.0%" not in html.replace("100.0%", "").replace("80.0%", "")
    assert 'data-suppressed="too_few"' in html
    assert 'data-suppressed="difference"' in html
    data = (
        api_client_for(members["sponsor"])
        .get(f"/api/v1/surveys/campaigns/{campaign.pk}/results")
        .json()
    )
    cells = {c["key"]: c for c in data["breakdowns"][0]["cells"]}
    assert cells[legal.path] == {
        "key": legal.path,
        "label": "Legal",
        "suppressed": True,
        "reason": "too_few",
        "favourable": {},
    }
    assert cells[sales.path]["suppressed"] is True
    assert cells[sales.path]["favourable"] == {}


def test_a_filter_whose_complement_is_small_is_refused_on_the_page(
    sales_and_legal, client_for
) -> None:
    campaign, _root, sales, _legal = sales_and_legal
    close(campaign)
    url = reverse("surveys:results", args=[campaign.pk])
    html = (
        client_for("admin").get(url, {"org_unit": sales.path, "leader_level": ""}).content.decode()
    )
    assert 'data-suppressed="filter"' in html
    assert "100.0%" not in html.split("Filtered view")[1]


def test_two_overlapping_segments_cannot_isolate_a_small_overlap(org, client_for) -> None:
    _root, sales, legal = two_units(org)
    # Seniors: 4 in Sales + 2 in Legal; the 2 senior lawyers must stay hidden.
    people = (
        [person(org, org_unit=sales) for _ in range(6)]
        + [person(org, org_unit=sales, leader_level="senior") for _ in range(4)]
        + [person(org, org_unit=legal) for _ in range(6)]
        + [person(org, org_unit=legal, leader_level="senior") for _ in range(2)]
    )
    campaign = launch(org, people=people, segments=("org_unit", "leader_level"))
    for p in people:
        answer(campaign, p, 1 if p.leader_level and p.org_unit == legal else 4)
    close(campaign)
    # Legal (8) and Sales (10) are released cells, so filtering on either is allowed.
    assert selectors.filtered_favourable(campaign, filters={"org_unit": legal.path}) is not None
    # Seniors are only 6, and their level could not be stored for the 4 + 2 of them
    # (each combination is below 5): no senior cell exists, and no filter makes one.
    assert selectors.filtered_favourable(campaign, filters={"leader_level": "senior"}) is None
    senior_lawyers = {"org_unit": legal.path, "leader_level": "senior"}
    assert selectors.filtered_favourable(campaign, filters=senior_lawyers) is None
    other_lawyers = {"org_unit": legal.path, "leader_level": ""}
    assert selectors.filtered_favourable(campaign, filters=other_lawyers) is None
    url = reverse("surveys:results", args=[campaign.pk])
    html = client_for("admin").get(url, senior_lawyers).content.decode()
    assert 'data-suppressed="filter"' in html
    assert "0.0%" not in html.split("Filtered view")[1]


def test_a_filter_on_an_undeclared_segment_is_refused(sales_and_legal) -> None:
    campaign, *_ = sales_and_legal
    close(campaign)
    assert selectors.filtered_favourable(campaign, filters={"tenure_band": "lt1"}) is None


def test_fewer_respondents_than_the_minimum_show_nothing(org, unit) -> None:
    people = [person(org, org_unit=unit) for _ in range(4)]
    campaign = launch(org, people=people)
    for p in people:
        answer(campaign, p, 5)
    r = selectors.campaign_results(close(campaign))
    assert r.total_shown is False
    assert r.questions == r.breakdowns == r.comments == []
    assert "Fewer than 5" in r.reason


def test_comments_need_ten_respondents(org, unit, client_for, members) -> None:
    people = [person(org, org_unit=unit) for _ in range(10)]
    campaign = launch(org, people=people)
    for i, p in enumerate(people[:9]):
        answer(campaign, p, 4, 4, f"comment {i}")
    r = selectors.campaign_results(close(campaign))
    assert r.total_shown is True
    assert r.comments == []
    assert "at least 10" in r.comments_reason
    html = client_for("admin").get(reverse("surveys:results", args=[campaign.pk])).content
    assert b"comment 1" not in html
    data = api_client_for(members["admin"]).get(f"/api/v1/surveys/campaigns/{campaign.pk}/results")
    assert data.json()["comments"] == []


def test_ten_respondents_release_their_comments_without_time(org, unit) -> None:
    people = [person(org, org_unit=unit) for _ in range(10)]
    campaign = launch(org, people=people)
    for i, p in enumerate(people):
        answer(campaign, p, 4, 4, f"comment {i}")
    r = selectors.campaign_results(close(campaign))
    assert sorted(r.comments) == sorted(f"comment {i}" for i in range(10))
    assert all(isinstance(c, str) for c in r.comments)


def test_a_raised_minimum_applies_to_every_report(sales_and_legal, org) -> None:
    campaign, *_ = sales_and_legal
    services.update_confidentiality(
        organisation=org, actor=None, min_group=11, min_360_group=3, min_comments=11
    )
    assert selectors.campaign_results(close(campaign)).total_shown is False


def test_a_minimum_below_three_cannot_be_configured(org) -> None:
    from bellwether.core.errors import DomainError

    with pytest.raises(DomainError, match="never be below 3"):
        services.update_confidentiality(
            organisation=org, actor=None, min_group=2, min_360_group=3, min_comments=10
        )


def test_the_kpi_figures_come_from_the_latest_closed_pulse(sales_and_legal, org) -> None:
    campaign, *_ = sales_and_legal
    assert selectors.employee_confidence(org).value is None  # still open
    close(campaign)
    figure = selectors.employee_confidence(org)
    assert (figure.value, figure.meets_target, figure.n) == (80.0, True, 10)
    assert figure.target == "80% employee confidence in leadership AI direction"
    assert selectors.communication_effectiveness(org).value is None


def test_the_trend_lists_closed_periods_oldest_first(org, unit) -> None:
    people = [person(org, org_unit=unit) for _ in range(5)]
    version = confidence_version(org)
    for month, score in (("2026-01", 2), ("2026-02", 5)):
        campaign = launch(org, people=people, version=version, period=month, name=month)
        for p in people:
            answer(campaign, p, score)
        close(campaign)
    points = selectors.trend(org, instrument_key="pulse-confidence", question_key="confidence")
    assert [(p.label, p.favourable, p.rate) for p in points] == [
        ("2026-01", 0.0, 100.0),
        ("2026-02", 100.0, 100.0),
    ]


def test_exports_carry_only_suppressed_results(sales_and_legal, client_for) -> None:
    campaign, *_ = sales_and_legal
    close(campaign)
    csv_text = (
        client_for("admin")
        .get(reverse("surveys:results_export", args=[campaign.pk, "csv"]))
        .content.decode()
    )
    assert "favourable %,All respondents" in csv_text
    assert "suppressed" in csv_text
    assert "100.0" not in csv_text
    xlsx = client_for("sponsor").get(reverse("surveys:results_export", args=[campaign.pk, "xlsx"]))
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_campaign_list_takes_a_fixed_number_of_queries(
    org, unit, client_for, django_assert_max_num_queries
) -> None:
    people = [person(org, org_unit=unit) for _ in range(3)]
    for i in range(5):
        launch(org, people=people, name=f"Pulse {i}")
    client = client_for("admin")
    with django_assert_max_num_queries(12):
        response = client.get(reverse("surveys:campaigns"))
    assert response.content.decode().count("0 of 3") == 5


def test_a_released_pulse_keeps_its_participation_and_the_trend_reads_it(org, unit) -> None:
    from bellwether.surveys.models import Invitation, Release

    people = [person(org, org_unit=unit) for _ in range(5)]
    campaign = launch(org, people=people, period="2026-01", name="2026-01")
    for p in people[:4]:
        answer(campaign, p, 4)
    close(campaign)
    kept = Release.objects.get(campaign=campaign).payload["participation"]
    assert kept == {"invited": 5, "completed": 4, "revoked": 0}
    # Read as stored: a later change to the invitations does not move the released figures.
    Invitation.objects.filter(campaign=campaign).update(revoked_at=campaign.closes_at)
    r = selectors.campaign_results(campaign)
    assert (r.participation.invited, r.participation.completed) == (5, 4)
    (point,) = selectors.trend(org, instrument_key="pulse-confidence", question_key="confidence")
    assert point.rate == 80.0


def test_the_results_page_costs_the_same_queries_with_a_longer_trend(org, unit, client_for) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people = [person(org, org_unit=unit) for _ in range(5)]
    version = confidence_version(org)

    def month(n: int) -> Campaign:
        campaign = launch(org, people=people, version=version, period=f"2026-{n:02d}")
        for p in people:
            answer(campaign, p, 4)
        return close(campaign)

    first = month(1)
    client = client_for("admin")
    url = reverse("surveys:results", args=[first.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    month(2), month(3)
    with CaptureQueriesContext(connection) as three:
        assert client.get(url).status_code == 200
    assert len(three) == len(one)


def test_the_filtered_view_names_each_question_by_its_words_not_its_key(org, client_for) -> None:
    _root, sales, legal = two_units(org)
    people = [person(org, org_unit=sales) for _ in range(8)] + [
        person(org, org_unit=legal) for _ in range(8)
    ]
    campaign = launch(org, people=people, segments=("org_unit",))
    for p in people:
        answer(campaign, p, 5, 4, "")
    close(campaign)
    url = reverse("surveys:results", args=[campaign.pk])
    html = client_for("admin").get(url, {"org_unit": sales.path}).content.decode()
    shown = html.split("Filtered view")[1].split("</div>")[0]
    assert 'data-suppressed="filter"' not in shown  # this view is released
    texts = [q.text for q in selectors.campaign_results(campaign).questions if q.favourable]
    assert texts
    for text in texts:
        assert f"<dt>{text}</dt>" in shown.replace("&#x27;", "'")
    assert "<dt>confidence</dt>" not in shown
