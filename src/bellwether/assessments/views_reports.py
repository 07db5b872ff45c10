"""Readiness reports: the individual report (web and PDF) and the organisation views.

Thin: parse, ask ``access``, call ``reports``, render.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from bellwether.accounts.access import MemberRequest, page
from bellwether.assessments import access, exports, pdf, release, reports
from bellwether.assessments.models import ReadinessCycle
from bellwether.core import exports as export_files
from bellwether.core import pdf as core_pdf
from bellwether.framework.catalogue import CATALOGUE

LEADERS_ON_PAGE = 200


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _report_for(request: MemberRequest, person_id: int) -> reports.IndividualReport:
    person = access.get_readiness_person_for(request, request.membership, person_id)
    # A closed cycle not yet released is released first (the worker, or at once).
    release.request_release(person.organisation_id)
    cycles = {c.pk: c for c in reports.cycles_for_person(person)}
    cycle: ReadinessCycle | None = cycles.get(_int(request.GET.get("cycle")) or 0)
    return reports.individual_report(person, cycle=cycle)


@page(access.VIEW_READINESS)
def report(request: MemberRequest, person_id: int) -> HttpResponse:
    data = _report_for(request, person_id)
    return render(
        request,
        "assessments/report.html",
        {
            "report": data,
            "chart_data": data.chart_data(),
            "band_scale": pdf.band_scale_svg(data, width=640),
            "bands": CATALOGUE.instrument.bands,
            "can_view_organisation": access.VIEW_ORGANISATION.allows(request.membership),
        },
    )


@page(access.VIEW_READINESS)
def report_pdf(request: MemberRequest, person_id: int) -> HttpResponse:
    data = _report_for(request, person_id)
    content = core_pdf.render_pdf(pdf.TEMPLATE, pdf.report_context(data), request=request)
    suffix = f"-cycle-{data.cycle.pk}" if data.cycle else ""
    return _download(
        request,
        content,
        fmt="pdf",
        filename=f"readiness-report-{data.person.pk}{suffix}.pdf",
        action="readiness.report_downloaded",
        target=data.person,
        filters={"cycle": data.cycle.pk if data.cycle else None},
    )


def _download(
    request: MemberRequest, content: bytes, *, fmt: str, filename: str, action: str, **what: Any
) -> HttpResponse:
    """The file, its download audited."""
    membership = request.membership
    audit = export_files.Audit.by(membership, action, **what)
    return export_files.download(request, content, fmt=fmt, filename=filename, audit=audit)


def _organisation_view(request: MemberRequest) -> reports.OrganisationView:
    membership = request.membership
    release.request_release(membership.organisation)
    return reports.organisation_view(
        membership.organisation,
        cycle_id=_int(request.GET.get("cycle")),
        compare_id=_int(request.GET.get("compare")),
    )


def _organisation_chart_data(view: reports.OrganisationView) -> dict[str, Any]:
    dist = view.distribution
    return {
        "bands": [b.name for b in dist.bands] if dist else [],
        "band_keys": [b.key for b in dist.bands] if dist else [],
        "counts": [b.count for b in dist.bands] if dist else [],
        "self_reported": [b.self_reported for b in dist.bands] if dist else [],
    }


@page(access.VIEW_ORGANISATION)
def organisation(request: MemberRequest) -> HttpResponse:
    view = _organisation_view(request)
    # Only the rows the page shows are built; the count is the distribution's.
    leaders: list[reports.LeaderRow] = []
    if view.cycle is not None and not view.pending:
        leaders = reports.leader_rows(view.cycle, limit=LEADERS_ON_PAGE)
    total = view.distribution.scored if leaders and view.distribution else len(leaders)
    return render(
        request,
        "assessments/organisation.html",
        {
            "view": view,
            "chart_data": _organisation_chart_data(view),
            "leaders": leaders,
            "leaders_total": total,
            "dimension_names": [d.name for d in CATALOGUE.instrument.dimensions],
        },
    )


@page(access.VIEW_ORGANISATION)
def organisation_export(request: MemberRequest) -> HttpResponse:
    view = _organisation_view(request)
    name = f"readiness-cycle-{view.cycle.pk}" if view.cycle else "readiness"
    return _download(
        request,
        exports.organisation_workbook(view),
        fmt="xlsx",
        filename=f"{name}.xlsx",
        action="readiness.organisation_exported",
        target=view.cycle,
        filters={
            "cycle": request.GET.get("cycle", "")[:20],
            "compare": request.GET.get("compare", "")[:20],
        },
    )
