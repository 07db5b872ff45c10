"""A pulse's results and their export: released figures only, every small group
suppressed. A 360's campaigns are not here (``access.get_campaign_for(results=True)``)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse
from django.shortcuts import render

from bellwether.accounts.access import MemberRequest, page
from bellwether.core import exports
from bellwether.surveys import access, selectors
from bellwether.surveys.access import VIEW_SURVEY_RESULTS
from bellwether.surveys.services import releases

EXPORT_FORMATS = ("csv", "xlsx")


@page(VIEW_SURVEY_RESULTS, methods=["GET"])
def results(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    campaign = access.get_campaign_for(request, membership, pk, results=True)
    releases.request_release_if_due(campaign)
    outcome = selectors.campaign_results(campaign)
    # A filter selects one released cell by its identity: ?org_unit=/1/5/ or
    # ?leader_level=senior. Anything else was not released and is refused.
    filters = {s: request.GET[s][:1000] for s in selectors.SEGMENT_FIELDS if request.GET.get(s)}
    segment = ", ".join(filters)
    filtered: dict[str, float | None] | None = None
    filter_refused = False
    if filters and outcome.total_shown:
        filtered = selectors.filtered_favourable(campaign, filters=filters)
        filter_refused = filtered is None
        if filtered is not None:  # by the question's words, never its key
            texts = {q.key: q.text for q in outcome.questions}
            filtered = {texts.get(key, key): share for key, share in filtered.items()}
    chart: dict[str, Any] = {
        "questions": [
            {
                "text": q.text,
                "labels": [d[0] for d in q.distribution],
                "counts": [d[1] for d in q.distribution],
            }
            for q in outcome.questions
            if q.shown
        ],
    }
    trend = []
    scored_keys = [q.key for q in outcome.scored_questions]
    if scored_keys:
        trend = selectors.trend(
            membership.organisation,
            instrument_key=campaign.version.instrument.key,
            question_key=scored_keys[0],
        )
    chart["trend"] = {
        "labels": [p.label for p in trend],
        "favourable": [p.favourable for p in trend],
        "rate": [p.rate for p in trend],
    }
    return render(
        request,
        "surveys/results.html",
        {
            "campaign": campaign,
            "r": outcome,
            "chart": chart,
            "trend": trend,
            "trend_rows": [(p.label, p.favourable, p.rate) for p in trend],
            "filtered": filtered,
            "filter_refused": filter_refused,
            "segment": segment,
            "value": "",
            "can_export": outcome.total_shown,
        },
    )


def _result_rows(outcome: selectors.CampaignResults) -> list[list[Any]]:
    rows: list[list[Any]] = [["section", "group", "question", "answer", "value"]]
    for q in outcome.questions:
        for label, count in q.distribution:
            rows.append(["distribution", "All respondents", q.text, label, count])
        if q.favourable is not None:
            rows.append(["favourable %", "All respondents", q.text, "", q.favourable])
    for breakdown in outcome.breakdowns:
        for cell in breakdown.cells:
            for key, share in cell.favourable.items():
                rows.append(
                    [
                        f"favourable % by {breakdown.label.lower()}",
                        cell.label,
                        key,
                        "",
                        share if cell.shown and share is not None else "suppressed",
                    ]
                )
            if not cell.shown:
                rows.append([f"by {breakdown.label.lower()}", cell.label, "", "", "suppressed"])
    return rows


@page(VIEW_SURVEY_RESULTS, methods=["GET"])
def results_export(request: MemberRequest, pk: int, fmt: str) -> HttpResponse:
    membership = request.membership
    campaign = access.get_campaign_for(request, membership, pk, results=True)
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format")
    releases.request_release_if_due(campaign)
    outcome = selectors.campaign_results(campaign)
    rows = _result_rows(outcome) if outcome.total_shown else [["results"], [outcome.reason]]
    return exports.download(
        request,
        exports.table_bytes(rows, fmt=fmt, title="Results"),
        fmt=fmt,
        filename=f"campaign-{campaign.pk}-results.{fmt}",
        audit=exports.Audit.by(
            membership, "surveys.results_exported", target=campaign, rows=max(0, len(rows) - 1)
        ),
    )
