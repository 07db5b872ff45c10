"""Raters for many leaders of a cycle at once: by rule or from a rater list, previewed
(what will be added, what is left out and why), then applied all or nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from bellwether.accounts.access import MemberRequest, page
from bellwether.assessments import access, forms, services
from bellwether.assessments.bulk_raters import BulkPlan
from bellwether.assessments.models import ReadinessCycle
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error


def _render(
    request: MemberRequest,
    cycle: ReadinessCycle,
    *,
    rule_form: forms.BulkRuleForm | None = None,
    file_form: forms.RaterFileForm | None = None,
    plan: BulkPlan | None = None,
    source: str = "",
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "cycle": cycle,
        "rule_form": rule_form or forms.BulkRuleForm(membership=request.membership),
        "file_form": file_form or forms.RaterFileForm(),
        "plan": plan,
        "source": source,
        "open": not cycle.is_closed,
        "late": cycle.is_late(),
    }
    return render(request, "assessments/bulk_raters.html", context, status=status)


@page(access.MANAGE_READINESS)
@require_http_methods(["GET", "POST"])
def bulk_raters(request: MemberRequest, pk: int) -> HttpResponse:
    """An admin previews raters by rule or from a file, then applies the reviewed list."""
    membership = request.membership
    cycle = access.get_readiness_cycle_for(request, membership, pk)
    if request.method == "GET":
        return _render(request, cycle)
    action = request.POST.get("action", "")
    actor = membership.user
    if action == "apply":
        source = "file" if request.POST.get("source") == "file" else "rule"
        try:
            added = services.apply_bulk_raters(
                cycle=cycle, actor=actor, rows=request.POST.getlist("add"), source=source
            )
        except DomainError as error:
            messages.error(request, error.message)
            return _render(request, cycle, status=400)
        messages.success(request, f"{added} raters added and invited.")
        return redirect("assessments:cycle", pk=pk)
    if action == "preview_file":
        file_form = forms.RaterFileForm(request.POST, request.FILES)
        if not file_form.is_valid():
            return _render(request, cycle, file_form=file_form, status=400)
        upload = file_form.cleaned_data["file"]
        try:
            plan = services.plan_rater_file(
                cycle=cycle, actor=actor, content=upload.read(), filename=upload.name
            )
        except DomainError as error:
            add_domain_error(file_form, error)
            return _render(request, cycle, file_form=file_form, status=400)
        status = 400 if plan.errors else 200
        return _render(request, cycle, file_form=file_form, plan=plan, source="file", status=status)
    rule_form = forms.BulkRuleForm(request.POST, membership=membership)
    if not rule_form.is_valid():
        return _render(request, cycle, rule_form=rule_form, status=400)
    data = rule_form.cleaned_data
    try:
        plan = services.plan_by_rule(
            cycle=cycle,
            actor=actor,
            peers=data["peers"],
            manager=data["manager"],
            reports=data["reports"],
            org_unit=data["org_unit"],
        )
    except DomainError as error:
        add_domain_error(rule_form, error)
        return _render(request, cycle, rule_form=rule_form, status=400)
    return _render(request, cycle, rule_form=rule_form, plan=plan, source="rule")
