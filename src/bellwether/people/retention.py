"""How long an uploaded HR file is kept: only while its import needs it.

A finished import (succeeded, previewed or refused) deletes its file at once
(``services.run_import_job``), unless ``BELLWETHER_UPLOAD_RETENTION_HOURS`` keeps it
for a while; ``purge_uploads`` then deletes it, run by ``bellwether purge-uploads``
(cron) and by the worker after every import. The job row stays, without the file, as
the record of the import.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from bellwether.core import audit
from bellwether.core.models import Organisation
from bellwether.people.importing import RowError
from bellwether.people.models import ImportJob

# Long enough for an administrator to come back to the mapping after a weekend.
ABANDONED_AFTER = timedelta(days=7)
FINISHED = (ImportJob.Status.SUCCEEDED, ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED)


def retention() -> timedelta:
    return timedelta(hours=max(0, settings.BELLWETHER_UPLOAD_RETENTION_HOURS))


def keeps_nothing() -> bool:
    """True when a finished import's file is deleted as it finishes (the default)."""
    return retention() <= timedelta(0)


def purge_uploads(*, now: datetime | None = None) -> int:
    """Delete the uploaded files of imports that finished longer ago than the retention,
    and close imports left waiting for their column mapping for ``ABANDONED_AFTER`` (or
    the retention, if longer), deleting their files too. Returns how many files were
    deleted. Safe to run at any time and twice; an audit event per organisation."""
    now = now or timezone.now()
    kept = retention()
    expired = ImportJob.objects.filter(status__in=FINISHED, finished_at__lte=now - kept).exclude(
        content=b""
    )
    abandoned = ImportJob.objects.filter(
        status=ImportJob.Status.MAPPING, updated_at__lte=now - max(ABANDONED_AFTER, kept)
    )
    with transaction.atomic():
        finished_jobs = list(expired.select_for_update().values_list("pk", "organisation_id"))
        left_jobs = list(abandoned.select_for_update().values_list("pk", "organisation_id"))
        if not finished_jobs and not left_jobs:
            return 0
        ImportJob.objects.filter(pk__in=[pk for pk, _org in finished_jobs]).update(
            content=b"", updated_at=now
        )
        ImportJob.objects.filter(pk__in=[pk for pk, _org in left_jobs]).update(
            content=b"",
            status=ImportJob.Status.FAILED,
            errors=[
                RowError(
                    0,
                    "",
                    f"Nobody chose the column mapping within {ABANDONED_AFTER.days} days, so the "
                    "file was deleted and nothing was imported. Upload it again.",
                ).as_dict()
            ],
            finished_at=now,
            updated_at=now,
        )
        by_organisation: dict[int, list[int]] = {}
        for pk, organisation_id in finished_jobs + left_jobs:
            by_organisation.setdefault(organisation_id, []).append(pk)
        organisations = Organisation.objects.in_bulk(list(by_organisation))
        for organisation_id, job_ids in sorted(by_organisation.items()):
            audit.record(
                action="import.uploads_deleted",
                organisation=organisations.get(organisation_id),
                actor_label="upload retention",
                details={
                    "jobs": sorted(job_ids)[:1000],
                    "count": len(job_ids),
                    "retention_hours": kept.total_seconds() / 3600,
                },
            )
    return len(finished_jobs) + len(left_jobs)
