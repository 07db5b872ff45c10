"""Readiness reports: the individual report (web and PDF) and the organisation views.

Thin: parse, ask ``permissions``, call ``reports``, render.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from bellwether.accounts.models import Membership
from bellwether.assessments import access, exports, pdf, release, reports
from bellwether.assessments.models import ReadinessCycle
from bellwether.core import exports as export_files
from bellwether.core import pdf as core_pdf
from bellwether.core.access import require
from bellwether.framework.catalogue import CATALOGUE
from bellwether.people.models import Person

LEADERS_ON_PAGE = 200


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _report_for(request: HttpRequest, person_id: int) -> reports.IndividualReport:
    membership: Membership | None = getattr(request, "membership", None)
    require(request, membership, access.can_view_readiness(membership), rule="can_view_readiness")
    person: Person = access.get_readiness_person_for(request, membership, person_id)
    # A closed cycle not yet released is released first (the worker, or at once).
    release.request_release(person.organisation_id)
    cycles = {c.pk: c for c in reports.cycles_for_person(person)}
    cycle: ReadinessCycle | None = cycles.get(_int(request.GET.get("cycle")) or 0)
    return reports.individual_report(person, cycle=cycle)


@login_required
def report(request: HttpRequest, person_id: int) -> HttpResponse:
    data = _report_for(request, person_id)
    membership = getattr(request, "membership", None)
    return render(
        request,
        "assessments/report.html",
        {
            "report": data,
            "chart_data": data.chart_data(),
            "band_scale": pdf.band_scale_svg(data, width=640),
            "bands": CATALOGUE.instrument.bands,
            "can_view_organisation": access.can_view_readiness_organisation(membership),
        },
    )


@login_required
def report_pdf(request: HttpRequest, person_id: int) -> HttpResponse:
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
    request: HttpRequest, content: bytes, *, fmt: str, filename: str, action: str, **what: Any
) -> HttpResponse:
    """The file, its download audited (after the access checks, which need a membership)."""
    membership: Membership | None = getattr(request, "membership", None)
    assert membership is not None
    audit = export_files.Audit(action, membership.organisation, membership.user, **what)
    return export_files.download(request, content, fmt=fmt, filename=filename, audit=audit)


def _organisation_view(request: HttpRequest) -> reports.OrganisationView:
    membership: Membership | None = getattr(request, "membership", None)
    require(
        request,
        membership,
        access.can_view_readiness_organisation(membership),
        rule="can_view_readiness_organisation",
    )
    assert membership is not None
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


@login_required
def organisation(request: HttpRequest) -> HttpResponse:
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


@login_required
def organisation_export(request: HttpRequest) -> HttpResponse:
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
