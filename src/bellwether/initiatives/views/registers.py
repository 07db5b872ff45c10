"""The package's registers, one form page each: metrics, change impacts, decision rights,
RACI, the before/after view and the adoption curve."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

from bellwether.accounts.access import MemberRequest, page
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives import access, forms, selectors, services
from bellwether.initiatives.models import (
    RACI_ACTIVITIES,
    RACI_ROLES,
    ChangeImpact,
    DecisionRight,
    Metric,
)
from bellwether.initiatives.views.common import note_stage_drop, register_page


@dataclass(frozen=True)
class Wording:
    """What a register's form page says. ``{it}`` in the heading or the message is the
    entry edited (the message is formed after the save)."""

    heading: str
    submit: str
    message: str
    intro: str = ""


@dataclass(frozen=True)
class Register:
    """One of the package's registers as its form pages see it."""

    model: type[Any]
    form_class: type[Any]
    anchor: str
    # The form offers the people of the member's organisation.
    by_organisation: bool = False

    def form(self, request: MemberRequest, **kwargs: Any) -> Any:
        if self.by_organisation:
            kwargs["organisation_id"] = request.membership.organisation_id
        return self.form_class(request.POST or None, **kwargs)


METRICS = Register(Metric, forms.MetricForm, "#metrics")
IMPACTS = Register(ChangeImpact, forms.ChangeImpactForm, "#impacts", by_organisation=True)
RIGHTS = Register(DecisionRight, forms.DecisionRightForm, "#rights")


def add_view(
    register: Register, add: Callable[..., object], wording: Wording
) -> Callable[..., HttpResponse]:
    """The page registering a new entry in ``register`` with the ``add`` service."""

    @page(access.VIEW_INITIATIVES)
    def view(request: MemberRequest, pk: int) -> HttpResponse:
        membership = request.membership
        initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
        form = register.form(request)
        return register_page(
            request,
            initiative,
            form,
            lambda: add(initiative=initiative, actor=membership.user, **form.cleaned_data),
            message=wording.message,
            heading=wording.heading,
            submit=wording.submit,
            anchor=register.anchor,
            intro=wording.intro,
        )

    return view


def edit_view(register: Register, wording: Wording) -> Callable[..., HttpResponse]:
    """The page editing an entry of ``register`` (its id is the URL's one other argument);
    the form starts from the entry's fields as they are stored."""

    @page(access.VIEW_INITIATIVES)
    def view(request: MemberRequest, pk: int, **entry: int) -> HttpResponse:
        membership = request.membership
        initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
        (part_pk,) = entry.values()
        part = access.get_part_for(request, membership, initiative, register.model, part_pk)
        initial = {f: getattr(part, f) for f in register.form_class.base_fields}
        form = register.form(request, initial=initial)

        def save() -> object:
            saved_part = services.update_part(
                part=part, actor=membership.user, changes=form.cleaned_data
            )
            note_stage_drop(request, initiative)
            return saved_part

        return register_page(
            request,
            initiative,
            form,
            save,
            on_error=part.refresh_from_db,
            message=lambda _: wording.message.format(it=part),
            heading=wording.heading.format(it=part),
            submit=wording.submit,
            anchor=register.anchor,
            intro=wording.intro,
        )

    return view


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


metric_edit = edit_view(METRICS, METRIC_EDIT)
impact_new = add_view(IMPACTS, services.add_change_impact, IMPACT_NEW)
impact_edit = edit_view(IMPACTS, IMPACT_EDIT)
right_new = add_view(RIGHTS, services.add_decision_right, RIGHT_NEW)
right_edit = edit_view(RIGHTS, RIGHT_EDIT)


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

    def saved_week(_: object) -> str:
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


@page(access.VIEW_INITIATIVES)
def signatories(request: MemberRequest, pk: int) -> HttpResponse:
    """Name the executives who must sign the package."""
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    package = selectors.initiative_package(initiative, series_days=0)
    form = forms.SignatoriesForm(
        request.POST or None,
        initial={"signatories": [p.pk for p in package.signatories]},
        executives=selectors.executives(membership.organisation),
    )
    return register_page(
        request,
        initiative,
        form,
        lambda: services.set_signatories(
            initiative=initiative,
            actor=membership.user,
            people=list(form.cleaned_data["signatories"]),
        ),
        message="The required signatories are saved.",
        heading="required signatories",
        submit="Save the signatories",
        anchor="#alignment",
        intro="The executives who must agree on the package's trade-offs. Alignment is the "
        "share of them who agree on every element: one who has not given a position counts "
        "as not aligned.",
    )
