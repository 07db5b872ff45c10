"""The influence pages that show the analytics: the network picture (and the JSON it
loads slice by slice), the grid and its quadrants, messengers and communities. Each
reads the last stored analysis, paged in SQL; none recomputes the network. When the
network has changed since, the page says so and queues a run for the worker."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render

from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.models import Membership
from bellwether.core.models import Organisation
from bellwether.influence import access, forms, network, selectors, services
from bellwether.people import selectors as people_selectors


def analysis_status(
    membership: Membership, found: selectors.AnalysisStatus | None = None
) -> dict[str, Any]:
    """The last analysis, whether it matches the network as it is now and the worker's
    progress; queues a run when nothing is finished, waiting or failed for this version.
    A page that may answer 404 reads ``found`` first and calls this only once it knows
    it will answer, so that a refused request queues nothing."""
    organisation = membership.organisation
    status = found if found is not None else selectors.analysis_status(organisation)
    queued = status.needs_run
    if queued:
        services.request_analysis(organisation=organisation)
    return {
        "run": status.run,
        "stale": status.stale,
        "pending": status.pending,
        "failed": status.failed,
        "queued": queued,
        "can_edit": access.EDIT_MAP.allows(membership),
    }


@page(access.VIEW_MAP)
def home(request: MemberRequest) -> HttpResponse:
    """The network picture (drawn by the browser from ``network_data``, one slice at a
    time) and the list of communities."""
    membership = request.membership
    organisation = membership.organisation
    status = analysis_status(membership)
    form = forms.NetworkFilterForm(request.GET or None)
    chosen = None
    if form.is_bound and form.is_valid():
        chosen = people_selectors.unit_named(organisation, form.cleaned_data["unit"])
    run = status["run"]
    listing = selectors.paged(
        selectors.communities(run), request.GET.get("cpage"), selectors.COMMUNITIES_PER_PAGE
    )
    central = {pk for row in listing for pk in row.central}
    names = selectors.names_of(organisation, central)
    brokers = _brokers(membership, run)
    counts = (run.results.get("counts", {}) if run is not None else {}) or {}
    return render(
        request,
        "influence/home.html",
        {
            **status,
            "form": form,
            "chosen_unit": chosen,
            "communities": listing,
            "community_rows": [
                (row, [(pk, names[pk]) for pk in row.central if pk in names]) for row in listing
            ],
            "brokers": brokers,
            "legend": [
                (network.band_name(key), colour) for key, colour in selectors.BAND_COLOURS.items()
            ],
            "counts": counts,
            "slice_limit": selectors.MAX_SLICE,
        },
    )


def _brokers(membership: Membership, run: Any) -> list[tuple[int, str]]:
    if run is None:
        return []
    ids = [int(pk) for pk in run.results.get("brokers", [])][:10]
    names = selectors.names_of(membership.organisation, set(ids))
    return [(pk, names[pk]) for pk in ids if pk in names]


def _unit_id(organisation: Organisation, text: str) -> int | None:
    """The unit a filter names (code or id); 0, which no unit has, for an unknown one
    (the slice answers 404), None for none."""
    if not text:
        return None
    found = people_selectors.unit_named(organisation, text)
    return found.pk if found is not None else 0


@page(access.VIEW_MAP)
def network_data(request: MemberRequest) -> JsonResponse:
    """One bounded slice of the network as Cytoscape elements: the whole map when it is
    small, its communities when it is large, or the leaders of a unit, a community or a
    search (``unit``, ``community``, ``level``, ``q``, ``page``)."""
    membership = request.membership
    organisation = membership.organisation
    form = forms.NetworkFilterForm(request.GET)
    if not form.is_valid():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        return JsonResponse(
            {"error": {"code": "invalid", "message": "Check the filter.", "fields": fields}},
            status=400,
        )
    data = form.cleaned_data
    community = data["community"]
    wanted = selectors.SliceFilter(
        unit_id=_unit_id(organisation, data["unit"]),
        community=None if community is None else community - 1,
        level=data["level"],
        query=data["q"],
        page=data["page"] or 1,
    )
    run = selectors.latest_analysis(organisation)
    try:
        found = selectors.network_slice(organisation, run, wanted)
    except selectors.SliceError as exc:
        return JsonResponse({"error": {"code": "not_found", "message": str(exc)}}, status=404)
    return JsonResponse(found)


@page(access.VIEW_MAP)
def grid(request: MemberRequest) -> HttpResponse:
    """The engagement × influence grid as a chart (one bubble per band and index) and
    the first leaders of each quadrant, each list opening in full, paged."""
    membership = request.membership
    status = analysis_status(membership)
    run = status["run"]
    band_order = {key: position for position, key in enumerate(reversed(network.BAND_KEYS))}
    points = [
        {
            "x": band_order[band] + 1,
            "y": round(index, 1),
            "n": n,
            "band": network.band_name(band),
            "colour": selectors.BAND_COLOURS.get(band, selectors.BAND_COLOURS[None]),
        }
        for band, index, n in selectors.grid_points(run)
        if band in band_order
    ]
    counts = selectors.quadrant_counts(run)
    preview = selectors.QUADRANT_PREVIEW
    quadrants = [
        (
            quadrant,
            counts[quadrant],
            list(selectors.quadrant_members(run, quadrant)[:preview]) if counts[quadrant] else [],
        )
        for quadrant in network.QUADRANTS
    ]
    not_assessed = counts[selectors.NOT_ASSESSED]
    chart = {
        "points": points,
        "bands": [network.band_name(key) for key in reversed(network.BAND_KEYS)],
        "threshold": network.INFLUENTIAL_THRESHOLD,
        # Between Cautious (3) and Supporter (4) on the axis.
        "engaged_from": len(network.BAND_KEYS) - len(network.ENGAGED_BANDS) + 0.5,
    }
    return render(
        request,
        "influence/grid.html",
        {
            **status,
            "chart": chart,
            "grid_rows": [(p["band"], p["y"], p["n"]) for p in points],
            "quadrants": quadrants,
            "preview": preview,
            "not_assessed": not_assessed,
            "not_assessed_first": list(
                selectors.quadrant_members(run, selectors.NOT_ASSESSED)[:preview]
            )
            if not_assessed
            else [],
            "not_assessed_key": selectors.NOT_ASSESSED,
            "rules": network.RULES,
            "threshold": network.INFLUENTIAL_THRESHOLD,
        },
    )


QUADRANT_SLUGS = {q.replace(" ", "-"): q for q in network.QUADRANTS}


@page(access.VIEW_MAP)
def grid_quadrant(request: MemberRequest, quadrant: str) -> HttpResponse:
    """Every leader of one quadrant (or not assessed), most influential first, paged."""
    membership = request.membership
    if quadrant == selectors.NOT_ASSESSED:
        title, key = "Not assessed", selectors.NOT_ASSESSED
    elif quadrant in QUADRANT_SLUGS:
        key = QUADRANT_SLUGS[quadrant]
        title = key.capitalize()
    else:
        raise Http404("There is no such quadrant.")
    status = analysis_status(membership)
    query = request.GET.get("q", "").strip()[:100]
    rows = selectors.quadrant_members(status["run"], key)
    if query:
        rows = rows.filter(person__name__icontains=query)
    return render(
        request,
        "influence/grid_quadrant.html",
        {
            **status,
            "title": title,
            "query": query,
            "page": selectors.paged(rows, request.GET.get("page")),
        },
    )


@page(access.VIEW_MAP)
def messenger_list(request: MemberRequest) -> HttpResponse:
    """For each Cautious, Skeptical or Resistant leader, the best messengers and why
    (as the last analysis found them), paged, with a search and a band filter."""
    membership = request.membership
    status = analysis_status(membership)
    query = request.GET.get("q", "").strip()[:100]
    band = request.GET.get("band", "")
    rows = selectors.messenger_targets(status["run"], query=query, band=band)
    listing = selectors.paged(rows, request.GET.get("page"))
    return render(
        request,
        "influence/messengers.html",
        {
            **status,
            "page": listing,
            "targets": [(row, network.band_name(row.band_key)) for row in listing],
            "query": query,
            "band": band,
            "bands": [
                (key, network.band_name(key))
                for key in network.BAND_KEYS
                if key in network.NOT_YET_ENGAGED_BANDS
            ],
        },
    )


@page(access.VIEW_MAP)
def community_detail(request: MemberRequest, number: int) -> HttpResponse:
    """One community of the last analysis: its size, band mix, the communities it is
    most tied to, and its members (most central first), paged."""
    membership = request.membership
    current = selectors.analysis_status(membership.organisation)
    run = current.run
    found = selectors.community(run, number - 1)
    if found is None:
        raise Http404("There is no such community in the latest analytics.")
    status = analysis_status(membership, current)
    listing = selectors.paged(
        selectors.community_members(run, found.number), request.GET.get("page")
    )
    bands = sorted(
        ((network.band_name(key or None), n) for key, n in found.bands.items()),
        key=lambda item: -item[1],
    )
    links = sorted(found.links.items(), key=lambda item: (-item[1], int(item[0])))[:10]
    return render(
        request,
        "influence/community.html",
        {
            **status,
            "community": found,
            "label": found.number + 1,
            "bands": bands,
            "links": [(int(other) + 1, weight) for other, weight in links],
            "page": listing,
        },
    )
