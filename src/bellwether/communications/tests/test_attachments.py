"""A file beside the link: checked against the shared upload limits and a short list of
types, stored under MEDIA_ROOT, downloaded only through an access-checked, audited view."""

from __future__ import annotations

import base64
import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from bellwether.communications import attachments, services
from bellwether.communications.models import Delivery
from bellwether.core.errors import DomainError
from bellwether.core.models import AuditEvent
from bellwether.core.uploads import MB, UploadLimits
from bellwether.testing.factories import api_client_for

PDF = b"%PDF-1.4 slides of the town hall"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _form(**extra):
    moment = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    return {
        "delivered_at": moment,
        "channel": "channel.all_hands",
        "audiences": ["audience.employees"],
        "title": "Town hall",
        **extra,
    }


def test_a_file_logged_with_the_delivery_is_downloaded_only_by_those_who_may_see_it(
    coachee, client_for, media
) -> None:
    admin = client_for("admin")
    response = admin.post(
        f"/communications/leaders/{coachee.pk}/log/",
        _form(attachment=SimpleUploadedFile("../../Town hall.pdf", PDF)),
    )
    assert response.status_code == 302
    delivery = Delivery.objects.get()
    assert delivery.attachment_name == "Town hall.pdf"
    assert str(media) in delivery.attachment.path
    page = admin.get(f"/communications/leaders/{coachee.pk}/").content.decode()
    download = f"/communications/leaders/{coachee.pk}/deliveries/{delivery.pk}/attachment/"
    assert download in page
    assert delivery.attachment.name not in page  # never the stored path or a media URL
    coach = client_for("coach")
    got = coach.get(download)
    assert got.status_code == 200
    assert b"".join(got.streaming_content) == PDF
    assert "Town hall.pdf" in got["Content-Disposition"]
    assert AuditEvent.objects.filter(action="communications.attachment_downloaded").count() == 1
    assert client_for("leader").get(download).status_code == 404
    assert client_for("reviewer").get(download).status_code == 403
    assert client_for("outsider").get(download).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("big.pdf", b"%PDF-" + b"x" * (10 * MB), "at most 10.0 MB"),
        ("tool.exe", b"MZ\x90\x00", "one of these types"),
        ("fake.pdf", b"MZ\x90\x00", "not really a .pdf"),
        ("empty.txt", b"", "empty"),
        ("latin.txt", "café".encode("latin-1"), "UTF-8"),
    ],
)
def test_bad_files_get_a_clear_message_and_nothing_is_saved(
    coachee, client_for, name, content, message
) -> None:
    response = client_for("admin").post(
        f"/communications/leaders/{coachee.pk}/log/",
        _form(attachment=SimpleUploadedFile(name, content)),
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Delivery.objects.exists()


def test_the_cap_follows_the_installations_upload_limit(settings) -> None:
    settings.BELLWETHER_MAX_IMPORT_BYTES = 2 * MB
    assert attachments.max_bytes(UploadLimits.from_settings()) == 2 * MB
    with pytest.raises(DomainError, match=r"at most 2\.0 MB"):
        attachments.check("a.pdf", b"%PDF-" + b"x" * (2 * MB), UploadLimits.from_settings())


def test_the_api_attaches_and_downloads(coachee, members) -> None:
    delivery = services.log_delivery(
        person=coachee,
        actor=None,
        delivered_at=timezone.now() - dt.timedelta(hours=1),
        channel="channel.email",
        audiences=["audience.employees"],
    )
    api = api_client_for(members["admin"])
    path = f"/api/v1/communications/leaders/{coachee.pk}/deliveries/{delivery.pk}/attachment"
    bad = api.put(
        path, {"filename": "a.pdf", "content_base64": "%%%"}, content_type="application/json"
    )
    assert bad.status_code == 400
    body = {"filename": "deck.pdf", "content_base64": base64.b64encode(PDF).decode()}
    put = api.put(path, body, content_type="application/json")
    assert put.status_code == 200, put.content
    assert put.json()["size"] == len(PDF)
    got = api_client_for(members["sponsor"]).get(path).json()
    assert base64.b64decode(got["content_base64"]) == PDF
    assert AuditEvent.objects.filter(action="communications.attachment_added").count() == 1
    assert AuditEvent.objects.filter(action="communications.attachment_downloaded").count() == 1
