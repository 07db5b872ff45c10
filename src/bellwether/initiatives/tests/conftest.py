from __future__ import annotations

from pathlib import Path

import pytest

from bellwether.initiatives.models import Initiative
from bellwether.initiatives.tests.factories import make_executive, make_initiative
from bellwether.people.models import Person


@pytest.fixture
def executive(org) -> Person:
    return make_executive(org, "X001", "Eve Executive")


@pytest.fixture
def second_executive(org) -> Person:
    return make_executive(org, "X002", "Xavier Exec")


@pytest.fixture
def initiative(org, executive) -> Initiative:
    return make_initiative(org, executive)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Uploaded files (gate evidence) go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
