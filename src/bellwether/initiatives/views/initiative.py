"""One initiative's page and its forms: the package, chain and metrics, measurements,
gates, stage, alignment, bottleneck teams, and the PDF of the alignment package."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from bellwether.accounts.access import MemberRequest, page
from bellwether.core import exports
from bellwether.core import pdf as core_pdf
from bellwether.core.access import record_refusal, refuse
from bellwether.core.errors import DomainError
from bellwether.core.forms import add_domain_error, confirmation, refused_form, saved
from bellwether.core.pages import posted_form
from bellwether.initiatives import access, forms, services
from bellwether.initiatives.measurement_csv import MAX_BYTES as MAX_MEASUREMENTS_BYTES
from bellwether.initiatives.models import Measurement
from bellwether.initiatives.views.common import detail_context, note_stage_drop


@page(access.VIEW_INITIATIVES)
def detail(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk)
    return render(
        request, "initiatives/detail.html", detail_context(request, membership, initiative)
    )


@page(access.VIEW_INITIATIVES)
def edit(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
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
    done = saved(
        request,
        form,
        lambda: services.update_initiative(
            initiative=initiative, actor=membership.user, changes=form.cleaned_data
        ),
        message="The alignment package is saved.",
        to=reverse("initiatives:detail", kwargs={"pk": initiative.pk}),
    )
    if done is not None:
        return done
    return render(request, "initiatives/edit.html", {"form": form, "initiative": initiative})


@page(access.VIEW_INITIATIVES)
def chain(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
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


@page(access.VIEW_INITIATIVES)
def metric_new(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = forms.MetricForm(request.POST or None)
    done = saved(
        request,
        form,
        lambda: services.add_metric(
            initiative=initiative, actor=membership.user, **form.cleaned_data
        ),
        message=lambda _: f"The metric “{form.cleaned_data['name']}” is added.",
        to=reverse("initiatives:detail", kwargs={"pk": initiative.pk}),
    )
    if done is not None:
        return done
    return render(request, "initiatives/metric_new.html", {"form": form, "initiative": initiative})


@page(access.SUBMIT_INITIATIVE_FORM)
@require_POST
def measurements(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
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
        context = detail_context(request, membership, initiative)
        return render(request, "initiatives/detail.html", context, status=400)
    messages.success(
        request,
        f"Measurements: {result.created} new, {result.updated} corrected, "
        f"{result.unchanged} already recorded.",
    )
    return redirect(reverse("initiatives:detail", kwargs={"pk": initiative.pk}) + "#metrics")


@page(access.VIEW_INITIATIVES)
def gate(request: MemberRequest, pk: int, key: str) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk)
    review = access.get_gate_for(request, membership, initiative, key)
    can_edit = access.EDIT_INITIATIVE.allows(membership, initiative)
    is_executive = access.ENDORSE_GATES.allows(membership, initiative)
    evidence = forms.EvidenceForm(
        initial={"text": review.evidence_text, "link": review.evidence_link}
    )
    waive = forms.WaiveForm()
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action == "evidence":
            access.EDIT_INITIATIVE.require(request, membership, initiative)
        else:
            executive = access.executive_for(request, membership, initiative)
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
                    note_stage_drop(request, initiative)
                    return redirect("initiatives:detail", pk=initiative.pk)
            elif action == "endorse":
                services.endorse_gate(gate=review, actor=membership.user, executive=executive)
                messages.success(request, f"{review.name} is endorsed.")
                return redirect("initiatives:detail", pk=initiative.pk)
            elif action == "waive":
                waive = forms.WaiveForm(request.POST)
                if waive.is_valid():
                    asked = confirmation(
                        request,
                        question=f"Waive {review.name} for {initiative.name}?",
                        consequence="The gate counts as passed without its evidence, under "
                        "your name and with your reason, in the audit log. A waiver cannot "
                        "be withdrawn.",
                        back=reverse("initiatives:gate", args=[initiative.pk, key]),
                        confirm_label="Waive the gate",
                    )
                    if asked is not None:
                        return asked
                    services.waive_gate(
                        gate=review,
                        actor=membership.user,
                        executive=executive,
                        reason=waive.cleaned_data["reason"],
                    )
                    messages.success(request, f"{review.name} is waived.")
                    note_stage_drop(request, initiative)
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


@page(access.VIEW_INITIATIVES)
def evidence_file(request: MemberRequest, pk: int, key: str) -> FileResponse:
    """The uploaded evidence of a gate, for those who may see the initiative."""
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk)
    review = access.get_gate_for(request, membership, initiative, key)
    if not review.evidence_file:
        refuse(
            request,
            membership,
            rule=access.VIEW_GATE.name,
            target=f"evidence {key}",
            not_found=True,
        )
    name = (review.evidence_file.name or "evidence").rsplit("/", 1)[-1]
    return exports.stored_file_download(
        request,
        review.evidence_file.open("rb"),
        filename=name,
        audit=exports.Audit.by(
            membership,
            "initiative.evidence_downloaded",
            target=initiative,
            details={"gate": key, "file": name},
        ),
    )


@page(access.SUBMIT_INITIATIVE_FORM)
@require_POST
def stage(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.CHANGE_STAGE)
    form = forms.StageForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a stage.")
        return redirect("initiatives:detail", pk=initiative.pk)
    try:
        initiative = services.change_stage(
            initiative=initiative, actor=membership.user, stage=form.cleaned_data["stage"]
        )
    except DomainError as error:
        context = detail_context(request, membership, initiative)
        context["stage_refusal"] = error.field_errors.get("stage", [error.message])
        context["stage_form"] = form
        return render(request, "initiatives/detail.html", context)
    messages.success(request, f"The initiative is now {initiative.get_stage_display()}.")
    return redirect("initiatives:detail", pk=initiative.pk)


@page(access.SUBMIT_INITIATIVE_FORM)
@require_POST
def align(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk)
    executive = access.executive_for(request, membership, initiative)
    form = forms.AlignmentForm(request.POST)

    def record() -> None:
        for element, agrees, comment in form.positions():
            services.record_alignment(
                initiative=initiative,
                actor=membership.user,
                executive=executive,
                element=element,
                agrees=agrees,
                comment=comment,
            )

    return posted_form(
        request,
        form,
        record,
        title=f"Your alignment on {initiative.name}",
        back=reverse("initiatives:detail", kwargs={"pk": pk}) + "#alignment",
        invalid="Say whether you agree with each element of the package.",
        success="Your alignment is recorded.",
    )


@page(access.SUBMIT_INITIATIVE_FORM)
@require_POST
def start_team(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk, to=access.EDIT_INITIATIVE)
    form = forms.TeamStartForm(request.POST)
    back = reverse("initiatives:detail", kwargs={"pk": pk}) + "#capacity"
    if not form.is_valid():
        return refused_form(request, form, title=f"Start work on {initiative.name}", back=back)
    team = access.get_team_for(request, membership, form.cleaned_data["team"])
    title = f"Start work with {team.name} on {initiative.name}"
    reason = form.cleaned_data["override_reason"].strip()
    if reason and not access.OVERRIDE_CAPACITY.allows(membership, initiative):
        # Audited as any refusal, but answered with the form and what was typed.
        record_refusal(
            request, membership, rule=access.OVERRIDE_CAPACITY.name, target=str(initiative)
        )
        form.add_error(
            "override_reason",
            "Only the initiative's sponsor may start work beyond a team's cap. Ask the "
            "sponsor to start it with this reason, or clear the reason to start within "
            "the cap.",
        )
        return refused_form(request, form, title=title, back=back, status=403)
    try:
        services.start_team_work(
            initiative=initiative, team=team, actor=membership.user, override_reason=reason
        )
    except DomainError as error:
        return refused_form(request, form, title=title, back=back, error=error)
    messages.success(request, f"Work with {team.name} has started.")
    return redirect(back)


@page(access.VIEW_INITIATIVES)
def package_pdf(request: MemberRequest, pk: int) -> HttpResponse:
    """The alignment package as a PDF for the executive meeting."""
    membership = request.membership
    initiative = access.get_initiative_for(request, membership, pk)
    context = detail_context(request, membership, initiative)
    return core_pdf.pdf_download(
        request,
        "initiatives/package_pdf.html",
        context,
        filename=f"initiative-{initiative.pk}.pdf",
        audit=exports.Audit.by(membership, "initiative.package_downloaded", target=initiative),
    )
