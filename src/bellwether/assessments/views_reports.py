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
    content = pdf.render_report_pdf(data, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    suffix = f"-cycle-{data.cycle.pk}" if data.cycle else ""
    response["Content-Disposition"] = (
        f'attachment; filename="readiness-report-{data.person.pk}{suffix}.pdf"'
    )
    _record_download(
        request,
        action="readiness.report_downloaded",
        fmt="pdf",
        target=data.person,
        filters={"cycle": data.cycle.pk if data.cycle else None},
    )
    return response


def _record_download(request: MemberRequest, **what: Any) -> None:
    """The audit event of a download."""
    membership = request.membership
    export_files.record_export(
        organisation=membership.organisation, actor=membership.user, request=request, **what
    )


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
    leaders = reports.leader_rows(view.cycle) if view.cycle and not view.pending else []
    return render(
        request,
        "assessments/organisation.html",
        {
            "view": view,
            "chart_data": _organisation_chart_data(view),
            "leaders": leaders[:LEADERS_ON_PAGE],
            "leaders_total": len(leaders),
            "dimension_names": [d.name for d in CATALOGUE.instrument.dimensions],
        },
    )


@page(access.VIEW_ORGANISATION)
def organisation_export(request: MemberRequest) -> HttpResponse:
    view = _organisation_view(request)
    content = exports.organisation_workbook(view)
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = f"readiness-cycle-{view.cycle.pk}" if view.cycle else "readiness"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    _record_download(
        request,
        action="readiness.organisation_exported",
        fmt="xlsx",
        target=view.cycle,
        filters={
            "cycle": request.GET.get("cycle", "")[:20],
            "compare": request.GET.get("compare", "")[:20],
        },
    )
    return response
