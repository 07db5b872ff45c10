"""How core and the demo find what each app contributes: ``bellwether.<app>.<submodule>``."""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from types import ModuleType

from django.apps import apps


def app_modules(submodule: str, *, besides: str = "") -> Iterator[ModuleType]:
    """Each installed Bellwether app's ``<app>.<submodule>`` module, in INSTALLED_APPS order,
    for the apps that have one (the app named ``besides`` left out)."""
    for config in apps.get_app_configs():
        if not config.name.startswith("bellwether.") or config.name == besides:
            continue
        name = f"{config.name}.{submodule}"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        yield module
