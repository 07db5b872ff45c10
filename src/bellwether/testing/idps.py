"""Real identity providers, started by the tests on this machine.

* OpenID Connect: ``oidc-provider-mock`` (an Authlib-based provider) in a thread.
* SAML 2.0: a pysaml2 ``Server`` behind a small WSGI app in a thread: it serves its
  metadata, answers an AuthnRequest (HTTP-Redirect) with a signed Response (HTTP-POST
  form, submitted by script in a browser) for whoever the test says is signing in.

The protocol work is the libraries'; this module only puts them on a port.
"""

from __future__ import annotations

import datetime as dt
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def self_signed(directory: Path, name: str = "idp") -> tuple[Path, Path]:
    """A throwaway RSA key and certificate for signing assertions."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name}.test")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.TraditionalOpenSSL,
            serialization.NoEncryption(),
        )
    )
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@contextmanager
def _serve(app: Any) -> Iterator[WSGIServer]:
    server = make_server("127.0.0.1", 0, app, server_class=WSGIServer, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --- OpenID Connect ----------------------------------------------------------------------


@contextmanager
def oidc_provider() -> Iterator[str]:
    """An OpenID Connect provider; yields its issuer URL. Register users with
    ``set_oidc_user(issuer, sub, claims)``; the authorize form takes a ``sub``."""
    import oidc_provider_mock

    with oidc_provider_mock.run_server_in_thread() as server:
        yield f"http://localhost:{server.server_port}"


def set_oidc_user(issuer: str, sub: str, claims: dict[str, Any]) -> None:
    import requests

    requests.put(f"{issuer}/users/{sub}", json=claims, timeout=10).raise_for_status()


# --- SAML 2.0 -----------------------------------------------------------------------------


@dataclass
class SamlIdp:
    """A pysaml2 identity provider on a port; ``user`` is who signs in next."""

    base_url: str
    server: Any
    user: dict[str, str] = field(default_factory=dict)
    sign_assertion: bool = True
    audience: str = ""  # answer for another service provider than the one that asked

    @property
    def metadata_url(self) -> str:
        return f"{self.base_url}/metadata"

    def metadata(self) -> str:
        from saml2.metadata import create_metadata_string

        return create_metadata_string(None, config=self.server.config, sign=False).decode()

    def respond(self, saml_request: str, relay_state: str = "") -> dict[str, str]:
        """The signed Response to an AuthnRequest: the ACS address and the POST fields."""
        from saml2 import BINDING_HTTP_REDIRECT, xmldsig
        from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID

        request = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT).message
        acs = request.assertion_consumer_service_url
        sp_entity = self.audience or request.issuer.text
        response = self.server.create_authn_response(
            identity={"mail": [self.user["email"]], "uid": [self.user["subject"]]},
            in_response_to=request.id,
            destination=acs,
            sp_entity_id=sp_entity,
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text=self.user["subject"]),
            authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"},
            sign_assertion=True,
            sign_response=False,
            sign_alg=xmldsig.SIG_RSA_SHA256,
            digest_alg=xmldsig.DIGEST_SHA256,
        )
        import base64

        xml = str(response).encode()
        if not self.sign_assertion:
            # An assertion whose signature was stripped on the way.
            from lxml import etree

            tree = etree.fromstring(xml)
            for signature in tree.iter("{http://www.w3.org/2000/09/xmldsig#}Signature"):
                signature.getparent().remove(signature)
            xml = etree.tostring(tree)
        encoded = base64.b64encode(xml).decode()
        return {"acs": acs, "SAMLResponse": encoded, "RelayState": relay_state}

    def app(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == "/metadata":
            start_response("200 OK", [("Content-Type", "application/samlmetadata+xml")])
            return [self.metadata().encode()]
        if path == "/sso/redirect":
            query = parse_qs(environ.get("QUERY_STRING", ""))
            answer = self.respond(query["SAMLRequest"][0], query.get("RelayState", [""])[0])
            from html import escape

            page = (
                "<!doctype html><html lang='en'><head><title>Test IdP</title></head><body>"
                f"<form method='post' action='{escape(answer['acs'])}' id='saml'>"
                f"<input type='hidden' name='SAMLResponse' value='{answer['SAMLResponse']}'>"
                f"<input type='hidden' name='RelayState' value='{escape(answer['RelayState'])}'>"
                "<button type='submit'>Continue</button></form>"
                "<script>document.getElementById('saml').submit()</script></body></html>"
            )
            start_response("200 OK", [("Content-Type", "text/html; charset=utf-8")])
            return [page.encode()]
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]


@contextmanager
def saml_idp(directory: Path) -> Iterator[SamlIdp]:
    """A pysaml2 SAML 2.0 identity provider on a free port."""
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.config import IdPConfig
    from saml2.saml import NAME_FORMAT_URI
    from saml2.server import Server

    key, cert = self_signed(directory)
    holder: dict[str, SamlIdp] = {}

    def app(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        return holder["idp"].app(environ, start_response)

    with _serve(app) as httpd:
        base = f"http://127.0.0.1:{httpd.server_port}"
        config = IdPConfig()
        config.load(
            {
                "entityid": f"{base}/metadata",
                "service": {
                    "idp": {
                        "name": "Test IdP",
                        "endpoints": {
                            "single_sign_on_service": [
                                (f"{base}/sso/redirect", BINDING_HTTP_REDIRECT)
                            ]
                        },
                        "policy": {
                            "default": {
                                "lifetime": {"minutes": 5},
                                "attribute_restrictions": None,
                                "name_form": NAME_FORMAT_URI,
                            }
                        },
                        "want_authn_requests_signed": False,
                    }
                },
                "key_file": str(key),
                "cert_file": str(cert),
                "xmlsec_binary": shutil.which("xmlsec1"),
                "metadata": {},
            }
        )
        holder["idp"] = SamlIdp(base_url=base, server=Server(config=config))
        yield holder["idp"]
