"""Import and export pages for administrators: upload, map columns, watch progress, read errors."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from bellwether.accounts.access import MemberRequest, page
from bellwether.accounts.models import Membership
from bellwether.core import exports
from bellwether.core.access import refuse
from bellwether.core.errors import DomainError
from bellwether.core.forms import saved
from bellwether.people import access, importing, selectors, services
from bellwether.people.models import ImportJob

# The errors table shows this many; the CSV download has all that were kept.
ERRORS_SHOWN = 200


class UploadForm(forms.Form):
    file = forms.FileField(label="File (CSV UTF-8 or Excel .xlsx)")
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=ImportJob.Kind.choices,
        initial=ImportJob.Kind.PEOPLE,
        widget=forms.RadioSelect,
    )
    dry_run = forms.BooleanField(
        label="Dry run: check the file and show what would change", required=False
    )
    deactivate_absent = forms.BooleanField(
        label="Deactivate people who are not in this file", required=False
    )
    date_format = forms.ChoiceField(
        label="How the file writes start dates",
        choices=importing.DATE_FORMAT_CHOICES,
        initial="auto",
        required=False,
        help_text="Also read: Excel dates. Worked out from the file, a date such as "
        "03/04/2024 that reads both ways is asked about; the result says which order was used.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.BELLWETHER_MAX_IMPORT_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"The file is {upload.size / 1_000_000:.1f} MB; the largest accepted is "
                f"{limit / 1_000_000:.0f} MB."
            )
        return upload


@page(access.EXPORT_PEOPLE)
def export_people(request: MemberRequest, fmt: str) -> HttpResponse:
    membership = request.membership
    if fmt not in services.CONTENT_TYPES:
        refuse(request, membership, rule=access.EXPORT_PEOPLE.name, target=fmt[:20], not_found=True)
    content, _content_type, filename = services.export_people(
        organisation=membership.organisation, fmt=fmt, actor=membership.user
    )
    # Audited by the service (the command line exports through it too).
    return exports.attachment(content, fmt=fmt, filename=filename)


@page(access.IMPORT_PEOPLE, methods=["GET", "POST"])
def import_upload(request: MemberRequest) -> HttpResponse:
    membership = request.membership
    form = UploadForm(request.POST or None, request.FILES or None)

    def start() -> ImportJob:
        upload = form.cleaned_data["file"]
        return services.start_import_job(
            organisation=membership.organisation,
            actor=membership.user,
            content=upload.read(),
            filename=upload.name or "upload",
            kind=form.cleaned_data["kind"],
            mapping=None,
            dry_run=form.cleaned_data["dry_run"],
            deactivate_absent=form.cleaned_data["deactivate_absent"],
            date_format=form.cleaned_data["date_format"] or "auto",
        )

    done = saved(
        request,
        form,
        start,
        to=lambda job: reverse("people:import_job", kwargs={"pk": job.pk}),
        fallback="file",
    )
    if done is not None:
        return done
    recent = selectors.recent_import_jobs(membership.organisation)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "people/import_upload.html",
        {
            "form": form,
            "recent": recent,
            "max_mb": settings.BELLWETHER_MAX_IMPORT_BYTES // 1_000_000,
        },
        status=status,
    )


def _mapping_rows(job: ImportJob, chosen: dict[str, str]) -> list[dict[str, object]]:
    header = services.import_job_header(job)
    suggested = importing.suggest_mapping(header, job.kind)
    return [
        {
            "index": index,
            "column": column,
            "selected": chosen.get(column, suggested.get(column, importing.IGNORE)),
        }
        for index, column in enumerate(header)
    ]


@page(access.IMPORT_PEOPLE, methods=["GET", "POST"])
def import_job(request: MemberRequest, pk: int) -> HttpResponse:
    membership = request.membership
    job = access.get_import_job_for(request, membership, pk)
    if request.GET.get("format") == "csv":
        return _errors_csv(request, membership, job)
    mapping_error = ""
    chosen: dict[str, str] = dict(job.mapping or {})
    if request.method == "POST":
        if job.status != ImportJob.Status.MAPPING:
            return redirect("people:import_job", pk=job.pk)
        full = selectors.import_job_with_file(job)
        header = services.import_job_header(full)
        chosen = {
            column: request.POST.get(f"col-{i}", importing.IGNORE)
            for i, column in enumerate(header)
        }
        try:
            services.set_import_job_mapping(
                job=full,
                actor=membership.user,
                mapping=chosen,
                date_format=request.POST.get("date_format", ""),
            )
        except DomainError as error:
            mapping_error = error.message
        else:
            return redirect("people:import_job", pk=job.pk)
    context: dict[str, object] = {
        "job": job,
        "mapping_error": mapping_error,
        "fields": importing.FIELDS[job.kind],
        "ignore": importing.IGNORE,
        "date_formats": importing.DATE_FORMAT_CHOICES,
        **_outcome(job),
    }
    if job.status == ImportJob.Status.MAPPING:
        context["mapping_rows"] = _mapping_rows(selectors.import_job_with_file(job), chosen)
        context["mapping_problems"] = [error["message"] for error in job.errors]
    return render(request, "people/import_job.html", context, status=400 if mapping_error else 200)


@page(access.IMPORT_PEOPLE)
def import_progress(request: MemberRequest, pk: int) -> HttpResponse:
    job = access.get_import_job_for(request, request.membership, pk)
    return render(request, "people/import_progress.html", {"job": job, **_outcome(job)})


def _outcome(job: ImportJob) -> dict[str, object]:
    errors = job.errors if job.status != ImportJob.Status.MAPPING else []
    return {
        "errors": errors[:ERRORS_SHOWN],
        "errors_hidden": max(0, int(job.summary.get("error_count", len(errors))) - ERRORS_SHOWN),
        "saving": job.phase == "Saving",
    }


def _errors_csv(request: MemberRequest, membership: Membership, job: ImportJob) -> HttpResponse:
    content = exports.csv_bytes(
        [
            ["line", "column", "message"],
            *(
                [error.get("line", ""), str(error.get("column", "")), error.get("message", "")]
                for error in job.errors
            ),
        ]
    )
    return exports.download(
        request,
        content,
        fmt="csv",
        filename=f"import-{job.pk}-errors.csv",
        audit=exports.Audit.by(
            membership, "import.errors_downloaded", target=job, rows=len(job.errors)
        ),
    )
