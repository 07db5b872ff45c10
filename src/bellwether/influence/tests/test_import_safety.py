"""The ties import reads its file inside the web request: hostile files are refused
there at once, with a 400 and their message, and nothing is imported."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bellwether.core.uploads import MB
from bellwether.influence import services
from bellwether.influence.models import Tie
from bellwether.people.models import LeaderLevel
from bellwether.testing import uploads as craft
from bellwether.testing.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(org):
    return [
        PersonFactory(organisation=org, employee_id=eid, leader_level=LeaderLevel.SENIOR)
        for eid in ("A1", "B2")
    ]


def post(client, content: bytes, name: str):
    return client.post(reverse("influence:import"), {"file": SimpleUploadedFile(name, content)})


def test_a_zip_bomb_is_refused_in_the_request_before_it_unpacks(client_for, pair):
    bomb = craft.bomb(64 * MB)
    client = client_for("admin")
    with craft.unpacking() as unpacked:
        response = post(client, bomb, "ties.xlsx")
    assert unpacked.inflated == 0  # refused from the zip's directory: not a byte unpacked
    assert response.status_code == 400
    # Refused from the zip's directory, before any part is inflated (no clock needed:
    # the message says which step refused it).
    assert "This workbook is refused before it is opened" in response.content.decode()
    assert not Tie.objects.exists()


def test_a_ties_file_gets_tighter_caps_than_the_people_import(org, pair, settings):
    limits = services.ties_upload_limits()
    assert (limits.max_rows, limits.max_columns, limits.max_bytes) == (100_000, 50, 10 * MB)
    assert (limits.xlsx_max_part, limits.xlsx_max_uncompressed) == (48 * MB, 64 * MB)
    settings.BELLWETHER_UPLOAD_MAX_ROWS = 3  # the installation's cap applies when lower
    content = craft.workbook([["source", "target", "strength"]] + [["A1", "B2", 2]] * 4)
    result = services.import_ties(
        organisation=org, actor=None, content=content, filename="ties.xlsx"
    )
    assert not result.ok
    assert result.errors[0].message.startswith("The file has more than 3 rows")
    assert not Tie.objects.exists()


def test_an_unterminated_quote_is_refused_with_its_line(client_for, pair):
    content = b'source,target,strength,note\nA1,B2,2,"fine\nB2,A1,1,\n'
    response = post(client_for("admin"), content, "ties.csv")
    assert response.status_code == 400
    assert "Line 2 opens a double quote" in response.content.decode()
    assert not Tie.objects.exists()


def test_a_100000_column_header_is_refused_and_the_page_stays_small(client_for, pair):
    header = ",".join(f"c{n}" for n in range(100_000)).encode()
    response = post(client_for("admin"), header + b"\nA1\n", "ties.csv")
    assert response.status_code == 400
    assert len(response.content) < 50_000
    assert "The header has 100,000 columns; at most 50 are accepted." in response.content.decode()


def test_a_good_file_still_imports(client_for, pair):
    response = post(client_for("admin"), b"source,target,strength\nA1,B2,3\n", "ties.csv")
    assert response.status_code == 200
    assert Tie.objects.get().strength == 3
