"""Issue 19: a week in which a cohort was shown no suggestions has no acceptance rate. The
initiative page, the adoption API, the package API, the portfolio (page and API) and the
package PDF give one answer for the majority wall, from ``alignment.adoption_points``."""

from __future__ import annotations

import random

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import escape

from bellwether.initiatives import alignment, selectors, services
from bellwether.initiatives.models import Initiative
from bellwether.initiatives.tests.factories import adoption_weeks
from bellwether.testing.factories import api_client_for

pytestmark = pytest.mark.django_db

BASE = "/api/v1/initiatives"


# Initial weeks 4, a gap of 15 points held for 3 weeks (the catalogue's rule).
SILENT_MAJORITY = (
    [80] * 7,
    [80, 80, 80, 80, 40, 40, None],  # week 7: the majority was shown nothing
)
SILENT_EARLY = (
    [80, 80, 80, 80, 80, 80, 80, None],  # week 8: the early adopters were shown nothing
    [80, 80, 80, 80, 40, 40, 40, 40],
)


def test_a_week_without_suggestions_has_no_rate_not_zero() -> None:
    assert alignment.rate(0, 0) is None
    assert alignment.rate(3, 4) == 75
    points = alignment.adoption_points([(1, "majority", 0, 0), (2, "majority", 1, 2)])
    assert points == [alignment.AdoptionPoint(2, "majority", 50.0)]


@pytest.mark.parametrize(
    ("early", "majority", "flagged"),
    [(*SILENT_MAJORITY, False), (*SILENT_EARLY, True)],
    ids=["silent-majority-week-is-not-a-0%-week", "silent-early-week-does-not-break-the-wall"],
)
def test_every_view_gives_the_same_majority_wall(
    client_for, members, initiative, early, majority, flagged
) -> None:
    services.record_adoption(
        initiative=initiative, actor=None, samples=adoption_weeks(early, majority)
    )
    api = api_client_for(members["sponsor"])

    package = selectors.initiative_package(initiative, series_days=0)
    [row] = selectors.portfolio(Initiative.objects.filter(pk=initiative.pk))
    curve = api.get(f"{BASE}/{initiative.pk}/adoption").json()
    detail = api.get(f"{BASE}/{initiative.pk}").json()
    [listed] = api.get(BASE).json()["items"]
    page = client_for("sponsor").get(reverse("initiatives:detail", args=[initiative.pk]))
    portfolio = client_for("sponsor").get(reverse("initiatives:portfolio"))

    assert package.majority_wall.flagged is flagged
    assert ("majority_wall" in [a.kind for a in row.alerts]) is flagged
    assert curve["majority_wall"] is flagged
    assert detail["majority_wall"] is flagged
    assert ("majority_wall" in [a["kind"] for a in listed["alerts"]]) is flagged
    assert ('id="majority-wall"' in page.content.decode()) is flagged
    assert (escape(alignment.MAJORITY_WALL.guidance) in portfolio.content.decode()) is flagged
    pdf = render_to_string("initiatives/package_pdf.html", {"initiative": initiative, "p": package})
    assert ('id="pdf-majority-wall"' in pdf) is flagged
    assert "No suggestions that week (not counted)" in pdf
    # The silent week is shown as such, not as 0%.
    silent = [s for s in curve["samples"] if s["suggestions"] == 0]
    assert [(s["acceptance_rate"], s["override_rate"]) for s in silent] == [(None, None)]
    assert "No suggestions that week (not counted)" in page.content.decode()


def test_the_recorded_answer_is_the_same_as_the_read_one(members, initiative) -> None:
    api = api_client_for(members["sponsor"])
    early, majority = SILENT_MAJORITY
    pushed = api.post(
        f"{BASE}/{initiative.pk}/adoption",
        {"samples": adoption_weeks(early, majority)},
        content_type="application/json",
    ).json()
    assert pushed["majority_wall"] is False
    assert api.get(f"{BASE}/{initiative.pk}/adoption").json()["majority_wall"] is False


def test_the_portfolio_and_the_package_agree_on_random_curves(org, executive) -> None:
    """The portfolio reads only the latest weeks in SQL; whatever the curve, its answer is
    the package's."""
    rng = random.Random(19)
    initiatives = []
    for n in range(30):
        initiative = services.create_initiative(
            organisation=org,
            actor=None,
            name=f"I{n}",
            archetype="archetype.genai_customer_facing",
            sponsor=executive,
        )
        weeks = rng.randint(3, 14)
        early = [rng.choice([None, 80, 80, 90]) for _ in range(weeks)]
        majority = [rng.choice([None, 40, 40, 85]) for _ in range(weeks)]
        services.record_adoption(
            initiative=initiative, actor=None, samples=adoption_weeks(early, majority)
        )
        initiatives.append(initiative)
    rows = {
        row.initiative.pk: row
        for row in selectors.portfolio(Initiative.objects.filter(organisation=org))
    }
    answers = []
    for initiative in initiatives:
        package = selectors.initiative_package(initiative, series_days=0)
        in_portfolio = "majority_wall" in [a.kind for a in rows[initiative.pk].alerts]
        assert in_portfolio is package.majority_wall.flagged, initiative.name
        answers.append(in_portfolio)
    # The draw covers both answers.
    assert any(answers)
    assert not all(answers)
