"""BELLWETHER_ENV=production turns on the deployment hardening that `check --deploy` looks for
(the check itself, after collectstatic, is in core/tests/test_production.py)."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path


def production_env(tmp_path: Path) -> dict[str, str]:
    # A clean deployment environment: none of our own settings, and none of the
    # test run's (the browser tests allow async-unsafe ORM calls for Playwright).
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("BELLWETHER_") and key != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bellwether.settings",
            "BELLWETHER_ENV": "production",
            "BELLWETHER_VAR_DIR": str(tmp_path),
            "SECRET_KEY": secrets.token_urlsafe(50)[:50],
            "ALLOWED_HOSTS": "bellwether.example.com",
        }
    )
    return env


def test_production_turns_on_secure_cookies_and_a_year_of_hsts(tmp_path):
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SECURE_SSL_REDIRECT', 'DEBUG', 'SESSION_COOKIE_HTTPONLY']}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(result.stdout.strip().splitlines()[-1]) == {
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "DEBUG": False,
        "SESSION_COOKIE_HTTPONLY": True,
    }
