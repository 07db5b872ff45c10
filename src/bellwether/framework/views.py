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


# How each engagement rule's trigger reads (the catalogue names the trigger by a word).
TRIGGER_WORDS = {
    "barrier": "A barrier marked on the checklist",
    "concern": "A level concern",
    "band": "The readiness band",
    "failure_mode": "The failure mode",
    "influencer": "Someone who influences the leader is Skeptical or Resistant",
    "sponsor": "The leader is an executive sponsor (sponsors an AI initiative or has the role)",
    "driver": "A word in the leader's driver",
    "default": "No other rule chose a strategy",
}
SILENT_MATCHES = {"resistance", "yes"}  # said by the trigger's words already


def _when(rule: framework.EngagementRule) -> str:
    """A rule's condition in words: the trigger, then what it matches (labels)."""
    words = TRIGGER_WORDS.get(rule.trigger, rule.trigger)
    if rule.field:
        words += f" ({(framework.label(rule.field) or rule.field).lower()})"
    matches = [
        "not assessed" if m == "none" else framework.label(m) or m
        for m in rule.matches
        if m not in SILENT_MATCHES
    ]
    return f"{words}: {', '.join(matches)}" if matches else words


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
        "engagement_rules": [(rule, _when(rule)) for rule in data.engagement_rules],
    }
    return render(request, "framework/catalogue.html", context)
