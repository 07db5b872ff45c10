"""GET /api/v1/framework and its slices."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from bellwether.accounts.models import ApiToken
from bellwether.accounts.tokens import digest, display_prefix, new_secret
from bellwether.api import api
from bellwether.framework.catalogue import CATALOGUE


def _token_for(membership, *, revoked=False):
    secret = new_secret()
    ApiToken.objects.create(
        membership=membership,
        name="test",
        prefix=display_prefix(secret),
        digest=digest(secret),
        revoked_at=timezone.now() if revoked else None,
    )
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.mark.parametrize("role", ["admin", "sponsor", "leader", "coach", "reviewer"])
def test_every_member_reads_the_catalogue_with_a_token(members, role):
    response = Client().get("/api/v1/framework", **_token_for(members[role]))
    assert response.status_code == 200
    assert response.json() == CATALOGUE.to_dict()


def test_without_a_token_the_api_refuses(db):
    response = Client().get("/api/v1/framework")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_revoked_token_is_refused(members):
    response = Client().get("/api/v1/framework", **_token_for(members["admin"], revoked=True))
    assert response.status_code == 401


def test_bands_endpoint_lists_the_five_bands(members):
    response = Client().get("/api/v1/framework/bands", **_token_for(members["leader"]))
    assert response.status_code == 200
    assert [(b["key"], b["min_score"], b["max_score"]) for b in response.json()] == [
        ("band.champion", 85, 100),
        ("band.supporter", 70, 84),
        ("band.cautious", 55, 69),
        ("band.skeptical", 40, 54),
        ("band.resistant", 20, 39),
    ]


@pytest.mark.parametrize(
    ("path", "count"),
    [("/behaviours", 15), ("/kpis", 10), ("/gates", 5)],
)
def test_slices_return_their_entries(members, path, count):
    response = Client().get(f"/api/v1/framework{path}", **_token_for(members["coach"]))
    assert response.status_code == 200
    assert len(response.json()) == count


def test_instrument_endpoint_has_twenty_items(members):
    data = Client().get("/api/v1/framework/instrument", **_token_for(members["sponsor"])).json()
    assert sum(len(d["items"]) for d in data["dimensions"]) == 20
    assert (data["min_total"], data["max_total"]) == (20, 100)


def test_the_openapi_document_describes_the_catalogue():
    schema = api.get_openapi_schema()
    for path in ["", "/instrument", "/bands", "/behaviours", "/kpis", "/gates"]:
        assert f"/api/v1/framework{path}" in schema["paths"]
    response_ref = schema["paths"]["/api/v1/framework"]["get"]["responses"][200]
    assert response_ref["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Catalogue"
    }
    catalogue_schema = schema["components"]["schemas"]["Catalogue"]
    assert set(catalogue_schema["required"]) == set(CATALOGUE.to_dict())
