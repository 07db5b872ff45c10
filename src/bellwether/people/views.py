"""Browsing people: the directory, the org chart and a person's page.

Thin views: parse the query string, ask ``access`` and ``selectors``, render.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render

from bellwether.accounts import access as accounts_access
from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.models import Membership
from bellwether.core import cursor
from bellwether.core import views as core_views
from bellwether.core.access import refuse
from bellwether.core.panels import person_panels
from bellwether.people import access, selectors
from bellwether.people.models import OrgUnit
from bellwether.people.selectors import (
    LEVEL_FILTER_LABELS,
    STATUS_FILTER_LABELS,
    LevelFilter,
    PeopleFilters,
    StatusFilter,
)

PEOPLE_PER_PAGE = 50
REPORTS_SHOWN = 25
CHILDREN_PER_PAGE = 100
# The unit filter lists the top levels only; deeper units are reached from the org chart.
UNIT_OPTION_MAX_DEPTH = 2
UNIT_OPTION_LIMIT = 500


class PeopleFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=200, label="Search")
    org_unit = forms.IntegerField(required=False, min_value=1, label="Org unit")
    manager = forms.IntegerField(required=False, min_value=1, label="Reports of")
    level = forms.ChoiceField(
        required=False,
        label="Leader level",
        choices=[("", "Everyone"), *((f.value, label) for f, label in LEVEL_FILTER_LABELS.items())],
    )
    status = forms.ChoiceField(
        required=False,
        label="Status",
        choices=[(s.value, label) for s, label in STATUS_FILTER_LABELS.items()],
    )


def _people_filters(form: PeopleFilterForm, membership: Membership) -> tuple[PeopleFilters, bool]:
    """The filters to apply, and whether any filter named something unknown (then
    nothing matches: silently dropping a filter would show the wrong people)."""
    form.is_valid()
    data: dict[str, Any] = getattr(form, "cleaned_data", {})
    unknown = bool(form.errors)
    org_unit: OrgUnit | None = None
    if data.get("org_unit"):
        org_unit = selectors.org_unit_in(membership.organisation, data["org_unit"])
        if org_unit is None:
            form.add_error("org_unit", "There is no such org unit.")
            unknown = True
    manager = None
    if data.get("manager"):
        manager = selectors.person_in(membership, data["manager"])
        if manager is None:
            form.add_error("manager", "There is no such person.")
            unknown = True
    level = data.get("level") or ""
    status = data.get("status") or StatusFilter.ACTIVE.value
    filters = PeopleFilters(
        q=(data.get("q") or "").strip(),
        org_unit=org_unit,
        manager=manager,
        level=LevelFilter(level) if level else None,
        status=StatusFilter(status),
    )
    return filters, unknown


def _unit_options(membership: Membership, selected: OrgUnit | None) -> list[dict[str, Any]]:
    units = selectors.top_units(
        membership.organisation, max_depth=UNIT_OPTION_MAX_DEPTH, limit=UNIT_OPTION_LIMIT
    )
    if selected is not None and all(u.pk != selected.pk for u in units):
        units.append(selected)
    return [
        {
            "id": u.pk,
            "label": "\u2003" * u.depth + u.name,
            "selected": selected is not None and u.pk == selected.pk,
        }
        for u in units
    ]


@page(access.BROWSE_PEOPLE, methods=["GET"])
def people_list(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = PeopleFilterForm(request.GET)
    filters, unknown = _people_filters(form, membership)
    people = selectors.people_for(membership, filters)
    if unknown:
        people = people.none()
    page: Any
    if request.GET.get("page"):
        # A page number (old links): OFFSET paging, slower the deeper it goes.
        page = Paginator(people, PEOPLE_PER_PAGE).get_page(request.GET.get("page"))
    else:
        try:
            page = cursor.html_page(
                people,
                order=selectors.PEOPLE_ORDER,
                limit=PEOPLE_PER_PAGE,
                query=request.GET,
                scope="people",
            )
        except cursor.CursorRefused as exc:
            return core_views.bad_request(request, message=exc.message)
    can_chart = access.VIEW_ORG_CHART.allows(membership)
    return render(
        request,
        "people/list.html",
        {
            "page": page,
            "form": form,
            "filters": filters,
            "unit_options": _unit_options(membership, filters.org_unit) if can_chart else [],
            "can_view_org_chart": can_chart,
            "level_choices": LEVEL_FILTER_LABELS.items(),
            "status_choices": STATUS_FILTER_LABELS.items(),
        },
    )


def _int_param(request: MemberRequest, name: str) -> int | None:
    """A positive id from the query string; a malformed one is a unit nobody has (404)."""
    raw = request.GET.get(name, "")
    if not raw:
        return None
    try:
        value = int(raw)
    except ValueError:
        refuse(
            request,
            request.membership,
            rule=access.VIEW_ORG_UNIT.name,
            target=f"org unit {raw[:20]}",
            not_found=True,
        )
    return value if value > 0 else None


@page(access.VIEW_ORG_CHART, methods=["GET"])
def org_chart(request: MemberRequest) -> HttpResponse:
    """The org chart, one level at a time.

    ``?children=<id>`` answers only the sub-units of one unit (the partial htmx
    loads when a node is opened); ``?unit=<id>`` centres the page on one unit,
    which is how the chart works without JavaScript.
    """
    membership = request.membership
    organisation = membership.organisation
    page_number = request.GET.get("page")

    children_of = _int_param(request, "children")
    if children_of is not None:
        parent = access.get_org_unit_for(request, membership, children_of)
        return render(
            request, "people/_org_items.html", _children_context(membership, parent, page_number)
        )

    unit_id = _int_param(request, "unit")
    focus = access.get_org_unit_for(request, membership, unit_id) if unit_id else None
    trail: list[OrgUnit] = selectors.unit_ancestors(focus)[:-1] if focus else []
    if focus is None:
        # A single root (the usual company) opens on its first level, not one lone node.
        roots = list(selectors.child_units(organisation, None)[:2])
        if len(roots) == 1:
            focus = roots[0]
    context: dict[str, Any] = {
        "focus": focus,
        "trail": trail,
        "unit_total": selectors.org_units_for(organisation).count(),
    }
    context.update(_children_context(membership, focus, page_number, with_parent=True))
    return render(request, "people/org_chart.html", context)


def _children_context(
    membership: Membership,
    parent: OrgUnit | None,
    page_number: str | None,
    *,
    with_parent: bool = False,
) -> dict[str, Any]:
    """One page of a unit's children as nodes; with ``with_parent`` also the unit's
    own node, counted in the same queries (its subtree holds the children's)."""
    units = selectors.child_units(membership.organisation, parent)
    page = Paginator(units, CHILDREN_PER_PAGE).get_page(page_number)
    wanted = list(page.object_list)
    if with_parent and parent is not None:
        wanted.insert(0, parent)
    nodes = selectors.unit_nodes(membership.organisation, wanted)
    focus_node = nodes.pop(0) if with_parent and parent is not None else None
    return {"parent": parent, "page": page, "nodes": nodes, "focus_node": focus_node}


@page(accounts_access.VIEW_HOME, methods=["GET"])
def person_detail(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    person = access.get_person_for(request, membership, pk)
    can_chart = access.VIEW_ORG_CHART.allows(membership)
    can_browse = access.BROWSE_PEOPLE.allows(membership)
    context: dict[str, Any] = {
        "person": person,
        "units": selectors.unit_ancestors(person.org_unit) if person.org_unit else [],
        "can_view_org_chart": can_chart,
        "can_browse_people": can_browse,
        "manager_visible": person.manager_id is not None
        and selectors.person_in(membership, person.manager_id) is not None,
        "show_hierarchy": can_chart,
        "show_roles": accounts_access.MANAGE_MEMBERS.allows(membership),
    }
    # The reporting lines beyond the person's own manager are the org structure,
    # which only those who may see the org chart are shown.
    if can_chart:
        context["chain"] = list(reversed(selectors.manager_chain(person)))
        reports = selectors.direct_reports(person)
        context["reports"] = list(reports[:REPORTS_SHOWN])
        context["report_count"] = (
            len(context["reports"]) if len(context["reports"]) < REPORTS_SHOWN else reports.count()
        )
    if context["show_roles"]:
        context["roles"] = selectors.account_roles(person)
    context["panels"] = person_panels(request=request, membership=membership, person=person)
    return render(request, "people/detail.html", context)


@page(access.SEARCH_PEOPLE, methods=["GET"])
def person_search(request: MemberRequest) -> HttpResponse:
    """The person pickers' type-ahead: JSON ``{"results": [...], "more": bool}``, a few
    active people the member may pick (``access.pickable_people``) matching ``q``
    (``leaders=1``: leaders). Each suggestion carries what the picker needs and no more:
    the value the field submits, the name and the unit; title and e-mail only for those
    who manage people (``access.picks_in_detail``)."""
    membership = request.membership
    found, more = selectors.picker_people(
        membership, request.GET.get("q", ""), leaders=request.GET.get("leaders") == "1"
    )
    detailed = access.picks_in_detail(membership)
    results = []
    for p in found:
        unit = p.org_unit.name if p.org_unit else ""
        row = {"value": p.email or p.employee_id, "name": p.name, "detail": unit}
        if detailed:
            row["detail"] = " · ".join(x for x in (p.title, unit) if x)
            row["email"] = p.email
        results.append(row)
    return JsonResponse({"results": results, "more": more})


@page(access.VIEW_ORG_CHART, methods=["GET"])
def unit_search(request: MemberRequest) -> HttpResponse:
    """The unit pickers' type-ahead (the person pickers' script, ``person_picker.js``):
    JSON ``{"results": [...], "more": bool}``, a few of the organisation's units matching
    ``q``. The value a picker submits is the unit's code; the detail its parent unit."""
    found, more = selectors.picker_units(request.membership.organisation, request.GET.get("q", ""))
    results = [
        {"value": u.code, "name": u.name, "detail": u.parent.name if u.parent else ""}
        for u in found
    ]
    return JsonResponse({"results": results, "more": more})
