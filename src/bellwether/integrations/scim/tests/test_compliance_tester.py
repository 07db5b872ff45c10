"""The scim2-tester suite (the python-scim project's RFC 7643/7644 compliance checks)
run against the endpoints in-process: discovery, then create, read, query with
attributes, replace, PATCH add/replace/remove and delete of Users and Groups."""

from __future__ import annotations

import pytest
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from scim2_client.engines.wsgi import WSGISCIMClient
from scim2_tester import Status, check_server


@pytest.fixture
def tester_results(scim_token, settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost"]
    client = WSGISCIMClient(
        get_wsgi_application(),
        base_url="http://testserver/scim/v2",
        headers={"Authorization": f"Bearer {scim_token[1]}"},
    )
    # As Django's test client does: the test's transaction holds the connection, so the
    # WSGI handler must not close it between requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        return check_server(client, raise_exceptions=False)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_the_scim2_tester_suite_passes(tester_results):
    failures = [
        (result.title, result.resource_type, result.reason)
        for result in tester_results
        if result.status not in {Status.SUCCESS, Status.SKIPPED}
    ]
    assert tester_results
    assert failures == []
