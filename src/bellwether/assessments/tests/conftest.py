"""Fixtures shared by the readiness tests."""

from __future__ import annotations

import pytest

from bellwether.assessments.models import ReadinessCycle
from bellwether.assessments.tests.helpers import Team, launch, make_team
from bellwether.core.models import Organisation
from bellwether.people.models import OrgUnit


@pytest.fixture
def team(org: Organisation, unit: OrgUnit) -> Team:
    """Bo Boss's team in ``org``: leaders[0] (Ada Leader) with three reports, and three
    peers (see ``helpers.make_team``)."""
    return make_team(org, unit)


@pytest.fixture
def cycle(org: Organisation, team: Team) -> ReadinessCycle:
    """A cycle, open since an hour ago, for the team's lead (``team.leaders[0]``) alone."""
    return launch(org, [team.leaders[0]])
