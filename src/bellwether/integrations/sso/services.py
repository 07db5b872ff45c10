"""Writes for single sign-on: an admin configures the organisation's identity provider
(checked against the provider before anything is saved), and a person signing in through
it is linked just in time, by verified email, to a member of THAT organisation.

Every refusal says why in words and is audited (``sso.refused``, ``sso.failed``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

from bellwether.accounts import selectors as account_selectors
from bellwether.accounts import services as account_services
from bellwether.accounts import services_members
from bellwether.accounts.models import Membership, User
from bellwether.core import audit
from bellwether.core.errors import DomainError
from bellwether.integrations.sso import secrets
from bellwether.integrations.sso.models import IdentityProvider, SsoLink

Protocol = IdentityProvider.Protocol
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1"}
MAX_METADATA_BYTES = 1024 * 1024
FETCH_TIMEOUT = 10


@dataclass(frozen=True)
class ProviderInput:
    """What the admin's form sends; blank ``client_secret`` keeps the stored one."""

    protocol: str
    name: str
    email_domains: str = ""
    is_enabled: bool = True
    sso_required: bool = False
    server_url: str = ""
    client_id: str = ""
    client_secret: str = ""
    metadata_url: str = ""
    metadata_xml: str = ""
    entity_id: str = ""


def _field_error(field: str, message: str, code: str = "invalid_sso_config") -> DomainError:
    return DomainError(message, code=code, field_errors={field: [message]})


def _check_url(field: str, url: str, label: str) -> str:
    url = url.strip()
    if not url:
        raise _field_error(field, f"Enter the {label}.")
    parts = urlsplit(url)
    local = (parts.hostname or "") in _LOCAL_HOSTS and settings.BELLWETHER_SSO_ALLOW_HTTP_LOCALHOST
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise _field_error(
            field, f"The {label} must be an https:// address, e.g. https://login.example.com/."
        )
    if not parts.hostname:
        raise _field_error(field, f"The {label} is not a web address.")
    return url


def _check_domains(value: str) -> str:
    domains = [d for d in value.replace(",", " ").lower().split() if d]
    for domain in domains:
        if not _DOMAIN.match(domain.lstrip("@")):
            raise _field_error(
                "email_domains", f"“{domain}” is not an email domain, e.g. example.com."
            )
    return " ".join(d.lstrip("@") for d in domains)


def _check_oidc(data: ProviderInput, existing: IdentityProvider | None) -> dict[str, Any]:
    server_url = _check_url("server_url", data.server_url, "issuer (server) URL")
    if not data.client_id.strip():
        raise _field_error("client_id", "Enter the client id your identity provider gave you.")
    if not data.client_secret and not (existing and existing.has_secret):
        raise _field_error("client_secret", "Enter the client secret.")
    discovery = server_url.rstrip("/")
    if ".well-known/openid-configuration" not in discovery:
        discovery += "/.well-known/openid-configuration"
    try:
        answer = requests.get(discovery, timeout=FETCH_TIMEOUT)
        answer.raise_for_status()
        config = answer.json()
    except (requests.RequestException, ValueError) as exc:
        raise _field_error(
            "server_url",
            f"Bellwether could not read the provider's configuration at {discovery} "
            f"({type(exc).__name__}). Check the issuer URL.",
        ) from None
    if not isinstance(config, dict) or not config.get("authorization_endpoint"):
        raise _field_error(
            "server_url",
            f"{discovery} is not an OpenID Connect configuration (no authorization_endpoint).",
        )
    fields: dict[str, Any] = {"server_url": server_url, "client_id": data.client_id.strip()}
    if data.client_secret:
        fields["client_secret_encrypted"] = secrets.encrypt(data.client_secret)
    return fields


def _check_saml(data: ProviderInput) -> dict[str, Any]:
    url, xml = data.metadata_url.strip(), data.metadata_xml.strip()
    if not url and not xml:
        raise _field_error("metadata_url", "Give the metadata URL or paste the metadata XML.")
    entity_id = data.entity_id.strip() or None
    field = "metadata_url" if url else "metadata_xml"
    try:
        if url:
            _check_url("metadata_url", url, "metadata URL")
            answer = requests.get(url, timeout=FETCH_TIMEOUT)
            answer.raise_for_status()
            xml = answer.text
        if len(xml.encode()) > MAX_METADATA_BYTES:
            raise _field_error(field, "The metadata is larger than 1 MB.")
        parsed = OneLogin_Saml2_IdPMetadataParser.parse(xml, entity_id=entity_id)
    except DomainError:
        raise
    except requests.RequestException as exc:
        raise _field_error(
            field, f"Bellwether could not fetch the metadata ({type(exc).__name__})."
        ) from None
    except Exception:
        raise _field_error(field, "The metadata is not valid SAML 2.0 metadata XML.") from None
    idp = parsed.get("idp") or {}
    cert = idp.get("x509cert") or "".join((idp.get("x509certMulti") or {}).get("signing", [])[:1])
    sso_url = (idp.get("singleSignOnService") or {}).get("url", "")
    if not idp.get("entityId"):
        which = f" for the entity id “{entity_id}”" if entity_id else ""
        raise _field_error(field, f"The metadata names no identity provider{which}.")
    if not sso_url:
        raise _field_error(field, "The metadata gives no single sign-on address.")
    if not cert:
        raise _field_error(field, "The metadata has no signing certificate.")
    return {
        "metadata_url": url,
        "metadata_xml": "" if url else xml,
        "entity_id": idp["entityId"],
        "sso_url": sso_url,
        "x509cert": cert,
    }


def configure_provider(*, membership: Membership, data: ProviderInput) -> IdentityProvider:
    """Create or replace the organisation's identity provider. Checked in full (the
    OIDC configuration or SAML metadata is read) before anything changes."""
    organisation = membership.organisation
    existing = IdentityProvider.objects.filter(organisation=organisation).first()
    if data.protocol not in Protocol.values:
        raise _field_error("protocol", "Choose OpenID Connect or SAML 2.0.")
    name = data.name.strip()
    if not name or len(name) > 100:
        raise _field_error("name", "Give the provider a name of at most 100 characters.")
    fields: dict[str, Any] = {
        "protocol": data.protocol,
        "name": name,
        "email_domains": _check_domains(data.email_domains),
        "is_enabled": data.is_enabled,
        "sso_required": data.sso_required,
    }
    if data.sso_required and not data.is_enabled:
        raise _field_error(
            "sso_required", "SSO can be required only while the provider is enabled."
        )
    blank = {
        "server_url": "",
        "client_id": "",
        "client_secret_encrypted": "",
        "metadata_url": "",
        "metadata_xml": "",
        "entity_id": "",
        "sso_url": "",
        "x509cert": "",
    }
    if data.protocol == Protocol.OIDC:
        keep = existing if existing and existing.protocol == Protocol.OIDC else None
        fields |= {**blank, **_check_oidc(data, keep)}
        if "client_secret_encrypted" not in fields or not fields["client_secret_encrypted"]:
            fields["client_secret_encrypted"] = keep.client_secret_encrypted if keep else ""
    else:
        fields |= {**blank, **_check_saml(data)}
    with transaction.atomic():
        provider, created = IdentityProvider.objects.update_or_create(
            organisation=organisation, defaults={**fields, "updated_by": membership.user}
        )
        audit.record(
            action="sso.configured",
            organisation=organisation,
            actor=membership.user,
            target=provider,
            details={
                "protocol": provider.protocol,
                "created": created,
                "enabled": provider.is_enabled,
                "sso_required": provider.sso_required,
                "secret_changed": bool(data.client_secret),
            },
        )
    return provider


@transaction.atomic
def remove_provider(*, membership: Membership) -> None:
    provider = IdentityProvider.objects.filter(organisation=membership.organisation).first()
    if provider is None:
        raise DomainError("The organisation has no identity provider.", code="not_found")
    audit.record(
        action="sso.removed",
        organisation=membership.organisation,
        actor=membership.user,
        target_label=str(provider),
        details={"protocol": provider.protocol},
    )
    provider.delete()


# --- signing in ------------------------------------------------------------------------


class SignInRefused(DomainError):
    """Someone the identity provider vouched for who may not sign in here."""


@dataclass(frozen=True)
class _Refusal:
    reason: str
    message: str


def sign_in(
    *,
    request: HttpRequest,
    provider: IdentityProvider,
    subject: str,
    email: str,
    email_verified: bool,
) -> User:
    """Sign in the person the provider vouched for. A link made before is used; else
    the verified email must belong to an active member of the provider's organisation
    (or someone it invited: the invitation is accepted), and the link is made now.
    Anyone else is refused (``SignInRefused``; audited as ``sso.refused``)."""
    email = account_services.normalise_email(email or "")
    outcome = _link(
        request=request,
        provider=provider,
        subject=subject,
        email=email,
        email_verified=email_verified,
    )
    if isinstance(outcome, _Refusal):
        # Written outside the linking transaction, which changed nothing.
        audit.record(
            action="sso.refused",
            organisation=provider.organisation,
            actor_label=email or "unknown",
            target=provider,
            details={"reason": outcome.reason, "protocol": provider.protocol, "email": email},
            request=request,
        )
        raise SignInRefused(outcome.message, code=outcome.reason)
    account_services.sign_in_with_sso(
        request=request, user=outcome, organisation=provider.organisation
    )
    return outcome


@transaction.atomic
def _link(
    *,
    request: HttpRequest,
    provider: IdentityProvider,
    subject: str,
    email: str,
    email_verified: bool,
) -> User | _Refusal:
    org = provider.organisation
    link = SsoLink.objects.filter(provider=provider, subject=subject).first()
    user = link.user if link else None
    if user is None:
        if not email:
            return _Refusal(
                "no_email",
                f"{provider.name} did not tell Bellwether your email address, so your "
                "account cannot be found. Ask your administrator to release the email "
                "claim or attribute to Bellwether.",
            )
        if not email_verified:
            return _Refusal(
                "email_unverified",
                f"{provider.name} has not verified the address {email}, so Bellwether "
                "cannot link it to your account. Verify it with your identity provider, "
                "or sign in another way.",
            )
        user = User.objects.filter(email__iexact=email).first()
    if user is None or not user.is_active:
        return _Refusal(
            "unknown_person",
            f"There is no Bellwether account for {email} in {org.name}. Ask an "
            f"administrator of {org.name} to invite you first.",
        )
    if not account_selectors.is_active_member_of(user.pk, org.pk):
        invitation = (
            account_selectors.pending_invitations_for(user).filter(organisation=org).first()
        )
        if invitation is not None:
            # Invited: signing in through the organisation's provider accepts it.
            services_members.accept_invitation(
                user=user, invitation_id=invitation.pk, request=request
            )
    if not account_selectors.is_active_member_of(user.pk, org.pk):
        return _Refusal(
            "other_organisation",
            f"{provider.name} is the sign-in of {org.name}, and {email or 'your account'} "
            f"is not a member of {org.name}. Sign in through your own organisation's "
            "sign-in, or ask an administrator to invite you.",
        )
    now = timezone.now()
    if link is None:
        SsoLink.objects.create(
            organisation=org, provider=provider, subject=subject, user=user, last_sign_in_at=now
        )
        audit.record(
            action="sso.linked",
            organisation=org,
            actor=user,
            target=provider,
            details={"protocol": provider.protocol, "subject": subject[:100]},
            request=request,
        )
    else:
        SsoLink.objects.filter(pk=link.pk).update(last_sign_in_at=now)
    return user


def record_failure(*, request: HttpRequest, provider: IdentityProvider | None, reason: str) -> None:
    """A sign-in the provider's answer did not complete (invalid, expired, replayed…)."""
    audit.record(
        action="sso.failed",
        organisation=provider.organisation if provider else None,
        actor_label="unknown",
        target=provider,
        details={"reason": reason[:300]},
        request=request,
    )
