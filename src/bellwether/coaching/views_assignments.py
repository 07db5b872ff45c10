"""The admin's assignment screen: coaches and reviewers for leaders, one or a list at a
time or from a CSV; capacity; external coaches; the history of reassignments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.coaching import access, forms, selectors, services
from bellwether.coaching.models import AssignmentKind
from bellwether.core.access import refuse
from bellwether.core.forms import announce, confirmation, form_status, submit
from bellwether.core.pages import posted_form
from bellwether.core.tabular import ImportResult


def _assign_form(request: MemberRequest, data: Any = None) -> forms.AssignForm:
    organisation = request.membership.organisation
    rows = selectors.assignees(organisation)
    return forms.AssignForm(
        data,
        assignees=[
            (
                row.membership.pk,
                f"{row.membership.user.email} ({'coach' if row.kind == AssignmentKind.COACHEE else 'reviewer'})",
            )
            for row in rows
        ],
        leaders=selectors.leaders_to_assign(organisation),
    )


def _render(
    request: MemberRequest,
    form: forms.AssignForm,
    *,
    result: ImportResult | None = None,
    status: int = 200,
) -> HttpResponse:
    organisation = request.membership.organisation
    return render(
        request,
        "coaching/assignments.html",
        {
            "form": form,
            "import_form": forms.ImportForm(),
            "invite_form": forms.InviteCoachForm(),
            "assignees": selectors.assignees(organisation),
            "open": list(selectors.open_assignments(organisation)),
            "history": selectors.assignment_history(organisation),
            "result": result,
        },
        status=status,
    )


@page(access.MANAGE_ASSIGNMENTS, methods=["GET", "POST"])
def assignments(request: MemberRequest) -> HttpResponse:
    """Assign one coach or reviewer to one leader or a list of them."""
    if request.method != "POST":
        return _render(request, _assign_form(request))
    form = _assign_form(request, request.POST)
    if form.is_valid():
        organisation = request.membership.organisation
        data = form.cleaned_data
        member = selectors.assignable_member(organisation, data["membership"])
        people = selectors.people_by_id(organisation, [p.pk for p in data["people"]])
        changed = (
            submit(
                form,
                lambda: services.assign(
                    organisation=organisation,
                    actor=request.membership,
                    membership=member,
                    people=people,
                    kind=data["kind"],
                ),
                field_map={"membership": "membership", "people": "people"},
            )
            if member is not None
            else None
        )
        if changed is not None:
            messages.success(request, f"{changed} assignment{'s' if changed != 1 else ''} made.")
            return redirect("coaching:assignments")
    return _render(request, form, status=form_status(form))


@page(access.MANAGE_ASSIGNMENTS, methods=["POST"])
def import_csv(request: MemberRequest) -> HttpResponse:
    """Assignments from a CSV or XLSX: every row's problem with its line, or all saved."""
    form = forms.ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Choose a CSV or XLSX file.")
        return redirect("coaching:assignments")
    upload = form.cleaned_data["file"]
    result = services.import_assignments(
        organisation=request.membership.organisation,
        actor=request.membership,
        content=upload.read(),
        filename=upload.name,
    )
    if result.ok:
        messages.success(request, f"{result.created} assignments made from {result.total} rows.")
        return redirect("coaching:assignments")
    return _render(request, _assign_form(request), result=result, status=400)


@page(access.MANAGE_ASSIGNMENTS, methods=["POST"])
def end(request: MemberRequest, pk: int) -> HttpResponse:
    form = forms.EndAssignmentForm(request.POST)
    reason = form.data.get("reason", "")
    if not selectors.open_assignments(request.membership.organisation).filter(pk=pk).exists():
        refuse(
            request,
            request.membership,
            rule=access.MANAGE_ASSIGNMENTS.name,
            target=f"assignment {pk}",
            not_found=True,
        )
    asked = confirmation(
        request,
        question="End this assignment?",
        consequence="The coach or reviewer stops working with this leader now; the "
        "history keeps the assignment. To undo, assign them again.",
        back=reverse("coaching:assignments"),
        confirm_label="End the assignment",
    )
    if asked is not None:
        return asked
    announce(
        request,
        lambda: services.end_assignment(
            organisation=request.membership.organisation,
            actor=request.membership,
            record_id=pk,
            reason=str(reason),
        ),
        "Assignment ended.",
    )
    return redirect("coaching:assignments")


@page(access.MANAGE_ASSIGNMENTS, methods=["POST"])
def capacity(request: MemberRequest, pk: int) -> HttpResponse:
    organisation = request.membership.organisation
    member = access.get_assignee_for(request, request.membership, pk)
    form = forms.CapacityForm(request.POST)
    return posted_form(
        request,
        form,
        lambda: services.set_capacity(
            organisation=organisation,
            actor=request.membership,
            membership=member,
            capacity=form.cleaned_data["capacity"],
        ),
        title=f"{member.user}'s capacity",
        back=reverse("coaching:assignments"),
        success=f"{member.user}'s capacity is saved.",
    )


@page(access.MANAGE_ASSIGNMENTS, methods=["POST"])
def invite(request: MemberRequest) -> HttpResponse:
    """Invite an external coach (coach role only); assign them once they accept."""
    form = forms.InviteCoachForm(request.POST)
    return posted_form(
        request,
        form,
        lambda: services.invite_external_coach(
            organisation=request.membership.organisation,
            actor=request.membership,
            email=form.cleaned_data["email"],
            capacity=form.cleaned_data["capacity"],
        ),
        title="Invite an external coach",
        back=reverse("coaching:assignments"),
        success=lambda _: (
            f"{form.cleaned_data['email']} is invited as an external coach. "
            "Assign leaders once they accept."
        ),
    )
