"""The organisation's pages: the portfolio, capacity caps, registering an initiative and
the decision log."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.forms import saved
from bellwether.initiatives import access, forms, selectors, services
from bellwether.initiatives.views.common import invalid_status


@page(access.VIEW_INITIATIVES)
def portfolio(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    rows = selectors.portfolio(access.visible_initiatives(membership))
    manage = access.MANAGE_INITIATIVES.allows(membership)
    return render(
        request,
        "initiatives/portfolio.html",
        {
            "by_stage": selectors.portfolio_by_stage(rows),
            "rows": rows,
            "alerts": [(r.initiative, a) for r in rows for a in r.alerts],
            "can_manage": manage,
            "capacity": selectors.capacity_load(membership.organisation) if manage else [],
            "org_alignment": (
                selectors.organisation_alignment(membership.organisation) if manage else None
            ),
        },
    )


@page(access.MANAGE_INITIATIVES)
def capacity(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    if request.method == "POST":
        if "create_defaults" in request.POST:
            services.ensure_bottleneck_teams(
                organisation=membership.organisation, actor=membership.user
            )
            messages.success(request, "The shared bottleneck teams are set up.")
            return redirect("initiatives:capacity")
        form = forms.CapForm(request.POST)
        if form.is_valid():
            team = access.get_team_for(request, membership, form.cleaned_data["team"])
            services.set_team_cap(team=team, actor=membership.user, cap=form.cleaned_data["cap"])
            messages.success(request, f"{team.name}'s cap is now {team.cap}.")
            return redirect("initiatives:capacity")
        messages.error(request, "Give a cap between 0 and 1000.")
    return render(
        request,
        "initiatives/capacity.html",
        {"loads": selectors.capacity_load(membership.organisation)},
    )


@page(access.MANAGE_INITIATIVES)
def new(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = forms.InitiativeForm(request.POST or None, organisation_id=membership.organisation_id)
    done = saved(
        request,
        form,
        lambda: services.create_initiative(
            organisation=membership.organisation, actor=membership.user, **form.cleaned_data
        ),
        message=lambda initiative: f"“{initiative.name}” is registered.",
        to=lambda initiative: reverse("initiatives:detail", kwargs={"pk": initiative.pk}),
    )
    if done is not None:
        return done
    return render(request, "initiatives/new.html", {"form": form})


DECISIONS_PER_PAGE = 25


@page(access.MANAGE_INITIATIVES)
def decisions(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    initiatives = selectors.initiative_choices(membership.organisation)
    request_form = forms.DecisionRequestForm(request.POST or None, initiatives=initiatives)
    done = saved(
        request,
        request_form,
        lambda: services.request_decision(
            organisation=membership.organisation,
            actor=membership.user,
            title=request_form.cleaned_data["title"],
            initiative=request_form.cleaned_data["initiative"],
        ),
        message="The decision is logged as requested.",
        to="initiatives:decisions",
    )
    if done is not None:
        return done
    filters = forms.DecisionFilterForm(
        request.GET or None,
        initiatives=list(initiatives.values_list("id", "name")),
        auto_id="filter_%s",
    )
    criteria = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    page = selectors.decision_log(
        membership.organisation,
        status=criteria.get("status") or "",
        initiative_id=criteria.get("initiative"),
        query=criteria.get("q") or "",
        page=request.GET.get("page") or 1,
        per_page=DECISIONS_PER_PAGE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "initiatives/decisions.html",
        {
            "page": page,
            "filters": filters,
            "request_form": request_form,
            "query": query.urlencode(),
            "ttd": selectors.time_to_decision(membership.organisation),
        },
        status=400 if request.method == "POST" else 200,
    )


@page(access.MANAGE_INITIATIVES)
def decision(request: MemberRequest, decision_pk: int) -> HttpResponse:
    membership = request.membership
    entry = access.get_decision_for(request, membership, decision_pk)
    form = forms.DecisionOutcomeForm(
        request.POST or None, organisation_id=membership.organisation_id
    )
    done = saved(
        request,
        form,
        lambda: services.record_decision(
            entry=entry,
            actor=membership.user,
            decided_by=form.cleaned_data["decided_by"],
            outcome=form.cleaned_data["outcome"],
        ),
        message="The decision is recorded.",
        to="initiatives:decisions",
    )
    if done is not None:
        return done
    return render(
        request,
        "initiatives/decision.html",
        {"entry": entry, "form": form},
        status=invalid_status(request, form),
    )
