"""The organisation helpers every app's reads share."""

from __future__ import annotations

import pytest

from bellwether.core.models import Organisation, org_id_of


@pytest.mark.django_db
def test_org_id_of_takes_the_row_or_its_id() -> None:
    organisation = Organisation.objects.create(name="Acme", slug="acme")
    assert org_id_of(organisation) == organisation.pk
    assert org_id_of(organisation.pk) == organisation.pk
