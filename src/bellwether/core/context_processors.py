"""Navigation for the base layout, decided by the permission module."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from bellwether.assessments import access as assessments_access
from bellwether.engagement import access as engagement_access
from bellwether.influence import access as influence_access
from bellwether.initiatives import access as initiatives_access
from bellwether.people import access as people_access
from bellwether.surveys import access as surveys_access


def navigation(request: HttpRequest) -> dict[str, Any]:
    membership = getattr(request, "membership", None)
    if membership is None:
        return {"nav_items": [], "membership": None}
    items: list[tuple[str, str]] = [("Home", reverse("core:home"))]
    if people_access.can_browse_people(membership):
        items.append(("People", reverse("people:list")))
    if people_access.can_view_org_chart(membership):
        items.append(("Org chart", reverse("people:org_chart")))
    if people_access.can_import_people(membership):
        items.append(("Import", reverse("people:import")))
    if assessments_access.can_view_readiness(membership):
        items.append(("Readiness", reverse("assessments:home")))
    if influence_access.can_view_influence_map(membership):
        items.append(("Influence", reverse("influence:home")))
    if engagement_access.can_view_engagement_plans(membership):
        items.append(("Plans", reverse("engagement:home")))
    if initiatives_access.can_view_initiatives(membership):
        items.append(("Initiatives", reverse("initiatives:portfolio")))
    if surveys_access.can_view_survey_results_page(membership):
        items.append(("Surveys", reverse("surveys:campaigns")))
    if people_access.can_view_framework(membership):
        items.append(("Framework", reverse("framework:catalogue")))
    if people_access.can_manage_members(membership):
        items.append(("Members", reverse("accounts:members")))
    if people_access.can_view_audit_log(membership):
        items.append(("Audit log", reverse("core:audit_log")))
    current = request.path
    # The item whose address is the longest prefix of this page is the current one
    # (Import lives under /people/ but is not People).
    matches = [
        url for _, url in items if current == url or (url != "/" and current.startswith(url))
    ]
    active = max(matches, key=len) if matches else None
    nav = [{"label": label, "url": url, "active": url == active} for label, url in items]
    return {"nav_items": nav, "membership": membership}
