"""The package's registers, one form page each: metrics, change impacts, decision rights,
RACI, the before/after view and the adoption curve."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives import access, forms, services
from bellwether.initiatives.models import (
    RACI_ACTIVITIES,
    RACI_ROLES,
    ChangeImpact,
    DecisionRight,
    Metric,
)
from bellwether.initiatives.views.common import form_page, invalid_status


@page(access.VIEW_INITIATIVES)
def metric_edit(request: MemberRequest, pk: int, metric_pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    metric = access.get_part_for(request, membership, initiative, Metric, metric_pk)
    initial = {f: getattr(metric, f) for f in forms.MetricForm.base_fields}
    form = forms.MetricForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_metric(metric=metric, actor=membership.user, changes=form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
            metric.refresh_from_db()
        else:
            messages.success(request, f"The metric “{metric.name}” is saved.")
            return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#metrics")
    return form_page(
        request,
        initiative,
        form,
        heading=f"edit the metric “{metric.name}”",
        submit="Save the metric",
        anchor="#metrics",
        status=invalid_status(request, form),
    )


@page(access.VIEW_INITIATIVES)
def impact_new(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = forms.ChangeImpactForm(request.POST or None, organisation_id=membership.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_change_impact(
                initiative=initiative, actor=membership.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The change impact is registered.")
            return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#impacts")
    return form_page(
        request,
        initiative,
        form,
        heading="register a change impact",
        submit="Register the impact",
        anchor="#impacts",
        intro="One of the four predictable impacts of AI on the organisation, who it "
        "affects, who owns it and how it is mitigated.",
        status=invalid_status(request, form),
    )


@page(access.VIEW_INITIATIVES)
def impact_edit(request: MemberRequest, pk: int, impact_pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    impact = access.get_part_for(request, membership, initiative, ChangeImpact, impact_pk)
    form = forms.ChangeImpactForm(
        request.POST or None,
        organisation_id=membership.organisation_id,
        initial={
            "impact_type": impact.impact_type,
            "affected_group": impact.affected_group,
            "owner": impact.owner_id,
            "mitigation": impact.mitigation,
            "status": impact.status,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_change_impact(
                impact=impact, actor=membership.user, changes=form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The change impact is saved.")
            return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#impacts")
    return form_page(
        request,
        initiative,
        form,
        heading="edit a change impact",
        submit="Save the impact",
        anchor="#impacts",
        intro="Set the status to “Mitigated” to close the impact.",
        status=invalid_status(request, form),
    )


@page(access.VIEW_INITIATIVES)
def right_new(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = forms.DecisionRightForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_decision_right(
                initiative=initiative, actor=membership.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The decision right is registered.")
            return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#rights")
    return form_page(
        request,
        initiative,
        form,
        heading="register a decision right",
        submit="Register the decision right",
        anchor="#rights",
        intro="A decision the initiative changes: who decides before and after, whether the "
        "AI is advisory or binding, who is accountable and how overrides are handled.",
        status=invalid_status(request, form),
    )


@page(access.VIEW_INITIATIVES)
def right_edit(request: MemberRequest, pk: int, right_pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    right = access.get_part_for(request, membership, initiative, DecisionRight, right_pk)
    initial = {f: getattr(right, f) for f in forms.DecisionRightForm.base_fields}
    form = forms.DecisionRightForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_decision_right(
                right=right, actor=membership.user, changes=form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The decision right is saved.")
            return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#rights")
    return form_page(
        request,
        initiative,
        form,
        heading="edit a decision right",
        submit="Save the decision right",
        anchor="#rights",
        status=invalid_status(request, form),
    )


@page(access.VIEW_INITIATIVES)
def raci(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    initial = {
        f"{activity}__{role}": value
        for activity, roles in (initiative.raci or {}).items()
        for role, value in roles.items()
    }
    form = forms.RaciForm(request.POST or None, initial=initial, activities=RACI_ACTIVITIES)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_initiative(
                initiative=initiative, actor=membership.user, changes={"raci": form.raci()}
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The RACI is saved.")
            return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#model")
    groups = [
        (name, [form[f"{key}__{role}"] for role in RACI_ROLES])
        for key, name in RACI_ACTIVITIES.items()
    ]
    return form_page(
        request,
        initiative,
        form,
        heading="RACI",
        submit="Save the RACI",
        anchor="#model",
        intro="Who is responsible, accountable, consulted and informed for monitoring, "
        "incidents, retraining and change approval.",
        groups=groups,
        status=invalid_status(request, form),
    )


@page(access.VIEW_INITIATIVES)
def before_after(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    initial = {}
    for key, value in (initiative.before_after or {}).items():
        slug = key.replace(".", "_")
        initial[f"{slug}__before"] = value.get("before", "")
        initial[f"{slug}__after"] = value.get("after", "")
    form = forms.BeforeAfterForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.set_before_after(
                initiative=initiative, actor=membership.user, dimensions=form.dimensions()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The before/after view is saved.")
            return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#impacts")
    groups = []
    for d in CATALOGUE.before_after:
        slug = d.key.replace(".", "_")
        groups.append((d.name, [form[f"{slug}__before"], form[f"{slug}__after"]]))
    return form_page(
        request,
        initiative,
        form,
        heading="before and after",
        submit="Save the before/after view",
        anchor="#impacts",
        intro="How the initiative changes decision flow, accountability, work measurement, "
        "risk management and capacity constraints. Leave a dimension empty to show the "
        "framework's typical answer.",
        groups=groups,
        status=invalid_status(request, form),
    )


@page(access.VIEW_INITIATIVES)
def adoption(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = forms.AdoptionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_adoption(
                initiative=initiative, actor=membership.user, samples=[form.cleaned_data]
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            data = form.cleaned_data
            messages.success(
                request, f"Week {data['week']} of the {data['cohort'].replace('_', ' ')} is saved."
            )
            return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#adoption")
    return form_page(
        request,
        initiative,
        form,
        heading="record a week of adoption",
        submit="Save the week",
        anchor="#adoption",
        intro="Usage of one cohort for one week since launch. A week already recorded for "
        "the cohort is replaced.",
        status=invalid_status(request, form),
    )
