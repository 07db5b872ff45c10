"""Generating plans for a whole cohort (a cycle's leaders, a unit, a level) as a
background job with progress. Safe to run twice: only a pending job is claimed, and
leaders who already have an open plan are skipped."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from bellwether.accounts.models import User
from bellwether.core import audit, jobs
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.development import selectors
from bellwether.development.models import OPEN_STATUSES, GenerationJob, LearningPlan
from bellwether.development.services.plans import build_plans, check_start
from bellwether.people.models import LeaderLevel


@transaction.atomic
def start_generation(
    *,
    organisation: Organisation,
    actor: User | None,
    start: datetime.date,
    cycle_id: int | None = None,
    unit_id: int | None = None,
    level: str = "",
) -> GenerationJob:
    """Queue the generation of draft plans for the cohort (run after commit)."""
    from bellwether.development import tasks

    check_start(start)
    if level and level not in LeaderLevel.values:
        raise DomainError("Unknown level.", field_errors={"level": ["Unknown level."]})
    job = GenerationJob.objects.create(
        organisation=organisation,
        created_by=actor,
        cohort={"cycle_id": cycle_id, "unit_id": unit_id, "level": level},
        start_date=start,
    )
    audit.record(
        action="development.generation_queued",
        organisation=organisation,
        actor=actor,
        target=job,
        details=job.cohort,
    )
    jobs.enqueue_on_commit(tasks.run_generation, job.pk)
    return job


def run_generation(*, job_id: int) -> None:
    """Run a queued generation (called by the worker)."""
    claimed = GenerationJob.objects.filter(pk=job_id, status=GenerationJob.Status.PENDING).update(
        status=GenerationJob.Status.RUNNING, started_at=timezone.now(), updated_at=timezone.now()
    )
    if not claimed:
        return
    job = GenerationJob.objects.select_related("organisation", "created_by").get(pk=job_id)
    cohort = job.cohort or {}
    try:
        with transaction.atomic():
            people = list(
                selectors.cohort_people(
                    job.organisation,
                    cycle_id=cohort.get("cycle_id"),
                    unit_id=cohort.get("unit_id"),
                    level=cohort.get("level") or "",
                ).exclude(
                    pk__in=LearningPlan.objects.filter(
                        organisation=job.organisation, status__in=OPEN_STATUSES
                    ).values("person_id")
                )
            )
            total = selectors.cohort_people(
                job.organisation,
                cycle_id=cohort.get("cycle_id"),
                unit_id=cohort.get("unit_id"),
                level=cohort.get("level") or "",
            ).count()
            GenerationJob.objects.filter(pk=job_id).update(total=len(people))

            def progress(done: int) -> None:
                GenerationJob.objects.filter(pk=job_id).update(processed=done)

            made = build_plans(
                organisation_id=job.organisation_id,
                people=people,
                start=job.start_date,
                actor=job.created_by,
                progress=progress,
            )
            audit.record(
                action="development.plans_generated",
                organisation=job.organisation,
                actor=job.created_by,
                target=job,
                details={"created": len(made), "skipped": total - len(made)},
            )
    except Exception as exc:
        if not jobs.is_transient(exc):
            GenerationJob.objects.filter(pk=job_id).update(
                status=GenerationJob.Status.FAILED,
                error="The generation stopped on an internal error; no plan was made.",
                finished_at=timezone.now(),
            )
        else:
            GenerationJob.objects.filter(pk=job_id).update(status=GenerationJob.Status.PENDING)
        raise
    GenerationJob.objects.filter(pk=job_id).update(
        status=GenerationJob.Status.SUCCEEDED,
        processed=len(people),
        created_count=len(made),
        skipped_count=total - len(made),
        finished_at=timezone.now(),
    )
