"""Every chart has a text alternative, and the PDFs print their figures.

A Chart.js canvas is only ever drawn through ``templates/includes/chart.html``, which
names the chart and shows its figures as a table (or says the table beside it holds
them); the readiness report PDF, the one PDF with charts, prints each chart as an
image and its figures as tables (the board pack's sparklines have their values beside
them, insights/tests/test_dashboard.py).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from django.template.loader import render_to_string
from django.urls import reverse

import bellwether
from bellwether.assessments.tests.test_report_views import _with_score

PACKAGE = Path(bellwether.__file__).parent
INCLUDE = PACKAGE / "templates" / "includes" / "chart.html"


def test_every_chart_canvas_comes_from_the_shared_include() -> None:
    drawn_elsewhere = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("templates/**/*.html")
        if path != INCLUDE and "<canvas" in path.read_text(encoding="utf-8")
    ]
    assert drawn_elsewhere == []
    users = [
        path
        for path in PACKAGE.rglob("templates/**/*.html")
        if '"includes/chart.html"' in path.read_text(encoding="utf-8")
    ]
    assert len(users) >= 7


def test_the_include_shows_the_figures_as_a_table() -> None:
    html = render_to_string(
        "includes/chart.html",
        {
            "chart_id": "trend-chart",
            "label": "Favourable share by period",
            "columns": "Period|Favourable %",
            "rows": [("2026-Q1", 61), ("2026-Q2", None)],
        },
    )
    assert 'id="trend-chart"' in html
    assert 'role="img"' in html
    assert 'aria-label="Favourable share by period; the figures are in the table after it"' in html
    assert re.search(r"<summary>The figures</summary>", html)
    assert '<th scope="col">Period</th><th scope="col">Favourable %</th>' in html
    assert '<th scope="row">2026-Q1</th><td>61</td>' in html
    assert '<th scope="row">2026-Q2</th><td>—</td>' in html
    # Without rows, the page's own table holds the figures, and the chart says so.
    bare = render_to_string("includes/chart.html", {"chart_id": "x", "label": "Leaders per band"})
    assert "<table" not in bare
    assert "the figures are in the table beside it" in bare


def test_the_readiness_report_pdf_prints_the_chart_figures(
    client_for, org, leader_person, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    _with_score(org, leader_person)
    response = client_for("admin").get(reverse("assessments:report_pdf", args=[leader_person.pk]))
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    text = " ".join(text.split())  # a name may wrap in its table cell
    for heading in ("Dimension (5–25)", "Self", "Others", "Of record", "Cycle", "Total"):
        assert heading in text
    from bellwether.assessments import reports

    report = reports.individual_report(leader_person)
    for dimension in report.dimensions:
        assert dimension.name in text
    for point in report.trend:
        assert point.cycle_name in text
