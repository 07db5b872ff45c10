"""The shared cache, for what is expensive to compute and the same for everyone who may
see it: Django's cache framework, a table in the database by default (``bellwether_cache``,
made by core migration 0006) or Redis when ``REDIS_URL`` is set (settings ``CACHES``).

An entry is found by a *version key*: the organisation, what was computed, and a stamp of
every input it was computed from (counts and last-change times, read in cheap indexed
queries). A change to any input moves the stamp, so the next read misses and computes
afresh: no entry is ever served for data it was not computed from, and nothing has to be
deleted when data changes (old entries expire after ``TIMEOUT``). Each use says which
stamp covers its inputs (docs/architecture.md lists them).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.core.cache import cache

T = TypeVar("T")
TIMEOUT = 24 * 3600
_MISSING = object()


def key_for(name: str, organisation_id: int, version: Sequence[Any]) -> str:
    """The cache key of ``name`` for one organisation at one version of its inputs."""
    digest = hashlib.sha256(repr(tuple(version)).encode()).hexdigest()[:32]
    return f"bw:{organisation_id}:{name}:{digest}"


def remembered(
    name: str, organisation_id: int, version: Sequence[Any], compute: Callable[[], T]
) -> T:
    """``compute()``'s value, from the cache when it was computed at ``version`` before."""
    key = key_for(name, organisation_id, version)
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = compute()
    cache.set(key, value, TIMEOUT)
    return value
