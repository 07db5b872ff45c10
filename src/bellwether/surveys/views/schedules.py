"""Recurring pulses: the list, a new schedule, changing one, pausing and resuming.

The scheduler (``surveys/schedule.py``, run by ``bellwether run-due``) launches each
active schedule's campaign at the start of every period."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from bellwether.accounts.access import MemberRequest, page
from bellwether.core.forms import announce, form_status, submit
from bellwether.surveys import access, selectors, services
from bellwether.surveys.access import MANAGE_SURVEYS
from bellwether.surveys.forms import ScheduleForm
from bellwether.surveys.models import Schedule


def _settings(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "instrument": data["instrument"],
        "frequency": data["frequency"],
        "open_days": data["open_days"],
        "segments": list(data["segments"]),
        "org_unit_depth": data["org_unit_depth"],
    }


def _form_page(
    request: MemberRequest, form: ScheduleForm, schedule: Schedule | None
) -> HttpResponse:
    return render(
        request,
        "surveys/schedule_form.html",
        {"form": form, "schedule": schedule},
        status=form_status(form),
    )


@page(MANAGE_SURVEYS, methods=["GET"])
def schedule_list(request: MemberRequest) -> HttpResponse:
    organisation = request.membership.organisation
    return render(
        request,
        "surveys/schedule_list.html",
        {"schedules": list(selectors.schedules_of(organisation))},
    )


@page(MANAGE_SURVEYS, methods=["GET", "POST"])
def schedule_new(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = ScheduleForm(request.POST or None, membership=membership)
    if request.method == "POST" and form.is_valid():
        schedule = submit(
            form,
            lambda: services.create_schedule(
                organisation=membership.organisation,
                actor=membership.user,
                **_settings(form.cleaned_data),
            ),
        )
        if schedule is not None:
            messages.success(
                request, f"“{schedule}” is scheduled: the next run launches this period's pulse."
            )
            return redirect("surveys:schedules")
    return _form_page(request, form, None)


@page(MANAGE_SURVEYS, methods=["GET", "POST"])
def schedule_edit(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    schedule = access.get_schedule_for(request, membership, pk)
    initial = {
        "instrument": schedule.instrument,
        "frequency": schedule.frequency,
        "open_days": schedule.open_days,
        "segments": schedule.segments,
        "org_unit_depth": schedule.org_unit_depth,
    }
    form = ScheduleForm(request.POST or None, membership=membership, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed: Schedule | None = submit(
            form,
            lambda: services.update_schedule(
                schedule=schedule, actor=membership.user, **_settings(form.cleaned_data)
            ),
        )
        if changed is not None:
            messages.success(request, f"“{changed}” is saved.")
            return redirect("surveys:schedules")
    return _form_page(request, form, schedule)


@page(MANAGE_SURVEYS, methods=["POST"])
def schedule_active(request: MemberRequest, pk: int) -> HttpResponse:
    """Pause (``active=0``) or resume (``active=1``) a schedule."""
    membership = request.membership
    schedule = access.get_schedule_for(request, membership, pk)
    wanted = request.POST.get("active", "")
    if wanted not in {"0", "1"}:
        messages.error(request, "Choose to pause or to resume the schedule.")
        return redirect("surveys:schedules")
    active = wanted == "1"
    announce(
        request,
        lambda: services.set_schedule_active(
            schedule=schedule, actor=membership.user, active=active
        ),
        f"“{schedule}” is {'running again' if active else 'paused'}.",
    )
    return redirect("surveys:schedules")
