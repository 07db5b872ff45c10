"""A burst of concurrent provisioning requests on PostgreSQL: every User is created
once, retried duplicates get 409, and nobody is lost or made twice (the partial unique
constraints decide; the services turn a lost race into ``uniqueness``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bellwether.integrations.scim.models import ScimUser
from bellwether.integrations.scim.tests.conftest import ScimClient, user_body
from bellwether.people.models import Person
from bellwether.testing.concurrency import at_once

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

USERS = 24
CLIENTS = 8


def test_concurrent_duplicate_posts_make_each_person_once(org, scim_token):
    secret = scim_token[1]
    # Every User is sent by two clients (an identity provider retrying), in a different order.
    work = [
        [f"user{n:03d}" for n in range(USERS) if n % (CLIENTS // 2) == c % (CLIENTS // 2)]
        for c in range(CLIENTS)
    ]

    def provision(names: list[str]) -> Callable[[], list[int]]:
        def post_each() -> list[int]:
            client = ScimClient(secret)
            return [
                client.post("Users", user_body(name, externalId=f"ext-{name}")).status_code
                for name in names
            ]

        return post_each

    answers, failures = at_once([provision(names) for names in work])
    statuses = [status for answered in answers for status in answered]

    assert failures == []
    assert sorted(set(statuses)) <= [201, 409]
    assert statuses.count(201) == USERS
    assert statuses.count(409) == USERS
    people = list(Person.objects.filter(organisation=org).values_list("employee_id", flat=True))
    created = [eid for eid in people if eid.startswith("ext-")]
    assert sorted(created) == sorted(f"ext-user{n:03d}" for n in range(USERS))
    assert ScimUser.objects.filter(organisation=org, deleted_at__isnull=True).count() == USERS
