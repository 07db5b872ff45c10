"""The single sign-on pages in the access matrix (tests/test_access_matrix.py).

The configuration page is for organisation admins. The sign-in steps and the protocol
endpoints are for anyone (they are how one signs in): what they answer without a real
identity provider's message is checked here; the sign-ins themselves in test_oidc.py
and test_saml.py."""

from __future__ import annotations

from bellwether.integrations.sso.models import IdentityProvider
from bellwether.testing.access import Page, World, everyone, only

_SLUG = {"slug": "acme"}
_ORG = {"organization_slug": "acme"}

PAGES = [
    Page("sso_admin:settings", only(("admin",))),
    Page("sso_admin:remove", everyone(405)),
    Page("sso:start", everyone(405, anonymous=405)),
    Page("sso:organisation", everyone(200, anonymous=200), kwargs=lambda world: _SLUG),
    # Off to the identity provider.
    Page("sso:go", everyone(302, anonymous=302), kwargs=lambda world: _SLUG),
    # Acme's provider is SAML: there is no OpenID Connect sign-in to come back to.
    Page(
        "openid_connect_callback",
        everyone(404, anonymous=404),
        kwargs=lambda world: {"provider_id": "acme"},
    ),
    # The ACS keeps the posted answer and sends the browser on to finish it, where an
    # empty answer is refused with the refusal page.
    Page("saml_acs", everyone(302, anonymous=302), kwargs=lambda world: _ORG),
    Page("saml_finish_acs", everyone(400, anonymous=400), kwargs=lambda world: _ORG),
    Page("saml_sls", everyone(400, anonymous=400), kwargs=lambda world: _ORG),
    Page("saml_metadata", everyone(200, anonymous=200), kwargs=lambda world: _ORG),
    # Two-factor sign-in: each signed-in person's own page.
    Page("mfa:security", everyone(200)),
    Page("mfa:enable", everyone(405)),
    Page("mfa:disable", everyone(405)),
    Page("mfa:add_key", everyone(405)),
    Page("mfa:remove_key", everyone(405), kwargs=lambda world: {"pk": 1}),
    # The second step of a password sign-in; without a right password first, back to it.
    Page("mfa:verify", everyone(302, anonymous=302)),
    Page("mfa:verify_key", everyone(405, anonymous=405)),
]


def build(world: World) -> None:
    IdentityProvider.objects.create(
        organisation=world["org"],
        protocol=IdentityProvider.Protocol.SAML,
        name="Acme ADFS",
        email_domains="acme.test",
        metadata_url="https://idp.acme.test/metadata",
        entity_id="https://idp.acme.test/metadata",
        sso_url="https://idp.acme.test/sso",
        x509cert="MIIBdGVzdA==",
    )
