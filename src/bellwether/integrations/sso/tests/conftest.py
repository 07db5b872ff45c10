"""Identity providers started for the tests, and the steps of a sign-in through them
with Django's test client (the provider is reached over real HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests
from django.test import Client

from bellwether.testing.idps import SamlIdp, oidc_provider, saml_idp


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    with oidc_provider() as issuer:
        yield issuer


@pytest.fixture(scope="session")
def saml_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SamlIdp]:
    with saml_idp(Path(tmp_path_factory.mktemp("saml-idp"))) as idp:
        yield idp


@pytest.fixture
def saml(saml_server: SamlIdp) -> SamlIdp:
    saml_server.sign_assertion = True
    saml_server.audience = ""
    saml_server.user = {}
    return saml_server


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def oidc_sign_in(client: Client, slug: str, sub: str) -> Any:
    """Start at the organisation's sign-in, approve as ``sub`` at the provider, and
    come back: the response of Bellwether's callback."""
    start = client.get(f"/sso/org/{slug}/go/")
    assert start.status_code == 302, start.content
    authorize = requests.post(
        start["Location"], data={"sub": sub}, allow_redirects=False, timeout=10
    )
    assert authorize.status_code == 302, authorize.text
    return client.get(path_of(authorize.headers["Location"]))


def saml_start(client: Client, slug: str) -> dict[str, str]:
    """The AuthnRequest Bellwether sends: its query fields."""
    from urllib.parse import parse_qs

    start = client.get(f"/sso/org/{slug}/go/")
    assert start.status_code == 302, start.content
    query = parse_qs(urlsplit(start["Location"]).query)
    return {"SAMLRequest": query["SAMLRequest"][0], "RelayState": query.get("RelayState", [""])[0]}


def saml_post(client: Client, answer: dict[str, str]) -> Any:
    """POST the Response to the ACS and follow Bellwether's own redirect to finish."""
    acs = client.post(
        path_of(answer["acs"]),
        {"SAMLResponse": answer["SAMLResponse"], "RelayState": answer["RelayState"]},
    )
    assert acs.status_code == 302, acs.content
    return client.get(acs["Location"])
