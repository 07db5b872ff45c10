"""Schemathesis against the OpenAPI document: no generated request may cause a 500.

Each operation is called with a valid token of an organisation admin (so the
requests reach the code behind the permission checks), and the answers are
checked against the document as well.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from bellwether.accounts.models import ApiToken
from bellwether.accounts.roles import Role
from bellwether.accounts.tokens import digest, display_prefix, new_secret
from bellwether.testing.factories import OrgUnitFactory, PersonFactory, make_member


@pytest.fixture(autouse=True)
def keep_the_test_connection():  # type: ignore[no-untyped-def]
    """Schemathesis calls the WSGI app directly, and Django closes the database
    connection at the end of each request, which would end the test's transaction
    (and, with the PostgreSQL pool, hand the connection back). Django's own test
    client avoids this the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(org) -> str:  # type: ignore[no-untyped-def]
    admin = make_member(org, Role.ADMIN, email="fuzz-admin@acme.test")
    unit = OrgUnitFactory(organisation=org, code="FZ", name="Fuzz unit")
    PersonFactory(organisation=org, employee_id="FZ1", name="Fuzz Person", org_unit=unit)
    secret = new_secret()
    ApiToken.objects.create(
        membership=admin, name="fuzz", prefix=display_prefix(secret), digest=digest(secret)
    )
    return secret


# Loaded through the app itself, so the test checks the document the server serves.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())


@schema.parametrize()
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_generated_request_causes_a_server_error(case, admin_token):  # type: ignore[no-untyped-def]
    response = case.call(headers={"Authorization": f"Bearer {admin_token}"})
    case.validate_response(
        response,
        checks=[not_a_server_error, content_type_conformance, response_schema_conformance],
    )
