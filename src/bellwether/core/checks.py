"""Deployment checks of our own, run by ``bellwether check --deploy``.

Django's checks look at settings; what broke production before was the state of the
installation: with the manifest storage, a page whose static file is missing from
``staticfiles.json`` raises instead of rendering, so every page answers 500.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import ManifestFilesMixin, staticfiles_storage
from django.core.checks import CheckMessage, Error, Tags, register

# collectstatic's own default ignore patterns: files it would never copy.
IGNORED = ["CVS", ".*", "*~"]
SHOWN = 5


@register(Tags.staticfiles, deploy=True)
def check_static_files_collected(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    storage = staticfiles_storage  # a lazy object: isinstance sees the configured class
    if not isinstance(storage, ManifestFilesMixin) or not storage.manifest_strict:
        return []
    try:
        manifest, _hash = storage.load_manifest()
    except ValueError as exc:
        return [
            Error(
                f"The static files manifest in {settings.STATIC_ROOT} cannot be read: {exc}",
                hint="Run `bellwether collectstatic --noinput` again.",
                id="bellwether.E001",
            )
        ]
    if not manifest:
        return [
            Error(
                f"Static files have not been collected into {settings.STATIC_ROOT}: "
                "every page would answer 500.",
                hint="Run `bellwether collectstatic --noinput` after each install or upgrade.",
                id="bellwether.E001",
            )
        ]
    missing = sorted(
        path.replace("\\", "/")
        for finder in finders.get_finders()
        for path, _storage in finder.list(IGNORED)
        if path.replace("\\", "/") not in manifest
    )
    if missing:
        listed = ", ".join(missing[:SHOWN]) + (" …" if len(missing) > SHOWN else "")
        return [
            Error(
                f"{len(missing)} static file(s) changed since the last collectstatic "
                f"and are not in its manifest: {listed}. Pages using them would answer 500.",
                hint="Run `bellwether collectstatic --noinput` after each install or upgrade.",
                id="bellwether.E002",
            )
        ]
    return []
