"""Fixtures shared by the core tests."""

from __future__ import annotations

import pytest
from django.test import Client

from bellwether.accounts.models import Membership
from bellwether.testing.factories import api_client_for


@pytest.fixture
def token_client(members: dict[str, Membership]) -> Client:
    """The admin calling the API with a fresh personal token."""
    return api_client_for(members["admin"])
