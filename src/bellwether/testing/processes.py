"""The deployment started as plain processes, for the tests that run it: gunicorn web
processes (and workers) against the test PostgreSQL database, as docker-compose.yml
would start them, with the settings every container shares.

Used by the deployment test (``tests/test_deployment_processes.py``) and the SCIM
duplicate-create test across processes; the CI machine may not build images.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]  # the checkout: where gunicorn runs from
BIN = Path(sys.executable).parent


def database_url() -> str:
    """The test database, as the processes' ``DATABASE_URL``."""
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        f"/{db['NAME']}"
    )


def environment(settings: Any, **extra: str) -> dict[str, str]:
    """What compose gives each container: this machine's environment less the test
    runner's, one database, the same secrets, quiet logs; ``extra`` on top."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST", "DJANGO_"))},
        "DATABASE_URL": database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "BELLWETHER_SEALING_KEY": settings.BELLWETHER_SEALING_KEY,
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def start_web(port: int, env: dict[str, str], *extra_args: str) -> subprocess.Popen[bytes]:
    """One gunicorn web process (one worker, eight threads) on ``port``."""
    return subprocess.Popen(  # noqa: S603 (a fixed command line, test-only)
        [str(BIN / "gunicorn"), "bellwether.wsgi", "-w", "1", "--threads", "8",
         "-b", f"127.0.0.1:{port}", *extra_args, "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """One ``bellwether worker`` process taking queued jobs until stopped."""
    return subprocess.Popen(  # noqa: S603 (a fixed command line, test-only)
        [str(BIN / "bellwether"), "worker", "--batch", "--interval", "0.1"], env=env, cwd=ROOT
    )


def wait_ready(port: int, processes: list[subprocess.Popen[bytes]]) -> None:
    """Until the web process on ``port`` answers its readiness probe (``/readyz``): a
    minute at most, and at once if any of ``processes`` has stopped."""
    for _ in range(600):
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        if any(p.poll() is not None for p in processes):
            raise AssertionError("a web process stopped while starting")
        time.sleep(0.1)  # polling a process that is starting: there is no event to wait on
    raise AssertionError(f"the web process on {port} did not get ready")
