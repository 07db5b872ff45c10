"""Recompute the analytics when a leader's readiness band changes.

Another app stores the bands (assessments.LeaderResult); when one is saved or removed
the worker checks the network's version and recomputes if it moved. The check runs
in the worker, not in the request that saved the result.
"""

from __future__ import annotations

from typing import Any

from bellwether.core.jobs import enqueue_on_commit


def band_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    from django.db import transaction

    from bellwether.influence import tasks

    # Many results saved in one transaction (a rescoring, a demo) need one check.
    queued = transaction.get_connection().run_on_commit
    for _, callback, *_ in queued:
        if getattr(callback, "func", None) == tasks.refresh_analysis.enqueue and getattr(
            callback, "args", None
        ) == (instance.organisation_id,):
            return
    enqueue_on_commit(tasks.refresh_analysis, instance.organisation_id)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from bellwether.assessments.models import LeaderResult

    post_save.connect(band_changed, sender=LeaderResult, dispatch_uid="influence.band_saved")
    post_delete.connect(band_changed, sender=LeaderResult, dispatch_uid="influence.band_deleted")
