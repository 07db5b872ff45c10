"""Background jobs for the influence map: they call a service, nothing more."""

from __future__ import annotations

from django_tasks import task

from bellwether.influence import services


@task()
def run_analysis(run_id: int) -> None:
    services.run_analysis(run_id=run_id)


@task()
def run_plan(run_id: int) -> None:
    services.run_plan(run_id=run_id)


@task()
def refresh_analysis(organisation_id: int) -> None:
    """A readiness band changed: queue a recompute if the network's version moved."""
    from bellwether.core.models import Organisation

    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None:
        services.request_analysis(organisation=organisation)
