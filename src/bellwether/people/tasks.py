"""Background jobs for people: they load and call a service, nothing more."""

from __future__ import annotations

from django_tasks import task

from bellwether.people import services


@task()
def run_import(job_id: int) -> None:
    services.run_import_job(job_id=job_id)
