"""Production safety that sits below the apps: no caching of answers, owner-only files.

* ``NoStoreMiddleware``: nothing Bellwether answers may be kept by a browser or proxy,
  except static files (WhiteNoise answers those before this middleware runs): signed-in
  pages and API answers hold personal data, and so do a respondent's link and its pages.
* ``restrict_file_modes``: the umask the ``bellwether`` command and the WSGI entry point
  set at start, so the SQLite database, its journal, uploads and exports are created
  readable by the owner only.
* ``restrict_sqlite_files``: the same, made explicit on the database files themselves,
  which may have been created before (or by a process without) that umask.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse

# Files: rw------- ; directories: rwx------.
OWNER_ONLY_UMASK = 0o077
OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIRECTORY = 0o700

# A respondent's link, their draft answers, a leader's report: a shared computer's
# browser cache or an intermediate proxy must not keep any of it.
NO_STORE = "no-store"


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every response that is not a static file.

    Placed right after WhiteNoise, which answers static files itself (with long-lived,
    hashed caching) without reaching this. The path test covers static files served by
    any other means (``runserver``, a view)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"
        if not self.static_prefix.startswith("/"):
            self.static_prefix = "/" + self.static_prefix

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(self.static_prefix):
            return response
        # Replaces any weaker directive a view set (max-age, private, no-cache …).
        response["Cache-Control"] = NO_STORE
        # HTTP/1.0 caches know only Pragma.
        response["Pragma"] = "no-cache"
        return response


def restrict_file_modes() -> int:
    """Make every file this process creates owner-only; returns the previous umask."""
    return os.umask(OWNER_ONLY_UMASK)


def restrict_sqlite_files(database: str | os.PathLike[str]) -> None:
    """Owner-only modes on a SQLite database and its WAL and shared-memory files.

    SQLite gives the -wal and -shm files the database file's own mode when it creates
    them, so restricting the database restricts the journal created after it; the ones
    already there are restricted here too. Files of another owner are left alone (we
    could not change them, and should not try)."""
    path = Path(database)
    uid = os.geteuid()
    for candidate in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal")):
        try:
            info = candidate.stat()
        except FileNotFoundError:
            continue
        if info.st_uid == uid and stat.S_IMODE(info.st_mode) & ~OWNER_ONLY_FILE:
            candidate.chmod(OWNER_ONLY_FILE)


_restricted_databases: set[str] = set()


def restrict_sqlite_on_connect(sender: Any, connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: restrict a SQLite database's files once per
    process (connections are opened per request; the modes do not change in between)."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or name in _restricted_databases:
        return
    restrict_sqlite_files(name)
    _restricted_databases.add(name)
