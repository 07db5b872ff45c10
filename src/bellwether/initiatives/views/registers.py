"""The package's registers, one form page each: metrics, change impacts, decision rights,
RACI, the before/after view and the adoption curve."""

from __future__ import annotations

from django.http import HttpResponse

from bellwether.accounts.access import MemberRequest, page
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives import access, forms, services
from bellwether.initiatives.models import (
    RACI_ACTIVITIES,
    RACI_ROLES,
    ChangeImpact,
    DecisionRight,
    Metric,
)
from bellwether.initiatives.views.common import register_page


@page(access.VIEW_INITIATIVES)
def metric_edit(request: MemberRequest, pk: int, metric_pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    metric = access.get_part_for(request, membership, initiative, Metric, metric_pk)
    initial = {f: getattr(metric, f) for f in forms.MetricForm.base_fields}
    form = forms.MetricForm(request.POST or None, initial=initial)
    return register_page(
        request,
        initiative,
        form,
        lambda: services.update_metric(
            metric=metric, actor=membership.user, changes=form.cleaned_data
        ),
        on_error=metric.refresh_from_db,
        message=lambda: f"The metric “{metric.name}” is saved.",
        heading=f"edit the metric “{metric.name}”",
        submit="Save the metric",
        anchor="#metrics",
    )


@page(access.VIEW_INITIATIVES)
def impact_new(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = forms.ChangeImpactForm(request.POST or None, organisation_id=membership.organisation_id)
    return register_page(
        request,
        initiative,
        form,
        lambda: services.add_change_impact(
            initiative=initiative, actor=membership.user, **form.cleaned_data
        ),
        message="The change impact is registered.",
        heading="register a change impact",
        submit="Register the impact",
        anchor="#impacts",
        intro="One of the four predictable impacts of AI on the organisation, who it "
        "affects, who owns it and how it is mitigated.",
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
    return register_page(
        request,
        initiative,
        form,
        lambda: services.update_change_impact(
            impact=impact, actor=membership.user, changes=form.cleaned_data
        ),
        message="The change impact is saved.",
        heading="edit a change impact",
        submit="Save the impact",
        anchor="#impacts",
        intro="Set the status to “Mitigated” to close the impact.",
    )


@page(access.VIEW_INITIATIVES)
def right_new(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = forms.DecisionRightForm(request.POST or None)
    return register_page(
        request,
        initiative,
        form,
        lambda: services.add_decision_right(
            initiative=initiative, actor=membership.user, **form.cleaned_data
        ),
        message="The decision right is registered.",
        heading="register a decision right",
        submit="Register the decision right",
        anchor="#rights",
        intro="A decision the initiative changes: who decides before and after, whether the "
        "AI is advisory or binding, who is accountable and how overrides are handled.",
    )


@page(access.VIEW_INITIATIVES)
def right_edit(request: MemberRequest, pk: int, right_pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    right = access.get_part_for(request, membership, initiative, DecisionRight, right_pk)
    initial = {f: getattr(right, f) for f in forms.DecisionRightForm.base_fields}
    form = forms.DecisionRightForm(request.POST or None, initial=initial)
    return register_page(
        request,
        initiative,
        form,
        lambda: services.update_decision_right(
            right=right, actor=membership.user, changes=form.cleaned_data
        ),
        message="The decision right is saved.",
        heading="edit a decision right",
        submit="Save the decision right",
        anchor="#rights",
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
    groups = [
        (name, [form[f"{key}__{role}"] for role in RACI_ROLES])
        for key, name in RACI_ACTIVITIES.items()
    ]
    return register_page(
        request,
        initiative,
        form,
        lambda: services.update_initiative(
            initiative=initiative, actor=membership.user, changes={"raci": form.raci()}
        ),
        message="The RACI is saved.",
        heading="RACI",
        submit="Save the RACI",
        anchor="#model",
        intro="Who is responsible, accountable, consulted and informed for monitoring, "
        "incidents, retraining and change approval.",
        groups=groups,
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
    groups = []
    for d in CATALOGUE.before_after:
        slug = d.key.replace(".", "_")
        groups.append((d.name, [form[f"{slug}__before"], form[f"{slug}__after"]]))
    return register_page(
        request,
        initiative,
        form,
        lambda: services.set_before_after(
            initiative=initiative, actor=membership.user, dimensions=form.dimensions()
        ),
        message="The before/after view is saved.",
        heading="before and after",
        submit="Save the before/after view",
        anchor="#impacts",
        intro="How the initiative changes decision flow, accountability, work measurement, "
        "risk management and capacity constraints. Leave a dimension empty to show the "
        "framework's typical answer.",
        groups=groups,
    )


@page(access.VIEW_INITIATIVES)
def adoption(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = forms.AdoptionForm(request.POST or None)

    def saved_week() -> str:
        data = form.cleaned_data
        return f"Week {data['week']} of the {data['cohort'].replace('_', ' ')} is saved."

    return register_page(
        request,
        initiative,
        form,
        lambda: services.record_adoption(
            initiative=initiative, actor=membership.user, samples=[form.cleaned_data]
        ),
        message=saved_week,
        heading="record a week of adoption",
        submit="Save the week",
        anchor="#adoption",
        intro="Usage of one cohort for one week since launch. A week already recorded for "
        "the cohort is replaced.",
    )
