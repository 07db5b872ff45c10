"""The Framework page: the catalogue, readable by every member of the organisation."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from bellwether.accounts.access import MemberRequest, page
from bellwether.framework import catalogue as framework
from bellwether.framework.access import VIEW_CATALOGUE

# The page's table of contents: (anchor, heading). One section per part of the framework.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("outcomes", "Key outcomes"),
    ("readiness", "Readiness assessment (§1.1)"),
    ("influence", "Influence and barriers (§1.2–1.3)"),
    ("engagement", "Engagement plan (Template 1)"),
    ("vision", "Vision workshops (§2.1)"),
    ("learning", "Learning plans (§2.2, Template 3)"),
    ("communication", "Communication (§2.3, Template 2)"),
    ("coaching", "Coaching and peers (§3.1–3.2)"),
    ("behaviours", "Behaviours (§3.3)"),
    ("accountability", "Accountability (§4.1–4.3)"),
    ("kpis", "Success metrics"),
    ("alignment", "Initiative alignment"),
)


@page(VIEW_CATALOGUE)
def catalogue(request: MemberRequest) -> HttpResponse:
    data = framework.CATALOGUE
    context = {
        "catalogue": data,
        "sections": SECTIONS,
        # Lowest first, so the scale reads left to right like the score.
        "bands_ascending": tuple(reversed(data.instrument.bands)),
        "behaviours_by_frequency": framework.behaviours_by_frequency(),
        "instrument_items": len(framework.instrument_items()),
    }
    return render(request, "framework/catalogue.html", context)
