"""The package's registers, one form page each: metrics, change impacts, decision rights,
RACI, the before/after view and the adoption curve."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

from bellwether.accounts.access import MemberRequest, page
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives import access, forms, services
from bellwether.initiatives.access import PartT
from bellwether.initiatives.models import (
    RACI_ACTIVITIES,
    RACI_ROLES,
    ChangeImpact,
    DecisionRight,
    Metric,
)
from bellwether.initiatives.views.common import register_page


@dataclass(frozen=True)
class Wording:
    """What a register's form page says. ``{it}`` in the heading or the message is the
    entry edited (the message is formed after the save)."""

    heading: str
    submit: str
    message: str
    intro: str = ""


def add_page(
    request: MemberRequest,
    pk: int,
    form_class: type[Any],
    add: Callable[..., object],
    wording: Wording,
    *,
    anchor: str,
    **form_kwargs: Any,
) -> HttpResponse:
    """Register a new entry in one of the package's registers with ``add``."""
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = form_class(request.POST or None, **form_kwargs)
    return register_page(
        request,
        initiative,
        form,
        lambda: add(initiative=initiative, actor=membership.user, **form.cleaned_data),
        message=wording.message,
        heading=wording.heading,
        submit=wording.submit,
        anchor=anchor,
        intro=wording.intro,
    )


def edit_page(
    request: MemberRequest,
    pk: int,
    model: type[PartT],
    part_pk: int,
    form_class: type[Any],
    wording: Wording,
    *,
    anchor: str,
    **form_kwargs: Any,
) -> HttpResponse:
    """Edit an entry of one of the package's registers; the form starts from its fields as
    they are stored."""
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    part = access.get_part_for(request, membership, initiative, model, part_pk)
    initial = {f: getattr(part, f) for f in form_class.base_fields}
    form = form_class(request.POST or None, initial=initial, **form_kwargs)
    return register_page(
        request,
        initiative,
        form,
        lambda: services.update_part(part=part, actor=membership.user, changes=form.cleaned_data),
        on_error=part.refresh_from_db,
        message=lambda: wording.message.format(it=part),
        heading=wording.heading.format(it=part),
        submit=wording.submit,
        anchor=anchor,
        intro=wording.intro,
    )


METRIC_EDIT = Wording(
    heading="edit the metric “{it.name}”",
    submit="Save the metric",
    message="The metric “{it.name}” is saved.",
)
IMPACT_NEW = Wording(
    heading="register a change impact",
    submit="Register the impact",
    message="The change impact is registered.",
    intro="One of the four predictable impacts of AI on the organisation, who it "
    "affects, who owns it and how it is mitigated.",
)
IMPACT_EDIT = Wording(
    heading="edit a change impact",
    submit="Save the impact",
    message="The change impact is saved.",
    intro="Set the status to “Mitigated” to close the impact.",
)
RIGHT_NEW = Wording(
    heading="register a decision right",
    submit="Register the decision right",
    message="The decision right is registered.",
    intro="A decision the initiative changes: who decides before and after, whether the "
    "AI is advisory or binding, who is accountable and how overrides are handled.",
)
RIGHT_EDIT = Wording(
    heading="edit a decision right",
    submit="Save the decision right",
    message="The decision right is saved.",
)


@page(access.VIEW_INITIATIVES)
def metric_edit(request: MemberRequest, pk: int, metric_pk: int) -> HttpResponse:
    return edit_page(
        request, pk, Metric, metric_pk, forms.MetricForm, METRIC_EDIT, anchor="#metrics"
    )


@page(access.VIEW_INITIATIVES)
def impact_new(request: MemberRequest, pk: int) -> HttpResponse:
    return add_page(
        request,
        pk,
        forms.ChangeImpactForm,
        services.add_change_impact,
        IMPACT_NEW,
        anchor="#impacts",
        organisation_id=request.membership.organisation_id,
    )


@page(access.VIEW_INITIATIVES)
def impact_edit(request: MemberRequest, pk: int, impact_pk: int) -> HttpResponse:
    return edit_page(
        request,
        pk,
        ChangeImpact,
        impact_pk,
        forms.ChangeImpactForm,
        IMPACT_EDIT,
        anchor="#impacts",
        organisation_id=request.membership.organisation_id,
    )


@page(access.VIEW_INITIATIVES)
def right_new(request: MemberRequest, pk: int) -> HttpResponse:
    return add_page(
        request,
        pk,
        forms.DecisionRightForm,
        services.add_decision_right,
        RIGHT_NEW,
        anchor="#rights",
    )


@page(access.VIEW_INITIATIVES)
def right_edit(request: MemberRequest, pk: int, right_pk: int) -> HttpResponse:
    return edit_page(
        request, pk, DecisionRight, right_pk, forms.DecisionRightForm, RIGHT_EDIT, anchor="#rights"
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
