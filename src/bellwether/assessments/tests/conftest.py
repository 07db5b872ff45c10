"""Fixtures shared by the readiness tests."""

from __future__ import annotations

import pytest

from bellwether.assessments.tests.helpers import Team, make_team
from bellwether.core.models import Organisation
from bellwether.people.models import OrgUnit


@pytest.fixture
def team(org: Organisation, unit: OrgUnit) -> Team:
    """Bo Boss's team in ``org``: leaders[0] (Ada Leader) with three reports, and three
    peers (see ``helpers.make_team``)."""
    return make_team(org, unit)
