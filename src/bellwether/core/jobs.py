"""Background work: enqueue after the surrounding transaction commits, never inside it."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction


def enqueue_on_commit(task: Any, /, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` once the current transaction commits (at once outside one).

    A job queued inside an open transaction could run before its rows exist, or
    run for rows that a rollback then removed.
    """
    transaction.on_commit(partial(task.enqueue, *args, **kwargs))
