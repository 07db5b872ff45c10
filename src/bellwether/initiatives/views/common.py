"""What the initiatives pages share: the initiative page's context, the form page of the
package's registers and how a refused form is shown."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from bellwether.accounts.access import MemberRequest
from bellwether.accounts.models import Membership
from bellwether.core.forms import saved
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives import access, forms, selectors
from bellwether.initiatives import alignment as rules
from bellwether.initiatives.models import RACI_ACTIVITIES, STAGE_CHOICES, Initiative


def detail_context(
    request: MemberRequest, membership: Membership, initiative: Initiative
) -> dict[str, Any]:
    package = selectors.initiative_package(initiative)
    executive = access.ENDORSE_GATES.allows(membership, initiative)
    mine = {
        p.element: p
        for p in package.positions
        if membership.person_id is not None and p.executive_id == membership.person_id
    }
    charts = [
        {
            "id": v.metric.pk,
            "name": v.metric.name,
            "unit": v.metric.unit,
            "baseline": v.metric.baseline_value,
            "target": v.metric.target,
            "guardrail": v.metric.guardrail,
            "points": v.series,
        }
        for v in package.metrics
    ]
    return {
        "initiative": initiative,
        "p": package,
        "charts": charts,
        "can_edit": access.EDIT_INITIATIVE.allows(membership, initiative),
        "can_change_stage": access.CHANGE_STAGE.allows(membership, initiative),
        "is_executive": executive,
        "my_positions": mine,
        "required_ids": {person.pk for person in package.signatories},
        "not_signed": [s.person for s in package.signers if not s.signed],
        "stage_form": forms.StageForm(initial={"stage": initiative.stage}),
        "csv_form": forms.MeasurementCsvForm(),
        "teams": selectors.bottleneck_teams(membership.organisation),
        "raci_activities": RACI_ACTIVITIES,
        "raci_rows": [
            (name, initiative.raci[key])
            for key, name in RACI_ACTIVITIES.items()
            if key in (initiative.raci or {})
        ],
        "before_after": [
            (d, initiative.before_after.get(d.key, {})) for d in CATALOGUE.before_after
        ],
        "elements": CATALOGUE.alignment_elements,
        "now": timezone.now(),
        "adoption_chart": adoption_chart(package),
    }


def adoption_chart(package: selectors.InitiativePackage) -> dict[str, Any]:
    """Acceptance and override rates per cohort by week, for initiative.js."""
    weeks = sorted({s.week for s in package.adoption})
    series: dict[str, dict[str, dict[int, float | None]]] = {}
    for s in package.adoption:
        cohort = series.setdefault(s.cohort, {"acceptance": {}, "override": {}, "users": {}})
        # A week without suggestions has no rate: a gap in the line, not a fall to 0%.
        cohort["acceptance"][s.week] = _rounded(s.acceptance_rate)
        cohort["override"][s.week] = _rounded(s.override_rate)
        cohort["users"][s.week] = s.active_users
    names = {"early_adopters": "Early adopters", "majority": "Majority"}
    return {
        "weeks": weeks,
        "initial_weeks": rules.MAJORITY_WALL.initial_weeks,
        "wall_weeks": list(package.majority_wall.weeks),
        "cohorts": [
            {
                "key": key,
                "name": names.get(key, key),
                "acceptance": [values["acceptance"].get(w) for w in weeks],
                "override": [values["override"].get(w) for w in weeks],
                "users": [values["users"].get(w) for w in weeks],
            }
            for key, values in sorted(series.items())
        ],
    }


def note_stage_drop(request: MemberRequest, initiative: Initiative) -> None:
    """After a saved edit: say so when it took the initiative back from scale-ready (the
    services drop the stage when the rule no longer holds; ``initiative`` is as it was
    before the edit)."""
    now = selectors.stage_of(initiative)
    if now != initiative.stage:
        names = dict(STAGE_CHOICES)
        messages.warning(
            request,
            f"“{initiative.name}” no longer meets the rule for {names[initiative.stage]} and is "
            f"back to {names[now]}. What is missing is listed under Stage and readiness.",
        )


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def form_page(
    request: MemberRequest,
    initiative: Initiative,
    form: Any,
    *,
    heading: str,
    submit: str,
    anchor: str,
    intro: str = "",
    groups: list[tuple[str, list[Any]]] | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "initiatives/form_page.html",
        {
            "initiative": initiative,
            "form": form,
            "heading": heading,
            "submit": submit,
            "anchor": anchor,
            "intro": intro,
            "groups": groups,
        },
        status=status,
    )


def register_page(
    request: MemberRequest,
    initiative: Initiative,
    form: Any,
    save: Callable[[], object],
    *,
    message: str | Callable[[Any], str],
    heading: str,
    submit: str,
    anchor: str,
    intro: str = "",
    groups: list[tuple[str, list[Any]]] | None = None,
    on_error: Callable[[], object] | None = None,
) -> HttpResponse:
    """One register's form page: saved and back to its section of the initiative page, or
    the form again (400 when refused)."""
    to = reverse("initiatives:detail", kwargs={"pk": initiative.pk}) + anchor
    done = saved(request, form, save, message=message, to=to, on_error=on_error)
    if done is not None:
        return done
    return form_page(
        request,
        initiative,
        form,
        heading=heading,
        submit=submit,
        anchor=anchor,
        intro=intro,
        groups=groups,
        status=invalid_status(request, form),
    )


def invalid_status(request: MemberRequest, form: Any) -> int:
    """400 for a refused submission, so nothing looks saved."""
    return 400 if request.method == "POST" and form.errors else 200
