"""The KPI dashboard: every KPI for a period and scope, its drill-down, the targets, and
the board-pack exports. Read-only apart from the targets; nothing depends on it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from bellwether.accounts.access import MemberRequest, page
from bellwether.core import exports
from bellwether.core import pdf as core_pdf
from bellwether.core.errors import DomainError
from bellwether.core.forms import error_messages
from bellwether.framework.catalogue import CATALOGUE, kpi
from bellwether.insights import access, periods, selectors, services
from bellwether.insights.filters import Filters, parse, today_for
from bellwether.insights.measures import Measure
from bellwether.insights.vision import vision_for
from bellwether.people.models import LeaderLevel

ROWS_PER_PAGE = 100


def _filters(request: MemberRequest) -> tuple[Filters, list[str]]:
    """The request's filters, or the defaults with the reason the request's were refused."""
    organisation = request.membership.organisation
    try:
        return parse(
            organisation,
            kind=request.GET.get("kind", ""),
            period=request.GET.get("period", ""),
            unit=request.GET.get("unit", ""),
            level=request.GET.get("level", ""),
        ), []
    except DomainError as error:
        return parse(organisation), error_messages(error)


def _choices(filters: Filters, request: MemberRequest) -> dict[str, Any]:
    recent = periods.last(
        periods.containing(filters.period.kind, today_for(request.membership.organisation)), 12
    )
    return {
        "kinds": [(k, periods.KIND_LABELS[k]) for k in periods.KINDS],
        "recent": recent[::-1],
        "levels": LeaderLevel.choices,
        "cadence": next(
            (c for c in CATALOGUE.dashboard if c.frequency == _FREQUENCY[filters.period.kind]),
            None,
        ),
    }


_FREQUENCY = {periods.WEEK: "weekly", periods.MONTH: "monthly", periods.QUARTER: "quarterly"}


def _table(rows: list[Measure]) -> list[list[Any]]:
    header = [
        "KPI",
        "Value",
        "Unit",
        "Target",
        "Status",
        "Trend",
        "Numerator",
        "Denominator",
        "Source",
        "Period",
        "Note",
    ]
    body = [
        [
            m.name,
            m.figure.value,
            m.unit,
            m.target_text,
            m.status_label,
            m.trend,
            m.definition.numerator if m.definition else "",
            m.definition.denominator if m.definition else "",
            m.definition.source if m.definition else "",
            m.definition.period if m.definition else "",
            m.figure.reason or m.figure.note,
        ]
        for m in rows
    ]
    return [header, *body]


@page(access.VIEW_DASHBOARD)
def dashboard(request: MemberRequest) -> HttpResponse:
    filters, problems = _filters(request)
    organisation = request.membership.organisation
    rows = selectors.dashboard(organisation, period=filters.period, scope=filters.scope)
    fmt = request.GET.get("format", "")
    if fmt in {"xlsx", "csv", "pdf"}:
        audit = exports.Audit(
            "insights.dashboard_exported",
            organisation,
            request.membership.user,
            filters=filters.query(),
            rows=len(rows),
        )
        filename = f"kpi-dashboard-{filters.period.key}.{fmt}"
        if fmt == "pdf":
            content = core_pdf.render_pdf(
                "insights/dashboard_pdf.html",
                {
                    "groups": (
                        ("Primary KPIs", [m for m in rows if m.primary]),
                        ("Secondary indicators", [m for m in rows if not m.primary]),
                    ),
                    "history_labels": [
                        p.label for p in periods.last(filters.period, selectors.HISTORY)
                    ],
                    "filters": filters,
                    "organisation": organisation,
                    "vision": vision_for(request.membership),
                },
                request=request,
            )
        else:
            content = exports.table_bytes(_table(rows), fmt=fmt, title="KPI dashboard")
        return exports.download(request, content, fmt=fmt, filename=filename, audit=audit)
    for problem in problems:
        messages.error(request, problem)
    return render(
        request,
        "insights/dashboard.html",
        {
            "primary": [m for m in rows if m.primary],
            "secondary": [m for m in rows if not m.primary],
            "filters": filters,
            "query": urlencode(filters.query()),
            "history_labels": [p.label for p in periods.last(filters.period, selectors.HISTORY)],
            "may_edit_targets": access.EDIT_TARGETS.allows(request.membership),
            "vision": vision_for(request.membership),
            **_choices(filters, request),
        },
        status=400 if problems else 200,
    )


@page(access.VIEW_DASHBOARD)
def kpi_detail(request: MemberRequest, key: str) -> HttpResponse:
    try:
        metric = kpi(key)
    except KeyError:
        raise Http404("No such KPI") from None
    filters, problems = _filters(request)
    organisation = request.membership.organisation
    target = selectors.targets_for(organisation)[key]
    measure = selectors.measure(
        organisation,
        metric,
        period=filters.period,
        scope=filters.scope,
        target=target,
        primary=metric in CATALOGUE.primary_kpis,
    )
    detail = selectors.detail(organisation, key, period=filters.period, scope=filters.scope)
    fmt = request.GET.get("format", "")
    if fmt in {"xlsx", "csv"} and not detail.anonymous:
        content = exports.table_bytes(
            [list(detail.columns), *[list(r) for r in detail.rows]], fmt=fmt, title=metric.name
        )
        audit = exports.Audit(
            "insights.rows_exported",
            organisation,
            request.membership.user,
            filters={"kpi": key, **filters.query()},
            rows=len(detail.rows),
        )
        return exports.download(
            request, content, fmt=fmt, filename=f"{key}-{filters.period.key}.{fmt}", audit=audit
        )
    for problem in problems:
        messages.error(request, problem)
    paginator = Paginator(detail.rows, ROWS_PER_PAGE)
    rows_page = paginator.get_page(request.GET.get("page"))
    labels = [p.label for p in periods.last(filters.period, selectors.HISTORY)]
    return render(
        request,
        "insights/kpi.html",
        {
            "metric": metric,
            "measure": measure,
            "detail": detail,
            "rows_page": rows_page,
            "vision": vision_for(request.membership),
            "filters": filters,
            "query": urlencode(filters.query()),
            "history": list(zip(labels, measure.history, strict=True)),
            "chart": {
                "labels": labels,
                "values": list(measure.history),
                "name": metric.name,
                "target": measure.target_value,
            },
            **_choices(filters, request),
        },
        status=400 if problems else 200,
    )


@page(access.EDIT_TARGETS, methods=["GET", "POST"])
def targets(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    errors: dict[str, list[str]] = {}
    if request.method == "POST":
        key = request.POST.get("kpi", "")
        try:
            if request.POST.get("reset"):
                services.reset_target(
                    organisation=organisation, kpi_key=key, actor=request.membership.user
                )
            else:
                services.set_target(
                    organisation=organisation,
                    kpi_key=key,
                    target_value=_number(request.POST.get("target_value", ""), "target"),
                    baseline_value=_optional_number(request.POST.get("baseline_value", "")),
                    note=request.POST.get("note", ""),
                    actor=request.membership.user,
                )
        except DomainError as error:
            errors[key] = error_messages(error)
        else:
            messages.success(request, f"Target saved: {kpi(key).name}.")
            return redirect(reverse("insights:targets"))
    current = selectors.targets_for(organisation)
    rows = [
        {
            "metric": m,
            "target": current[m.key],
            "errors": errors.get(m.key, []),
            "posted": request.POST if errors.get(m.key) else None,
        }
        for m in (*CATALOGUE.primary_kpis, *CATALOGUE.secondary_kpis)
    ]
    return render(request, "insights/targets.html", {"rows": rows}, status=400 if errors else 200)


def _number(text: str, label: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise DomainError(
            f"The {label} must be a number, such as 90.", code="not_a_number"
        ) from None


def _optional_number(text: str) -> float | None:
    return _number(text, "baseline") if text.strip() else None
