"""Influence map pages: the network, the grid, messengers, the planner, ties and their
import, and a leader's profile. Thin: parse, ask ``permissions``, call a service or
selector, render. Nothing heavy runs here: the analytics and the planner run in the
worker, and the pages show their last result with its time."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.forms import confirmation, saved
from bellwether.influence import access, forms, network, planner, selectors, services
from bellwether.influence.models import METRIC_FIELDS, TEXT_FIELDS, PlannerRun, RunStatus

MAX_UPLOAD = 10 * 1024 * 1024


@page(access.EDIT_MAP, methods=["POST"])
def recompute(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    services.request_analysis(
        organisation=membership.organisation,
        actor=membership.user,
        force=True,
    )
    messages.success(request, "The analytics will be recomputed by the worker in a moment.")
    return redirect(request.POST.get("next") or reverse("influence:home"))


# --- planner ---------------------------------------------------------------------------------


def _plan_rows(run: PlannerRun | None) -> list[dict[str, Any]]:
    """The run's picks with each leader's name, title and band now (three queries)."""
    if run is None or not run.is_done:
        return []
    organisation = run.organisation
    ids = [pick["person_id"] for pick in run.results.get("picks", [])]
    people = {p.pk: p for p in selectors.leaders(organisation).filter(pk__in=ids)}
    bands = selectors.bands_for(organisation, ids)
    picks = []
    for pick in run.results.get("picks", []):
        person = people.get(pick["person_id"])
        picks.append(
            {
                **pick,
                "name": person.name if person else "(no longer on the map)",
                "band": network.band_name(bands.get(person.pk)) if person else "",
                "title": person.title if person else "",
            }
        )
    return picks


@page(access.VIEW_MAP)
def planner_page(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    organisation = membership.organisation
    can_edit = access.EDIT_MAP.allows(membership)
    form = forms.PlannerForm(request.POST or None)
    if request.method == "POST":
        access.EDIT_MAP.require(request, membership)
    done = saved(
        request,
        form,
        lambda: services.request_plan(
            organisation=organisation, actor=membership.user, k=form.cleaned_data["k"]
        ),
        to=lambda run: reverse("influence:planner_run", kwargs={"pk": run.pk}),
    )
    if done is not None:
        return done
    latest = selectors.latest_plan(organisation)
    return render(
        request,
        "influence/planner.html",
        {
            "form": form,
            "can_edit": can_edit,
            "latest": latest,
            "picks": _plan_rows(latest),
            "recent": list(selectors.planner_runs(organisation)[:10]),
            "assumptions": planner.ASSUMPTIONS,
            "current_version": selectors.current_version(organisation),
        },
    )


@page(access.VIEW_MAP)
def planner_run(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    run = access.get_planner_run_for(request, membership, pk)
    return render(
        request,
        "influence/planner_run.html",
        {
            "run": run,
            "picks": _plan_rows(run),
            "assumptions": planner.ASSUMPTIONS,
            "waiting": run.status in {RunStatus.PENDING, RunStatus.RUNNING},
            "current": run.version == selectors.current_version(run.organisation),
        },
    )


# --- ties --------------------------------------------------------------------------------------


@page(access.VIEW_MAP)
def tie_list(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    organisation = membership.organisation
    can_edit = access.EDIT_MAP.allows(membership)
    form = forms.TieForm(request.POST or None, organisation_id=organisation.pk)
    if request.method == "POST":
        access.EDIT_MAP.require(request, membership)
    done = saved(
        request,
        form,
        lambda: services.add_tie(
            organisation=organisation,
            actor=membership.user,
            source=form.cleaned_data["source"],
            target=form.cleaned_data["target"],
            strength=form.cleaned_data["strength"],
            note=form.cleaned_data["note"],
        ),
        message=lambda tie: f"Added: {tie}.",
        to="influence:ties",
    )
    if done is not None:
        return done
    query = request.GET.get("q", "").strip()[:100]
    listing = selectors.tie_page(organisation, query=query, number=request.GET.get("page"))
    return render(
        request,
        "influence/ties.html",
        {
            "form": form,
            "can_edit": can_edit,
            "ties": listing,
            "page": listing,
            "total": listing.paginator.count,
            "query": query,
        },
    )


@page(access.VIEW_MAP)
def tie_edit(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    tie = access.get_tie_for(request, membership, pk)
    access.EDIT_MAP.require(request, membership)
    form = forms.TieEditForm(
        request.POST or None, initial={"strength": tie.strength, "note": tie.note}
    )
    if request.method == "POST" and request.POST.get("action") == "delete":
        asked = confirmation(
            request,
            question=f"Remove the tie {tie.source.name} → {tie.target.name}?",
            consequence="It leaves the influence map and the network analytics are "
            "recomputed without it. To undo, add the tie again.",
            back=reverse("influence:tie_edit", args=[tie.pk]),
            confirm_label="Remove the tie",
        )
        if asked is not None:
            return asked
        services.remove_tie(tie=tie, actor=membership.user)
        messages.success(request, f"Removed: {tie.source} → {tie.target}.")
        return redirect("influence:ties")
    done = saved(
        request,
        form,
        lambda: services.update_tie(
            tie=tie,
            actor=membership.user,
            strength=form.cleaned_data["strength"],
            note=form.cleaned_data["note"],
        ),
        message=lambda _: f"Saved: {tie}.",
        to="influence:ties",
    )
    if done is not None:
        return done
    return render(request, "influence/tie_edit.html", {"tie": tie, "form": form})


@page(access.EDIT_MAP)
def tie_import(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = forms.ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            form.add_error("file", "The file is larger than 10 MB.")
        else:
            result = services.import_ties(
                organisation=membership.organisation,
                actor=membership.user,
                content=upload.read(),
                filename=upload.name or "upload.csv",
                dry_run=form.cleaned_data["dry_run"],
            )
    refused = request.method == "POST" and (result is None or not result.ok)
    return render(
        request,
        "influence/import.html",
        {"form": form, "result": result},
        status=400 if refused else 200,
    )


# --- profiles ----------------------------------------------------------------------------------


@page(access.OPEN_PROFILES)
def profile(request: MemberRequest, person_id: int) -> HttpResponse:
    membership = request.membership
    person = access.get_influence_person_for(request, membership, person_id)
    organisation = membership.organisation
    can_edit = access.EDIT_PROFILE.allows(membership, person)
    current = selectors.profile_for(organisation, person.pk)
    initial = current.values() if current is not None else {}
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST":
        access.EDIT_PROFILE.require(request, membership, person)
    done = saved(
        request,
        form,
        lambda: services.update_profile(
            organisation=organisation,
            actor=membership.user,
            person=person,
            values=form.cleaned_data,
        ),
        message=f"Saved {person.name}'s influence profile.",
        to=reverse("influence:profile", kwargs={"person_id": person.pk}),
    )
    if done is not None:
        return done
    labels = {**selectors.metric_labels(), **forms.TEXT_LABELS}
    revisions = []
    history = None
    if current is not None:
        history = selectors.paged(selectors.revisions_for(current), request.GET.get("page"))
        for revision in history:
            revisions.append(
                {
                    "revision": revision,
                    "changes": [
                        (labels.get(field, field), old or "—", new or "—")
                        for field, (old, new) in sorted(revision.changes.items())
                    ],
                }
            )
    return render(
        request,
        "influence/profile.html",
        {
            "person": person,
            "form": form,
            "can_edit": can_edit,
            "metric_fields": [form[field] for field in METRIC_FIELDS],
            "text_fields": [form[field] for field in TEXT_FIELDS],
            "index": network.influence_index(current.metrics()) if current else 0.0,
            "revisions": revisions,
            "page": history,
        },
    )
