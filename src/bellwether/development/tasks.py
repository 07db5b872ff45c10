"""Background jobs for development plans: they load and call a service, nothing more."""

from __future__ import annotations

from django_tasks import task

from bellwether.development import services


@task()
def run_generation(job_id: int) -> None:
    services.run_generation(job_id=job_id)
