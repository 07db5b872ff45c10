"""Pages for AI initiatives: the portfolio, capacity, an initiative's package and its
forms, and the PDF of the alignment package. Thin: parse, ask ``permissions``, call a
service or selector, render."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Model, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bellwether.accounts.models import Membership
from bellwether.core import exports
from bellwether.core import pdf as core_pdf
from bellwether.core.access import refuse, require
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error
from bellwether.framework.catalogue import CATALOGUE
from bellwether.initiatives import access, forms, selectors, services
from bellwether.initiatives import alignment as rules
from bellwether.initiatives.measurement_csv import MAX_BYTES as MAX_MEASUREMENTS_BYTES
from bellwether.initiatives.models import (
    RACI_ACTIVITIES,
    RACI_ROLES,
    BottleneckTeam,
    ChangeImpact,
    DecisionRight,
    GateReview,
    Initiative,
    Measurement,
    Metric,
)

PartT = TypeVar("PartT", bound=Model)


def _membership(request: HttpRequest) -> Membership | None:
    return getattr(request, "membership", None)


def _require_edit(request: HttpRequest, pk: int) -> tuple[Membership, Initiative]:
    membership = _membership(request)
    initiative = access.get_initiative_for(request, membership, pk)
    require(
        request,
        membership,
        access.can_edit_initiative(membership, initiative),
        rule="can_edit_initiative",
    )
    assert membership is not None
    return membership, initiative


def _part_or_404(
    request: HttpRequest,
    membership: Membership,
    rows: QuerySet[PartT],
    pk: int,
    *,
    check: str,
    label: str,
) -> PartT:
    """A part of the initiative (metric, impact, decision right) by id; otherwise 404."""
    part = rows.filter(pk=pk).first()
    if part is None:
        refuse(request, membership, rule=check, target=f"{label} {pk}", not_found=True)
    assert part is not None
    return part


# --- portfolio and capacity -------------------------------------------------------------------


@login_required
def portfolio(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(
        request,
        membership,
        access.can_view_initiatives(membership),
        rule="can_view_initiatives",
    )
    assert membership is not None
    rows = selectors.portfolio(access.visible_initiatives(membership, Initiative.objects.all()))
    manage = access.can_manage_initiatives(membership)
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


@login_required
def capacity(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    assert membership is not None
    if request.method == "POST":
        if "create_defaults" in request.POST:
            services.ensure_bottleneck_teams(
                organisation=membership.organisation, actor=membership.user
            )
            messages.success(request, "The shared bottleneck teams are set up.")
            return redirect("initiatives:capacity")
        form = forms.CapForm(request.POST)
        if form.is_valid():
            team = BottleneckTeam.objects.filter(
                organisation=membership.organisation, pk=form.cleaned_data["team"]
            ).first()
            if team is not None:
                services.set_team_cap(
                    team=team, actor=membership.user, cap=form.cleaned_data["cap"]
                )
                messages.success(request, f"{team.name}'s cap is now {team.cap}.")
                return redirect("initiatives:capacity")
        messages.error(request, "Give a cap between 0 and 1000.")
    return render(
        request,
        "initiatives/capacity.html",
        {"loads": selectors.capacity_load(membership.organisation)},
    )


@login_required
def new(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    assert membership is not None
    form = forms.InitiativeForm(request.POST or None, organisation_id=membership.organisation_id)
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.create_initiative(
                organisation=membership.organisation, actor=membership.user, **form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"“{initiative.name}” is registered.")
            return redirect("initiatives:detail", pk=initiative.pk)
    return render(request, "initiatives/new.html", {"form": form})


# --- one initiative ----------------------------------------------------------------------------


def _detail_context(
    request: HttpRequest, membership: Membership, initiative: Initiative
) -> dict[str, Any]:
    package = selectors.initiative_package(initiative)
    executive = access.can_endorse_gates(membership, initiative)
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
        "can_edit": access.can_edit_initiative(membership, initiative),
        "can_change_stage": access.can_change_initiative_stage(membership, initiative),
        "is_executive": executive,
        "my_positions": mine,
        "stage_form": forms.StageForm(initial={"stage": initiative.stage}),
        "csv_form": forms.MeasurementCsvForm(),
        "teams": BottleneckTeam.objects.filter(organisation=membership.organisation),
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
        "adoption_chart": _adoption_chart(package),
    }


def _adoption_chart(package: selectors.InitiativePackage) -> dict[str, Any]:
    """Acceptance and override rates per cohort by week, for initiative.js."""
    weeks = sorted({s.week for s in package.adoption})
    series: dict[str, dict[str, dict[int, float]]] = {}
    for s in package.adoption:
        cohort = series.setdefault(s.cohort, {"acceptance": {}, "override": {}, "users": {}})
        cohort["acceptance"][s.week] = round(s.acceptance_rate, 1)
        cohort["override"][s.week] = round(s.override_rate, 1)
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


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    initiative = access.get_initiative_for(request, membership, pk)
    assert membership is not None
    return render(
        request, "initiatives/detail.html", _detail_context(request, membership, initiative)
    )


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
    initial = {
        f: getattr(initiative, f) for f in forms.PackageForm.base_fields if not f.endswith("_owner")
    } | {
        "business_owner": initiative.business_owner_id,
        "model_owner": initiative.model_owner_id,
        "operational_owner": initiative.operational_owner_id,
    }
    form = forms.PackageForm(
        request.POST or None, initial=initial, organisation_id=membership.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_initiative(
                initiative=initiative, actor=membership.user, changes=form.cleaned_data
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The alignment package is saved.")
            return redirect("initiatives:detail", pk=initiative.pk)
    return render(request, "initiatives/edit.html", {"form": form, "initiative": initiative})


@login_required
def chain(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
    initial = {}
    for n, link in enumerate(initiative.chain.all(), start=1):
        initial[f"kind_{n}"], initial[f"text_{n}"] = link.kind, link.text
    form = forms.ChainForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            weaknesses = services.set_outcome_chain(
                initiative=initiative, actor=membership.user, links=form.links()
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The outcome chain is saved.")
            for reason in weaknesses:
                messages.warning(request, f"Weak chain: {reason}")
            return redirect("initiatives:detail", pk=initiative.pk)
    rows = [(form[f"kind_{n}"], form[f"text_{n}"]) for n in range(1, forms.CHAIN_ROWS + 1)]
    return render(
        request, "initiatives/chain.html", {"form": form, "rows": rows, "initiative": initiative}
    )


@login_required
def metric_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
    form = forms.MetricForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_metric(initiative=initiative, actor=membership.user, **form.cleaned_data)
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, f"The metric “{form.cleaned_data['name']}” is added.")
            return redirect("initiatives:detail", pk=initiative.pk)
    return render(request, "initiatives/metric_new.html", {"form": form, "initiative": initiative})


@login_required
@require_POST
def measurements(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
    try:
        if "file" in request.FILES:
            csv_form = forms.MeasurementCsvForm(request.POST, request.FILES)
            if not csv_form.is_valid():
                raise DomainError("Choose a CSV file.")
            upload = csv_form.cleaned_data["file"]
            if upload.size > MAX_MEASUREMENTS_BYTES:  # refused before it is read into memory
                raise DomainError("The file is larger than 20 MB; split it into several files.")
            result = services.import_measurements_csv(
                initiative=initiative, actor=membership.user, content=upload.read()
            )
        else:
            form = forms.MeasurementForm(request.POST)
            if not form.is_valid():
                raise DomainError("Give a date and time and a number.")
            when = form.cleaned_data["measured_at"]
            if timezone.is_naive(when):
                when = timezone.make_aware(when)
            result = services.record_measurements(
                initiative=initiative,
                actor=membership.user,
                points=[
                    services.MeasurementPoint(
                        form.cleaned_data["metric"], when, form.cleaned_data["value"]
                    )
                ],
                source=Measurement.Source.UI,
            )
    except DomainError as error:
        # Refused: the page again, with why, as a 400 (nothing was saved).
        messages.error(request, error.message)
        for field, problems in error.field_errors.items():
            messages.error(request, f"{field}: {' '.join(problems)}")
        context = _detail_context(request, membership, initiative)
        return render(request, "initiatives/detail.html", context, status=400)
    messages.success(
        request,
        f"Measurements: {result.created} new, {result.updated} corrected, "
        f"{result.unchanged} already recorded.",
    )
    return redirect(reverse("initiatives:detail", kwargs={"pk": initiative.pk}) + "#metrics")


@login_required
def gate(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    membership = _membership(request)
    initiative = access.get_initiative_for(request, membership, pk)
    assert membership is not None
    review = (
        GateReview.objects.filter(initiative=initiative, key=key)
        .select_related("endorsed_by")
        .first()
    )
    if review is None:
        refuse(request, membership, rule="gate", target=f"gate {key}", not_found=True)
    can_edit = access.can_edit_initiative(membership, initiative)
    is_executive = access.can_endorse_gates(membership, initiative)
    evidence = forms.EvidenceForm(
        initial={"text": review.evidence_text, "link": review.evidence_link}
    )
    waive = forms.WaiveForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        allowed = can_edit if action == "evidence" else is_executive
        require(request, membership, allowed, rule=f"gate.{action or 'none'}")
        try:
            if action == "evidence":
                evidence = forms.EvidenceForm(request.POST, request.FILES)
                if evidence.is_valid():
                    services.submit_gate_evidence(
                        gate=review,
                        actor=membership.user,
                        text=evidence.cleaned_data["text"],
                        link=evidence.cleaned_data["link"],
                        file=evidence.cleaned_data["file"],
                    )
                    messages.success(request, f"Evidence for {review.name} is submitted.")
                    return redirect("initiatives:detail", pk=initiative.pk)
            elif action == "endorse":
                assert membership.person is not None
                services.endorse_gate(
                    gate=review, actor=membership.user, executive=membership.person
                )
                messages.success(request, f"{review.name} is endorsed.")
                return redirect("initiatives:detail", pk=initiative.pk)
            elif action == "waive":
                waive = forms.WaiveForm(request.POST)
                if waive.is_valid():
                    assert membership.person is not None
                    services.waive_gate(
                        gate=review,
                        actor=membership.user,
                        executive=membership.person,
                        reason=waive.cleaned_data["reason"],
                    )
                    messages.success(request, f"{review.name} is waived.")
                    return redirect("initiatives:detail", pk=initiative.pk)
        except DomainError as error:
            add_domain_error(waive if action == "waive" else evidence, error)
    return render(
        request,
        "initiatives/gate.html",
        {
            "initiative": initiative,
            "gate": review,
            "evidence_form": evidence,
            "waive_form": waive,
            "can_edit": can_edit,
            "is_executive": is_executive,
        },
        # Reached on a POST only when it was refused (success redirects).
        status=400 if request.method == "POST" else 200,
    )


@login_required
def evidence_file(request: HttpRequest, pk: int, key: str) -> FileResponse:
    """The uploaded evidence of a gate, for those who may see the initiative."""
    membership = _membership(request)
    initiative = access.get_initiative_for(request, membership, pk)
    review = GateReview.objects.filter(initiative=initiative, key=key).first()
    if review is None or not review.evidence_file:
        raise Http404("No evidence file.")
    name = (review.evidence_file.name or "evidence").rsplit("/", 1)[-1]
    assert membership is not None
    return exports.stored_file_download(
        request,
        review.evidence_file.open("rb"),
        filename=name,
        audit=exports.Audit(
            "initiative.evidence_downloaded",
            membership.organisation,
            membership.user,
            target=initiative,
            details={"gate": key, "file": name},
        ),
    )


@login_required
@require_POST
def stage(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    initiative = access.get_initiative_for(request, membership, pk)
    require(
        request,
        membership,
        access.can_change_initiative_stage(membership, initiative),
        rule="can_change_initiative_stage",
    )
    assert membership is not None
    form = forms.StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a stage.")
        return redirect("initiatives:detail", pk=initiative.pk)
    try:
        initiative = services.change_stage(
            initiative=initiative, actor=membership.user, stage=form.cleaned_data["stage"]
        )
    except DomainError as error:
        context = _detail_context(request, membership, initiative)
        context["stage_refusal"] = error.field_errors.get("stage", [error.message])
        context["stage_form"] = form
        return render(request, "initiatives/detail.html", context)
    messages.success(request, f"The initiative is now {initiative.get_stage_display()}.")
    return redirect("initiatives:detail", pk=initiative.pk)


@login_required
@require_POST
def align(request: HttpRequest, pk: int) -> HttpResponse:
    membership = _membership(request)
    initiative = access.get_initiative_for(request, membership, pk)
    require(
        request,
        membership,
        access.can_endorse_gates(membership, initiative),
        rule="can_endorse_gates",
    )
    assert membership is not None
    assert membership.person is not None
    form = forms.AlignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say whether you agree with each element of the package.")
        return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#alignment")
    try:
        for element, agrees, comment in form.positions():
            services.record_alignment(
                initiative=initiative,
                actor=membership.user,
                executive=membership.person,
                element=element,
                agrees=agrees,
                comment=comment,
            )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your alignment is recorded.")
    return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#alignment")


@login_required
@require_POST
def start_team(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
    form = forms.TeamStartForm(request.POST)
    if form.is_valid():
        team = BottleneckTeam.objects.filter(
            organisation=membership.organisation, pk=form.cleaned_data["team"]
        ).first()
        reason = form.cleaned_data["override_reason"].strip()
        if reason:
            require(
                request,
                membership,
                access.can_override_capacity(membership, initiative),
                rule="can_override_capacity",
            )
        if team is not None:
            try:
                services.start_team_work(
                    initiative=initiative, team=team, actor=membership.user, override_reason=reason
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Work with {team.name} has started.")
    return redirect(reverse("initiatives:detail", kwargs={"pk": pk}) + "#capacity")


@login_required
def package_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The alignment package as a PDF for the executive meeting."""
    membership = _membership(request)
    initiative = access.get_initiative_for(request, membership, pk)
    assert membership is not None
    context = _detail_context(request, membership, initiative)
    return exports.download(
        request,
        core_pdf.render_pdf("initiatives/package_pdf.html", context, request=request),
        fmt="pdf",
        filename=f"initiative-{initiative.pk}.pdf",
        audit=exports.Audit(
            "initiative.package_downloaded",
            membership.organisation,
            membership.user,
            target=initiative,
        ),
    )


# --- the package's registers: change impacts, decision rights, RACI, before/after ----------


def _form_page(
    request: HttpRequest,
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


def _invalid(request: HttpRequest, form: Any) -> int:
    """400 for a refused submission, so nothing looks saved."""
    return 400 if request.method == "POST" and form.errors else 200


@login_required
def metric_edit(request: HttpRequest, pk: int, metric_pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
    metric = _part_or_404(
        request,
        membership,
        Metric.objects.filter(initiative=initiative),
        metric_pk,
        check="metric",
        label="metric",
    )
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
    return _form_page(
        request,
        initiative,
        form,
        heading=f"edit the metric “{metric.name}”",
        submit="Save the metric",
        anchor="#metrics",
        status=_invalid(request, form),
    )


@login_required
def impact_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
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
    return _form_page(
        request,
        initiative,
        form,
        heading="register a change impact",
        submit="Register the impact",
        anchor="#impacts",
        intro="One of the four predictable impacts of AI on the organisation, who it "
        "affects, who owns it and how it is mitigated.",
        status=_invalid(request, form),
    )


@login_required
def impact_edit(request: HttpRequest, pk: int, impact_pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
    impact = _part_or_404(
        request,
        membership,
        ChangeImpact.objects.filter(initiative=initiative),
        impact_pk,
        check="impact",
        label="impact",
    )
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
    return _form_page(
        request,
        initiative,
        form,
        heading="edit a change impact",
        submit="Save the impact",
        anchor="#impacts",
        intro="Set the status to “Mitigated” to close the impact.",
        status=_invalid(request, form),
    )


@login_required
def right_new(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
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
    return _form_page(
        request,
        initiative,
        form,
        heading="register a decision right",
        submit="Register the decision right",
        anchor="#rights",
        intro="A decision the initiative changes: who decides before and after, whether the "
        "AI is advisory or binding, who is accountable and how overrides are handled.",
        status=_invalid(request, form),
    )


@login_required
def right_edit(request: HttpRequest, pk: int, right_pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
    right = _part_or_404(
        request,
        membership,
        DecisionRight.objects.filter(initiative=initiative),
        right_pk,
        check="decision_right",
        label="right",
    )
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
    return _form_page(
        request,
        initiative,
        form,
        heading="edit a decision right",
        submit="Save the decision right",
        anchor="#rights",
        status=_invalid(request, form),
    )


@login_required
def raci(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
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
    return _form_page(
        request,
        initiative,
        form,
        heading="RACI",
        submit="Save the RACI",
        anchor="#model",
        intro="Who is responsible, accountable, consulted and informed for monitoring, "
        "incidents, retraining and change approval.",
        groups=groups,
        status=_invalid(request, form),
    )


@login_required
def before_after(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
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
    return _form_page(
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
        status=_invalid(request, form),
    )


@login_required
def adoption(request: HttpRequest, pk: int) -> HttpResponse:
    membership, initiative = _require_edit(request, pk)
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
    return _form_page(
        request,
        initiative,
        form,
        heading="record a week of adoption",
        submit="Save the week",
        anchor="#adoption",
        intro="Usage of one cohort for one week since launch. A week already recorded for "
        "the cohort is replaced.",
        status=_invalid(request, form),
    )


# --- the organisation's decision log ----------------------------------------------------------

DECISIONS_PER_PAGE = 25


@login_required
def decisions(request: HttpRequest) -> HttpResponse:
    membership = _membership(request)
    require(
        request,
        membership,
        access.can_manage_initiatives(membership),
        rule="can_manage_initiatives",
    )
    assert membership is not None
    initiatives = Initiative.objects.filter(organisation=membership.organisation).only("id", "name")
    request_form = forms.DecisionRequestForm(
        request.POST or None, initiatives=initiatives.order_by("name")
    )
    if request.method == "POST" and request_form.is_valid():
        try:
            services.request_decision(
                organisation=membership.organisation,
                actor=membership.user,
                title=request_form.cleaned_data["title"],
                initiative=request_form.cleaned_data["initiative"],
            )
        except DomainError as error:
            add_domain_error(request_form, error)
        else:
            messages.success(request, "The decision is logged as requested.")
            return redirect("initiatives:decisions")
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


@login_required
def decision(request: HttpRequest, decision_pk: int) -> HttpResponse:
    membership = _membership(request)
    entry = access.get_decision_for(request, membership, decision_pk)
    assert membership is not None
    form = forms.DecisionOutcomeForm(
        request.POST or None, organisation_id=membership.organisation_id
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_decision(
                entry=entry,
                actor=membership.user,
                decided_by=form.cleaned_data["decided_by"],
                outcome=form.cleaned_data["outcome"],
            )
        except DomainError as error:
            add_domain_error(form, error)
        else:
            messages.success(request, "The decision is recorded.")
            return redirect("initiatives:decisions")
    return render(
        request,
        "initiatives/decision.html",
        {"entry": entry, "form": form},
        status=_invalid(request, form),
    )
