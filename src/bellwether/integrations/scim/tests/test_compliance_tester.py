"""The scim2-tester suite (the python-scim project's RFC 7643/7644 compliance checks)
run against the endpoints in-process: discovery, then create, read, query with
attributes, replace, PATCH add/replace/remove and delete of Users and Groups."""

from __future__ import annotations

import pytest
from django.core.wsgi import get_wsgi_application
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
    return check_server(client, raise_exceptions=False)


def test_the_scim2_tester_suite_passes(tester_results):
    failures = [
        (result.title, result.resource_type, result.reason)
        for result in tester_results
        if result.status not in {Status.SUCCESS, Status.SKIPPED}
    ]
    assert tester_results
    assert failures == []
