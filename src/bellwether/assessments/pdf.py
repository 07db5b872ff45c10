"""The individual readiness report as a PDF: its template's context, with the charts drawn
as inline SVG. The PDF itself is rendered and downloaded by ``core.pdf``."""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from bellwether.assessments import svg
from bellwether.assessments.reports import IndividualReport
from bellwether.framework.catalogue import CATALOGUE


def band_scale_svg(report: IndividualReport, *, width: int = 520) -> SafeString:
    bands = [(b.key, b.name, b.min_score, b.max_score) for b in CATALOGUE.instrument.bands]
    total = report.score.total if report.score else None
    return mark_safe(svg.band_scale(list(reversed(bands)), total, width=width))  # noqa: S308


def charts(report: IndividualReport) -> dict[str, SafeString]:
    """The report's charts as SVG, for the PDF (our own markup, every label escaped)."""
    data = report.chart_data()
    series: list[tuple[str, Any, str]] = [("Self", data["dimension_self"], svg.SELF_COLOUR)]
    if data["dimension_others"] is not None:
        series.append(("Others", data["dimension_others"], svg.OTHERS_COLOUR))
    flags = ["▲" if i.blind_spot else ("▼" if i.hidden_strength else "") for i in report.items]
    rows = [(i.text, i.self, i.others) for i in report.items]
    return {
        "radar": mark_safe(  # noqa: S308
            svg.radar(
                data["dimensions"], series, maximum=data["dimension_max"], minimum=0, size=320
            )
        ),
        "items": mark_safe(svg.item_bars(rows, flags=flags, width=660)),  # noqa: S308
        "band_scale": band_scale_svg(report, width=640),
        "trend": mark_safe(  # noqa: S308
            svg.trend_line([(t.cycle_name, t.total) for t in report.trend], width=660)
        ),
    }


TEMPLATE = "assessments/report_pdf.html"


def report_context(report: IndividualReport) -> dict[str, Any]:
    """What the PDF template shows: the report, its charts as SVG, when it was made."""
    return {
        "report": report,
        "charts": charts(report),
        "now": timezone.now(),
        "band_colour": svg.BAND_COLOURS.get(report.band.key) if report.band else None,
    }


def render_report_html(report: IndividualReport) -> str:
    return render_to_string(TEMPLATE, report_context(report))
