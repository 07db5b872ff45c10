"""Import jobs: the web upload keeps the file, the worker runs the import and reports."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bellwether.core import audit, jobs
from bellwether.core.errors import DomainError
from bellwether.core.jobs import enqueue_on_commit
from bellwether.core.models import Organisation
from bellwether.core.uploads import UploadLimits
from bellwether.people import importing, retention
from bellwether.people.importing import (
    RowError,
)
from bellwether.people.models import ImportJob

if TYPE_CHECKING:
    from bellwether.accounts.models import User
from bellwether.people.services._shared import MAX_STORED_ERRORS
from bellwether.people.services.org_units import import_org_units
from bellwether.people.services.people_records import import_people

logger = logging.getLogger(__name__)

# --- import jobs (the web upload and the worker) --------------------------------------------------

KINDS = {ImportJob.Kind.PEOPLE.value, ImportJob.Kind.ORG_UNITS.value}


def start_import_job(
    *,
    organisation: Organisation,
    actor: User | None,
    content: bytes,
    filename: str,
    kind: str = "people",
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    deactivate_absent: bool = False,
    date_format: str = "auto",
) -> ImportJob:
    """Keep the uploaded file and queue the import for the worker (``date_format``: the
    order of its start dates, ``importing.DATE_FORMAT_CHOICES``).

    When the header has columns that need mapping the job waits for
    ``set_import_job_mapping``; an unreadable file is refused at once.
    """
    if kind not in KINDS:
        raise DomainError("Choose people or org units.", code="unknown_kind")
    _check_date_format(date_format)
    limit = settings.BELLWETHER_MAX_IMPORT_BYTES
    if len(content) > limit:
        raise DomainError(
            f"The file is {len(content) / 1_000_000:.1f} MB; the largest accepted is "
            f"{limit / 1_000_000:.0f} MB. Split it or remove columns Bellwether does not use.",
            code="too_large",
        )
    header = importing.read_table(
        content, filename, header_only=True, limits=UploadLimits.from_settings()
    )
    job = ImportJob(
        organisation=organisation,
        created_by=actor,
        kind=kind,
        filename=filename[:255],
        content=content,
        mapping=mapping or {},
        dry_run=dry_run,
        deactivate_absent=deactivate_absent and kind == ImportJob.Kind.PEOPLE,
        date_format=date_format,
    )
    with transaction.atomic():
        if not header.header:
            # Refused before any import: the file is not kept, whatever the retention.
            job.status = ImportJob.Status.FAILED
            job.errors = [error.as_dict() for error in header.errors]
            job.finished_at = timezone.now()
            job.content = b""
        else:
            _columns, problems = importing.resolve_columns(header.header, kind, mapping)
            if problems:
                job.status = ImportJob.Status.MAPPING
                job.errors = [error.as_dict() for error in problems]
        job.save()
        audit.record(
            action="import.started",
            organisation=organisation,
            actor=actor,
            target=job,
            details={
                "kind": kind,
                "filename": job.filename,
                "dry_run": dry_run,
                "bytes": len(content),
            },
        )
        if job.status == ImportJob.Status.PENDING:
            _enqueue(job)
    return job


def import_job_header(job: ImportJob) -> list[str]:
    """The column names of the job's file (for the mapping form)."""
    return importing.read_table(
        bytes(job.content), job.filename, header_only=True, limits=UploadLimits.from_settings()
    ).header


def _check_date_format(date_format: str) -> None:
    if date_format not in importing.DATE_FORMAT_LABELS:
        raise DomainError(
            "Choose how the file writes dates: "
            + ", ".join(importing.DATE_FORMAT_LABELS.values())
            + ".",
            code="unknown_date_format",
            field_errors={"date_format": ["Choose one of the date orders offered."]},
        )


def set_import_job_mapping(
    *, job: ImportJob, actor: User | None, mapping: dict[str, str], date_format: str = ""
) -> ImportJob:
    """Record how the file's columns map to fields (and, when given, the order of its
    start dates), and queue the import."""
    date_format = date_format or job.date_format
    _check_date_format(date_format)
    if job.status != ImportJob.Status.MAPPING:
        raise DomainError(
            "This import is no longer waiting for a column mapping.", code="not_mapping"
        )
    header = import_job_header(job)
    _columns, problems = importing.resolve_columns(header, job.kind, mapping)
    if problems:
        raise DomainError(
            " ".join(problem.message for problem in problems),
            code="bad_mapping",
            field_errors={problem.column: [problem.message] for problem in problems},
        )
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.MAPPING).update(
            mapping=mapping,
            date_format=date_format,
            status=ImportJob.Status.PENDING,
            errors=[],
            updated_at=timezone.now(),
        )
        if not updated:
            raise DomainError(
                "This import is no longer waiting for a column mapping.", code="not_mapping"
            )
        audit.record_on(
            job,
            "import.mapped",
            actor=actor,
            details={"mapping": mapping, "date_format": date_format},
        )
        job.refresh_from_db()
        _enqueue(job)
    return job


def _enqueue(job: ImportJob) -> None:
    from bellwether.people.tasks import run_import

    enqueue_on_commit(run_import, job.pk)


@dataclass
class _JobReporter:
    """Writes progress to the job row, at most twice a second, for the page to poll."""

    job_id: int
    phase: str = ""
    last: float = 0.0

    def on_phase(self, phase: str) -> None:
        self.phase = phase
        self.last = time.monotonic()
        ImportJob.objects.filter(pk=self.job_id).update(
            phase=phase, processed_rows=0, updated_at=timezone.now()
        )

    def progress(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.5 and done < total:
            return
        self.last = now
        ImportJob.objects.filter(pk=self.job_id).update(
            processed_rows=done, total_rows=total, updated_at=timezone.now()
        )


def run_import_job(*, job_id: int) -> None:
    """Run a queued import (called by the worker). Safe to call twice: only a pending
    job is claimed."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.PENDING).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    reporter = _JobReporter(job_id=job_id)
    try:
        read: dict[str, Any] = {
            "organisation": job.organisation,
            "actor": job.created_by,
            "content": bytes(job.content),
            "filename": job.filename,
            "mapping": job.mapping or None,
            "dry_run": job.dry_run,
            "progress": reporter.progress,
            "on_phase": reporter.on_phase,
        }
        if job.kind == ImportJob.Kind.ORG_UNITS:
            result = import_org_units(**read)
        else:
            result = import_people(
                **read, deactivate_absent=job.deactivate_absent, date_format=job.date_format
            )
    except Exception as exc:
        if jobs.is_transient(exc):
            # A locked or lost database: the import's one transaction wrote nothing. The
            # job goes back to the queue (its file kept) and the worker's retry imports it.
            jobs.retry_transient(
                lambda: ImportJob.objects.filter(pk=job_id).update(
                    status=ImportJob.Status.PENDING, phase="", updated_at=timezone.now()
                ),
                what=f"Putting import {job_id} back in the queue",
            )
            raise
        _finish_job(
            job_id,
            status=ImportJob.Status.FAILED,
            phase="",
            errors=[
                RowError(
                    0, "", "The import stopped on an internal error; nothing was imported."
                ).as_dict()
            ],
        )
        raise
    if not result.ok:
        status = ImportJob.Status.FAILED
    elif result.dry_run:
        status = ImportJob.Status.PREVIEWED
    else:
        status = ImportJob.Status.SUCCEEDED
    _finish_job(
        job_id,
        status=status,
        phase="",
        total_rows=result.total,
        processed_rows=result.total,
        errors=[error.as_dict() for error in result.errors[:MAX_STORED_ERRORS]],
        summary={
            **result.counts(),
            "error_count": len(result.errors),
            **({"notes": list(result.notes)} if result.notes else {}),
        },
    )
    # The worker is where periodic work happens: each finished import also deletes the
    # files of others whose retention has run out (``bellwether purge-uploads`` does it
    # from cron when imports are rare).
    try:
        retention.purge_uploads()
    except Exception:  # housekeeping must never turn a finished import into a failed one
        logger.exception("Deleting expired import uploads failed")


def _finish_job(job_id: int, **fields: Any) -> None:
    """Record a job's outcome; its uploaded file is deleted now unless it is kept for
    ``BELLWETHER_UPLOAD_RETENTION_HOURS`` (then ``retention.purge_uploads`` deletes it)."""
    now = timezone.now()
    if retention.keeps_nothing():
        fields["content"] = b""
    ImportJob.objects.filter(pk=job_id).update(finished_at=now, updated_at=now, **fields)
