from __future__ import annotations

from pathlib import Path
from typing import cast

import pytest

from bellwether.initiatives.models import Initiative
from bellwether.initiatives.tests.factories import make_initiative
from bellwether.people.models import LeaderLevel, Person
from bellwether.testing.factories import PersonFactory


@pytest.fixture
def executive(org) -> Person:
    return cast(
        Person,
        PersonFactory(
            organisation=org,
            employee_id="X001",
            name="Eve Executive",
            leader_level=LeaderLevel.EXECUTIVE,
        ),
    )


@pytest.fixture
def second_executive(org) -> Person:
    return cast(
        Person,
        PersonFactory(
            organisation=org,
            employee_id="X002",
            name="Xavier Exec",
            leader_level=LeaderLevel.EXECUTIVE,
        ),
    )


@pytest.fixture
def initiative(org, executive) -> Initiative:
    return make_initiative(org, executive)


@pytest.fixture
def media_root(settings, tmp_path) -> Path:
    """Uploaded files (gate evidence) go to a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT
