"""Gate evidence is safe to open: links are http(s) only, refused with a clear message
and nothing saved (page, API and service alike), and uploaded files are owner-only."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from bellwether.accounts.roles import Role
from bellwether.core.errors import DomainError
from bellwether.core.links import LINK_MESSAGE
from bellwether.core.models import AuditEvent
from bellwether.initiatives import services
from bellwether.initiatives.models import GateReview
from bellwether.testing.factories import api_client_for, make_member

GATE = "gate.data_rights"
UNSAFE = [
    "javascript:alert(document.cookie)",
    "JaVaScRiPt:alert(1)",
    "  javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.com/dpa.pdf",
    "//evil.example/dpa",
    "https:javascript:alert(1)",
    "https://",
    "https://exa mple.com/",
]


@pytest.fixture
def editor(org, executive) -> Client:
    client = Client()
    client.force_login(make_member(org, Role.LEADER, email="eve@acme.test", person=executive).user)
    return client


def gate_of(initiative) -> GateReview:
    return GateReview.objects.get(initiative=initiative, key=GATE)


def assert_nothing_saved(initiative, media_root: Path | None = None) -> None:
    gate = gate_of(initiative)
    assert (gate.status, gate.evidence_text, gate.evidence_link, gate.evidence_file.name) == (
        "open",
        "",
        "",
        "",
    )
    assert not AuditEvent.objects.filter(action="initiative.gate_evidence_submitted").exists()
    if media_root is not None:
        assert not media_root.exists() or not any(p.is_file() for p in media_root.rglob("*"))


@pytest.mark.parametrize("link", UNSAFE)
def test_the_service_refuses_links_that_are_not_web_addresses(initiative, link) -> None:
    with pytest.raises(DomainError) as refusal:
        services.submit_gate_evidence(gate=gate_of(initiative), actor=None, text="DPA", link=link)
    assert refusal.value.field_errors == {"link": [LINK_MESSAGE]}
    assert_nothing_saved(initiative)


def test_the_service_refuses_a_bad_link_before_storing_the_file(initiative, media_root) -> None:
    with pytest.raises(DomainError):
        services.submit_gate_evidence(
            gate=gate_of(initiative),
            actor=None,
            link="javascript:alert(1)",
            file=SimpleUploadedFile("dpa.txt", b"signed"),
        )
    assert_nothing_saved(initiative, media_root)


@pytest.mark.parametrize(
    "link",
    ["https://intranet.example.com/legal/dpa.pdf", "http://wiki.example.com:8080/p?id=7#signed"],
)
def test_the_service_keeps_http_and_https_links(initiative, link) -> None:
    gate = services.submit_gate_evidence(gate=gate_of(initiative), actor=None, link=f" {link} ")
    assert gate_of(initiative).evidence_link == link == gate.evidence_link


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x"]
)
def test_the_page_refuses_the_link_with_the_reason_and_saves_nothing(
    editor, initiative, link, media_root
) -> None:
    response = editor.post(
        reverse("initiatives:gate", args=[initiative.pk, GATE]),
        {
            "action": "evidence",
            "text": "DPA",
            "link": link,
            "file": SimpleUploadedFile("dpa.txt", b"signed"),
        },
    )
    assert response.status_code == 400
    assert "Give a web address that starts with https://" in response.content.decode()
    assert_nothing_saved(initiative, media_root)


def test_the_page_completes_an_address_without_a_scheme_as_https(editor, initiative) -> None:
    response = editor.post(
        reverse("initiatives:gate", args=[initiative.pk, GATE]),
        {"action": "evidence", "link": "intranet.example.com/dpa"},
    )
    assert response.status_code == 302
    assert gate_of(initiative).evidence_link == "https://intranet.example.com/dpa"


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:,x", "vbscript:x", "ftp://x.example"]
)
def test_the_api_refuses_the_link_with_the_reason_and_saves_nothing(
    org, executive, initiative, link
) -> None:
    client = api_client_for(make_member(org, Role.LEADER, email="eve@acme.test", person=executive))
    response = client.post(
        f"/api/v1/initiatives/{initiative.pk}/gates/{GATE}/evidence",
        {"text": "DPA", "link": link},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"] == {"link": [LINK_MESSAGE]}
    assert_nothing_saved(initiative)


def test_the_api_stores_an_https_link(org, executive, initiative) -> None:
    client = api_client_for(make_member(org, Role.LEADER, email="eve@acme.test", person=executive))
    response = client.post(
        f"/api/v1/initiatives/{initiative.pk}/gates/{GATE}/evidence",
        {"link": "https://intranet.example.com/dpa"},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert response.json()["evidence_link"] == "https://intranet.example.com/dpa"


def test_the_openapi_document_says_which_links_are_accepted(db) -> None:
    document = Client().get("/api/v1/openapi.json").json()
    link = document["components"]["schemas"]["EvidenceIn"]["properties"]["link"]
    assert link["maxLength"] == 500
    assert "http(s)" in link["description"]


def test_a_link_stored_before_the_rule_is_shown_as_text_not_as_a_link(editor, initiative) -> None:
    GateReview.objects.filter(initiative=initiative, key=GATE).update(
        evidence_link="javascript:alert(document.cookie)", status="evidence_submitted"
    )
    html = editor.get(reverse("initiatives:gate", args=[initiative.pk, GATE])).content.decode()
    assert "<dd>javascript:alert(document.cookie)</dd>" in html
    assert 'href="javascript:' not in html


def test_a_safe_stored_link_is_a_link(editor, initiative) -> None:
    services.submit_gate_evidence(
        gate=gate_of(initiative), actor=None, link="https://intranet.example.com/dpa"
    )
    html = editor.get(reverse("initiatives:gate", args=[initiative.pk, GATE])).content.decode()
    assert (
        '<a href="https://intranet.example.com/dpa" rel="noopener noreferrer">'
        "https://intranet.example.com/dpa</a>"
    ) in html


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_uploaded_evidence_is_owner_only_whatever_the_umask(
    editor, initiative, media_root, tmp_path
) -> None:
    previous = os.umask(0o022)
    try:
        response = editor.post(
            reverse("initiatives:gate", args=[initiative.pk, GATE]),
            {"action": "evidence", "file": SimpleUploadedFile("dpa.txt", b"signed")},
        )
    finally:
        os.umask(previous)
    assert response.status_code == 302
    stored = Path(gate_of(initiative).evidence_file.path)
    assert stored.read_bytes() == b"signed"
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    directory = stored.parent
    while directory != tmp_path:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
        directory = directory.parent
