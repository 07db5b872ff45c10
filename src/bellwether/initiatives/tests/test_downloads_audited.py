"""Every download of an initiative's package PDF or gate evidence is audited."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bellwether.core.models import AuditEvent
from bellwether.initiatives import services
from bellwether.initiatives.models import GateReview

pytestmark = pytest.mark.django_db


def test_the_package_pdf_download_is_audited(client_for, initiative, members) -> None:
    response = client_for("sponsor").get(reverse("initiatives:pdf", args=[initiative.pk]))
    assert response["Content-Type"] == "application/pdf"
    event = AuditEvent.objects.get(action="initiative.package_downloaded")
    assert (event.actor, event.organisation) == (members["sponsor"].user, initiative.organisation)
    assert (event.target_type, event.target_id) == ("initiatives.initiative", str(initiative.pk))
    assert event.details == {"format": "pdf", "filters": {}}


def test_an_evidence_download_is_audited(client_for, initiative, members, media_root) -> None:
    gate = GateReview.objects.get(initiative=initiative, key="gate.data_rights")
    services.submit_gate_evidence(
        gate=gate, actor=None, file=SimpleUploadedFile("dpa.pdf", b"%PDF-1.4 signed")
    )
    download = client_for("admin").get(
        reverse("initiatives:evidence_file", args=[initiative.pk, "gate.data_rights"])
    )
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed"
    event = AuditEvent.objects.get(action="initiative.evidence_downloaded")
    assert event.actor == members["admin"].user
    assert event.details == {
        "format": "pdf",
        "filters": {},
        "gate": "gate.data_rights",
        "file": "dpa.pdf",
    }


def test_a_missing_evidence_file_is_a_404_and_no_download_is_recorded(client_for, initiative):
    response = client_for("admin").get(
        reverse("initiatives:evidence_file", args=[initiative.pk, "gate.data_rights"])
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="initiative.evidence_downloaded").exists()
