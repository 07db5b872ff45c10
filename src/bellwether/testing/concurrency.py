"""Calls made at the same moment from several threads, as concurrent requests would be."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.db import connections

T = TypeVar("T")


def at_once(calls: Sequence[Callable[[], T]]) -> tuple[list[T], list[BaseException]]:
    """Run each call in its own thread, all released together by a barrier, and wait for
    them. Returns what the calls returned and what they raised, each in the order they
    finished; a test asserts on both. Each thread closes its database connections, so
    none is left open for the test database's teardown."""
    results: list[T] = []
    errors: list[BaseException] = []
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], T]) -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as exc:  # returned to the test, which asserts on it
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, errors
