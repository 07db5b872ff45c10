"""Where a test's jobs go: stored in the database for ``bellwether worker``, as in
production, instead of the test settings' run-at-once backend."""

from __future__ import annotations

from typing import Any


def store_jobs_in_database(settings: Any) -> None:
    """Jobs enqueued from now on wait in the database (``settings``: pytest-django's)."""
    # Changing TASKS fires setting_changed, which makes django-tasks drop its cached backends.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
