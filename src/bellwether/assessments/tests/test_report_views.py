"""Report pages per role: the individual report (web, PDF) and the organisation views."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.models import Membership
from bellwether.assessments import pdf, reports
from bellwether.assessments.models import LeaderResult
from bellwether.assessments.tests.factories import make_cycle
from bellwether.assessments.tests.reporting import make_person, rated, stored, uniform
from bellwether.core.models import AuditEvent, Organisation
from bellwether.people.models import OrgUnit, Person
from bellwether.testing.browser import ARTIFACTS as SCREENSHOTS

pytestmark = pytest.mark.django_db


def _with_score(org: Organisation, person: Person) -> LeaderResult:
    now = timezone.now()
    rated(
        org,
        person,
        self_answers={**uniform(4), "attitude.enthusiasm": 5},
        others=[("manager", uniform(3)), *[("peer", uniform(3)) for _ in range(3)]],
        opens_at=now - dt.timedelta(days=120),
        name="Spring cycle",
    )
    return rated(
        org,
        person,
        self_answers={**uniform(4), "behaviours.models_adoption": 2},
        others=[
            ("manager", uniform(4)),
            *[("peer", {**uniform(4), "behaviours.models_adoption": 2}) for _ in range(3)],
            *[("direct_report", uniform(4)) for _ in range(3)],
        ],
        opens_at=now - dt.timedelta(days=20),
        name="Summer cycle",
    )


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("sponsor", 200),
        ("leader", 200),
        ("coach", 404),
        ("reviewer", 403),
        ("outsider", 404),
    ],
)
def test_who_may_open_a_leaders_report(
    client_for: Callable[[str], Client],
    org: Organisation,
    leader_person: Person,
    role: str,
    status: int,
) -> None:
    _with_score(org, leader_person)
    response = client_for(role).get(reverse("assessments:report", args=[leader_person.pk]))
    assert response.status_code == status


def test_a_coach_opens_a_coachees_report_but_not_the_leaders(
    client_for: Callable[[str], Client], org: Organisation, coachee: Person, leader_person: Person
) -> None:
    _with_score(org, coachee)
    client = client_for("coach")
    assert client.get(reverse("assessments:report", args=[coachee.pk])).status_code == 200
    before = AuditEvent.objects.filter(action="permission.denied").count()
    assert client.get(reverse("assessments:report_pdf", args=[leader_person.pk])).status_code == 404
    assert AuditEvent.objects.filter(action="permission.denied").count() == before + 1


def test_the_report_page_shows_band_rule_charts_and_signals(
    client_for: Callable[[str], Client], org: Organisation, leader_person: Person
) -> None:
    result = _with_score(org, leader_person)
    response = client_for("leader").get(reverse("assessments:report", args=[leader_person.pk]))
    html = response.content.decode()
    assert result.band_key == "band.supporter"
    assert "Supporter" in html
    assert 'id="band-rule"' in html
    assert "rounded half up" in html
    assert 'id="radar-chart"' in html
    assert 'id="report-data"' in html
    assert "assessments/report.js" in html
    assert "Blind spots" in html
    assert "Failure-mode signal" in html
    assert "Signalled when" in html  # the rules are written on the page
    assert "Spring cycle" in html and "Summer cycle" in html  # noqa: PT018
    assert "Direct reports" in html


def test_the_report_page_can_show_an_earlier_cycle(
    client_for: Callable[[str], Client], org: Organisation, leader_person: Person
) -> None:
    _with_score(org, leader_person)
    spring = reports.cycles_for_person(leader_person)[-1]
    url = reverse("assessments:report", args=[leader_person.pk])
    response = client_for("admin").get(url, {"cycle": spring.pk})
    assert response.context["report"].cycle == spring
    response = client_for("admin").get(url, {"cycle": "nonsense"})
    assert response.status_code == 200
    assert response.context["report"].cycle.name == "Summer cycle"


def test_a_report_without_any_score(
    client_for: Callable[[str], Client], leader_person: Person
) -> None:
    response = client_for("admin").get(reverse("assessments:report", args=[leader_person.pk]))
    assert response.status_code == 200
    assert "has no released readiness results yet" in response.content.decode()


def test_the_report_page_query_count(
    client_for: Callable[[str], Client],
    org: Organisation,
    leader_person: Person,
    django_assert_max_num_queries: Any,
) -> None:
    _with_score(org, leader_person)
    client = client_for("admin")
    with django_assert_max_num_queries(25):
        client.get(reverse("assessments:report", args=[leader_person.pk]))


def test_the_pdf_renders_with_charts(
    client_for: Callable[[str], Client], org: Organisation, leader_person: Person, tmp_path: Path
) -> None:
    _with_score(org, leader_person)
    response = client_for("admin").get(reverse("assessments:report_pdf", args=[leader_person.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = response.content
    assert content.startswith(b"%PDF")
    html = pdf.render_report_html(reports.individual_report(leader_person))
    assert html.count("<svg") == 4
    assert "style=" not in html.split("</style>", 1)[1]
    # Render the pages to PNG (kept in var/screenshots for a person to look at).
    path = tmp_path / "report.pdf"
    path.write_bytes(content)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for stale in SCREENSHOTS.glob("readiness-report-pdf-*.png"):
        stale.unlink()
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(path), str(SCREENSHOTS / "readiness-report-pdf")],
        check=True,
    )
    pages = sorted(SCREENSHOTS.glob("readiness-report-pdf-*.png"))
    assert len(pages) >= 2


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("admin", 200),
        ("sponsor", 200),
        ("leader", 403),
        ("coach", 403),
        ("reviewer", 403),
        ("outsider", 200),
    ],
)
def test_who_may_open_the_organisation_views(
    client_for: Callable[[str], Client], role: str, status: int
) -> None:
    response = client_for(role).get(reverse("assessments:organisation"))
    assert response.status_code == status


def _organisation_data(org: Organisation) -> None:
    now = timezone.now()
    first = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=120), name="Q1")
    second = make_cycle(organisation=org, opens_at=now - dt.timedelta(days=20), name="Q2")
    root = OrgUnit.objects.create(organisation=org, code="R", name="Group")
    root.path = f"/{root.pk}/"
    root.save()
    for name, n, before, after in [("Sales", 6, 3, 4), ("Ops", 5, 4, 4), ("Legal", 2, 2, 3)]:
        unit = OrgUnit.objects.create(organisation=org, code=name, name=name, parent=root, depth=1)
        unit.path = f"/{root.pk}/{unit.pk}/"
        unit.save()
        for _ in range(n):
            person = make_person(org, org_unit=unit)
            stored(org, person, first, uniform(before))
            stored(org, person, second, uniform(after))


def test_the_organisation_page_shows_every_view(
    client_for: Callable[[str], Client],
    org: Organisation,
    members: dict[str, Membership],
    django_assert_max_num_queries: Any,
) -> None:
    _organisation_data(org)
    client = client_for("sponsor")
    # A first view also computes the heatmap and keeps it in the shared cache (its
    # inputs' versions, the cache's read and write): fixed whatever the size.
    with django_assert_max_num_queries(27):
        response = client.get(reverse("assessments:organisation"))
    html = response.content.decode()
    assert response.status_code == 200
    for anchor in ("distribution-chart", "heatmap", "transitions", "completion", "share-70"):
        assert f'id="{anchor}"' in html
    heat = response.context["view"].heatmap
    rows = {r.name: r for r in heat.rows}
    assert rows["Legal"].shown is False
    assert rows["Ops"].shown is False  # would give Legal away by difference
    assert rows["Sales"].shown is True
    assert "fewer than 5" in html
    assert response.context["view"].transitions.up == 8  # Sales 6 and Legal 2 moved up


def test_the_xlsx_export(client_for: Callable[[str], Client], org: Organisation) -> None:
    from openpyxl import load_workbook

    _organisation_data(org)
    response = client_for("admin").get(reverse("assessments:organisation_export"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Leaders",
        "Distribution",
        "Heatmap",
        "Transitions",
        "Completion",
        "KPI",
    ]
    assert book["Leaders"].max_row == 14
    heat = {row[0]: row for row in book["Heatmap"].iter_rows(values_only=True)}
    assert heat["Legal"][2] == "suppressed"
    assert heat["Ops"][2] == "suppressed"
    assert heat["Sales"][2] == 20
    assert client_for("coach").get(reverse("assessments:organisation_export")).status_code == 403


def test_the_person_page_panel_shows_the_band_to_those_who_may_see_the_report(
    client_for: Callable[[str], Client], org: Organisation, coachee: Person
) -> None:
    result = _with_score(org, coachee)
    url = reverse("people:detail", args=[coachee.pk])
    html = client_for("coach").get(url).content.decode()
    assert 'id="readiness"' in html
    assert "Supporter" in html
    assert f"{result.total:g}"[:2] in html
    assert reverse("assessments:report", args=[coachee.pk]) in html
    # The reviewer may open the person page, but not the readiness report.
    reviewer = client_for("reviewer").get(url)
    assert reviewer.status_code == 200
    assert 'id="readiness"' not in reviewer.content.decode()


def test_a_leader_without_a_band_shows_as_not_assessed_and_others_get_no_panel(
    client_for: Callable[[str], Client], leader_person: Person, bystander: Person
) -> None:
    admin = client_for("admin")
    html = admin.get(reverse("people:detail", args=[leader_person.pk])).content.decode()
    panel = html[html.index('id="readiness"') :]
    assert "Not assessed yet" in panel[: panel.index("</section>")]
    assert "Open the readiness report" not in html
    # Someone who is not a leader is never assessed: no readiness panel at all.
    bystander.leader_level = ""
    bystander.save(update_fields=["leader_level"])
    other = admin.get(reverse("people:detail", args=[bystander.pk])).content
    assert b'id="readiness"' not in other


def test_the_organisation_page_builds_only_the_rows_it_shows(
    org: Organisation, members: dict[str, Membership], monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bellwether.assessments import views_reports
    from bellwether.assessments.tests.factories import record_result

    monkeypatch.setattr(views_reports, "LEADERS_ON_PAGE", 2)
    cycle = make_cycle(organisation=org)
    client = Client()
    client.force_login(members["admin"].user)
    url = reverse("assessments:organisation")

    def add(n: int) -> None:
        for _ in range(n):
            person = make_person(org, leader_level="senior")
            record_result(organisation=org, person=person, total=60, cycle=cycle)

    add(3)
    client.get(url)
    with CaptureQueriesContext(connection) as three:
        page = client.get(url)
    assert len(page.context["leaders"]) == 2
    assert page.context["leaders_total"] == 3
    names = sorted(LeaderResult.objects.filter(cycle=cycle).values_list("person__name", flat=True))
    assert [row.name for row in page.context["leaders"]] == names[:2]
    add(3)
    client.get(url)  # the heatmap's inputs changed: computed once more, then kept
    with CaptureQueriesContext(connection) as six:
        page = client.get(url)
    assert page.context["leaders_total"] == 6
    assert len(six) == len(three)
