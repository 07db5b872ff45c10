"""Opening uploads safely: every hostile file is refused early, with its message, before
it unpacks (how fast: ``benchmarks/bench_uploads.py``).

The bombs are built in the test (``bellwether.testing.uploads``): real zip archives
whose declared sizes and CRCs are true, so refusing them is not a matter of catching
a lie.
"""

from __future__ import annotations

from datetime import date

import pytest

from bellwether.core.uploads import MB, UploadLimits, UploadRefused, read_upload
from bellwether.testing import uploads as craft

LIMITS = UploadLimits()


# Before refusing, at most the start of a few small XML parts is unpacked (to look for
# a DTD): never a bomb's payload.
MAX_UNPACKED_BEFORE_REFUSAL = MB


def refusal(content: bytes, filename: str = "people.xlsx", limits: UploadLimits = LIMITS):
    with craft.unpacking() as unpacked, pytest.raises(UploadRefused) as caught:
        read_upload(content, filename, limits=limits)
    assert unpacked.inflated <= MAX_UNPACKED_BEFORE_REFUSAL
    return caught.value


# --- real files are read ------------------------------------------------------------------


def test_a_real_workbook_is_read_with_its_line_numbers_and_dates():
    content = craft.workbook(
        [["Employee ID", "Name", "Hire date"], [1042, "Ann", date(2021, 5, 4)], [], ["E2", "Bo"]]
    )
    upload = read_upload(content, "people.xlsx", limits=LIMITS)
    assert upload.header == ["Employee ID", "Name", "Hire date"]
    assert upload.rows == [(2, ["1042", "Ann", "2021-05-04"]), (4, ["E2", "Bo", ""])]


def test_a_sheet_with_one_row_a_million_lines_down_is_read_without_filling_the_gap(monkeypatch):
    from openpyxl.worksheet._reader import WorkSheetParser

    parse = WorkSheetParser.parse
    read: list[int] = []

    def counted(self):
        for row in parse(self):
            read.append(row[0])
            yield row

    monkeypatch.setattr(WorkSheetParser, "parse", counted)
    sheet = craft.sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
        '<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>Zed</t></is></c></row>'
    )
    upload = read_upload(craft.with_sheet(sheet), "people.xlsx", limits=LIMITS)
    assert upload.rows == [(1048576, ["Zed"])]
    assert read == [1, 1048576]  # the two rows the sheet holds, not the million between


def test_formatted_empty_cells_far_to_the_right_are_ignored():
    sheet = craft.sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c><c r="XFD1" s="1"/></row>'
        '<row r="2"><c r="A2" t="inlineStr"><is><t>Ann</t></is></c><c r="XFD2" s="1"/></row>'
    )
    upload = read_upload(craft.with_sheet(sheet), "people.xlsx", limits=LIMITS)
    assert (upload.header, upload.rows) == (["name"], [(2, ["Ann"])])


def test_shared_strings_are_read_as_text_runs_joined_and_phonetics_left_out():
    content = craft.with_shared_strings(
        [
            "<t>name</t>",
            "<t>note</t>",
            "<r><t>Ann </t></r><r><rPr><b/></rPr><t>Smith</t></r>",
            "<t>東京</t><rPh sb='0' eb='2'><t>トウキョウ</t></rPh>",
        ],
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2" t="s"><v>3</v></c></row>',
    )
    upload = read_upload(content, "people.xlsx", limits=LIMITS)
    assert (upload.header, upload.rows) == (["name", "note"], [(2, ["Ann Smith", "東京"])])


def test_the_header_is_read_without_parsing_a_huge_shared_string_table():
    table = (
        f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{craft.MAIN_NS}">'.encode()
        + b"".join(b"<si><t>s%d</t></si>" % n for n in range(100_000))
        + b"</sst>"
    )
    content = craft.with_shared_strings(
        table,
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
        '<row r="2"><c r="A2" t="s"><v>99999</v></c></row>',
    )
    with craft.unpacking() as unpacked:
        header = read_upload(content, "people.xlsx", limits=LIMITS, header_only=True).header
    assert header == ["s0"]
    # The header needs the first shared string, not the table's 100,000.
    assert unpacked.inflated < len(table) // 4
    assert read_upload(content, "people.xlsx", limits=LIMITS).rows == [(2, ["s99999"])]


def test_a_reference_past_the_shared_string_table_is_a_damaged_file():
    content = craft.with_shared_strings(
        ["<t>name</t>"], '<row r="1"><c r="A1" t="s"><v>5</v></c></row>'
    )
    error = refusal(content)
    assert error.message.startswith("The file could not be read as an Excel workbook (.xlsx)")


# --- XLSX refused before openpyxl opens it --------------------------------------------------


def test_a_zip_bomb_workbook_is_refused_by_its_part_size():
    content = craft.bomb(300 * MB)  # packs to about 300 KB
    assert len(content) < 1 * MB
    error = refusal(content)
    assert error.message == (
        "This workbook is refused before it is opened: its part xl/worksheets/sheet1.xml "
        "unpacks to 300 MB; at most 256 MB are accepted for one part. Save the sheet as CSV "
        "UTF-8, or split it into smaller files."
    )
    assert error.line == 0


def test_a_small_bomb_is_refused_by_its_compression_ratio():
    error = refusal(craft.bomb(20 * MB))
    assert error.message.startswith(
        "This workbook is refused before it is opened: its part xl/worksheets/sheet1.xml "
        "unpacks to "
    )
    assert "times its packed size, which real sheets never do (at most 100 times)." in error.message


def test_parts_that_together_unpack_too_far_are_refused():
    limits = UploadLimits(xlsx_max_uncompressed=2 * MB, xlsx_max_part=2 * MB)
    parts = craft.parts(craft.workbook([["name"], ["Ann"]]))
    rows = "".join(
        f'<row r="{i}"><c r="A{i}" t="inlineStr"><is><t>n{i * 7919 % 100_003}</t></is></c></row>'
        for i in range(1, 25_000)
    )
    sheet = craft.sheet_xml(rows)
    assert MB < len(sheet) < 2 * MB
    content = craft.zip_of({**parts, "xl/worksheets/sheet1.xml": sheet, "xl/extra.bin": sheet})
    error = refusal(content, limits=limits)
    assert "at most 2.0 MB are accepted." in error.message
    assert "it unpacks to" in error.message


def test_a_workbook_of_too_many_parts_is_refused_from_its_end_record():
    parts = craft.parts(craft.workbook([["name"], ["Ann"]]))
    extra = {f"xl/media/{n}.bin": b"" for n in range(1_001)}
    error = refusal(craft.zip_of({**parts, **extra}))
    assert error.message == (
        "This workbook is refused before it is opened: it holds more than 1,000 parts "
        "(a workbook has a few dozen). Save the sheet as CSV UTF-8, or split it into smaller files."
    )


def test_an_end_record_that_understates_the_parts_is_refused_by_the_directory_size():
    content = bytearray(craft.zip_of({f"p/{n:05d}.xml": b"" for n in range(25_000)}))
    end = len(content) - 22
    content[end + 8 : end + 12] = (5).to_bytes(2, "little") * 2  # "5 parts"
    error = refusal(bytes(content))
    assert "it holds more than 1,000 parts" in error.message


def test_a_part_declaring_a_dtd_is_refused():
    sheet = (
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">]>'
        + craft.SHEET_HEAD.split(b"?>", 1)[1]
        + b"<row><c t='inlineStr'><is><t>&a;</t></is></c></row>"
        + craft.SHEET_TAIL
    )
    error = refusal(craft.with_sheet(sheet))
    assert "its part xl/worksheets/sheet1.xml declares a DTD" in error.message


def test_a_cell_beyond_the_column_cap_is_refused_with_its_line_and_column():
    sheet = craft.sheet_xml(
        '<row r="1"><c r="A1" t="inlineStr"><is><t>name</t></is></c></row>'
        '<row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>'
    )
    error = refusal(craft.with_sheet(sheet))
    assert error.message == (
        "Line 2 has a value in column XFD (column number 16,384); at most 500 columns are "
        "accepted. Remove the columns Bellwether does not use."
    )
    assert error.line == 2


def test_a_long_cell_is_refused():
    content = craft.workbook([["name", "note"], ["Ann", "x" * 10_001]])
    error = refusal(content)
    assert error.message == (
        "Line 2, column B: a value of 10,001 characters; at most 10,000 are accepted."
    )
    assert error.line == 2


def test_too_many_rows_are_refused():
    content = craft.workbook([["name"], *([f"P{n}"] for n in range(11))])
    error = refusal(content, limits=UploadLimits(max_rows=10))
    assert error.message == (
        "The file has more than 10 rows; at most 10 are accepted in one file. "
        "Split it into several files."
    )


def test_a_password_protected_workbook_is_refused_with_advice():
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptedPackage".encode("utf-16-le")
    assert refusal(content).message.startswith("This workbook is protected by a password.")


@pytest.mark.parametrize(
    "content",
    [b"PK\x03\x04not a zip", b"PK\x05\x06" + b"\0" * 18, craft.zip_of({"a.txt": b"hello"})],
)
def test_damaged_workbooks_are_refused(content):
    message = refusal(content).message
    assert message.startswith("The file could not be read as an Excel workbook (.xlsx): ")


# --- CSV --------------------------------------------------------------------------------------


def test_an_unterminated_quote_is_refused_with_its_line():
    content = b'employee_id,name\nE1,Ann\nE2,"Bob\nE3,Cy\nE4,Di\n'
    error = refusal(content, "people.csv")
    assert error.message == (
        'Line 3 opens a double quote (") that is never closed, so the rest of the file would '
        'be read as one value. Close the quote, or write a quote that belongs to the text as two ("").'
    )
    assert error.line == 3


def test_text_after_a_closing_quote_is_refused_with_its_line():
    error = refusal(b'employee_id,name\nE1,"Ann" Smith\n', "people.csv")
    assert error.line == 2
    assert error.message.startswith("Line 2 is not valid CSV: a quoted value is followed by")


def test_quotes_inside_values_and_values_over_several_lines_are_still_read():
    content = b'employee_id,name\nE1,"Smith, ""Ann"""\nE2,"two\nlines"\nE3,O"Brien\n'
    upload = read_upload(content, "people.csv", limits=LIMITS)
    assert upload.rows == [
        (2, ["E1", 'Smith, "Ann"']),
        (3, ["E2", "two\nlines"]),
        (4, ["E3", 'O"Brien']),
    ]


def test_a_header_of_100000_columns_is_refused_at_once():
    header = ",".join(f"c{n}" for n in range(100_000))
    error = refusal(f"{header}\nx\n".encode(), "people.csv")
    assert error.message == (
        "The header has 100,000 columns; at most 500 are accepted. "
        "Remove the columns Bellwether does not use."
    )
    assert error.line == 1


def test_a_header_column_name_that_is_a_paragraph_is_refused():
    error = refusal(("employee_id," + "n" * 201 + "\nE1,x\n").encode(), "people.csv")
    assert error.message == (
        "Column B of the header (line 1) is 201 characters long; a column name may have at "
        "most 200. Is line 1 really the header?"
    )


def test_a_row_with_too_many_values_is_refused():
    content = ("a,b\n" + ",".join(["x"] * 501) + "\n").encode()
    assert refusal(content, "people.csv").message.startswith("Line 2 has 501 columns;")


def test_a_huge_value_is_refused_with_its_line_and_column():
    content = ("a,b\nx," + "y" * 10_001 + "\n").encode()
    error = refusal(content, "people.csv")
    assert error.message == (
        "Line 2, column B: a value of 10,001 characters; at most 10,000 are accepted."
    )


def test_a_value_beyond_the_csv_modules_own_limit_is_refused_too():
    content = ("a,b\nx," + "y" * 200_000 + "\n").encode()
    error = refusal(content, "people.csv", UploadLimits(max_cell_chars=500_000))
    assert error.message.startswith("Line 2 has a value longer than 131,072 characters")


def test_too_many_csv_rows_and_too_large_a_file_are_refused():
    content = ("name\n" + "x\n" * 11).encode()
    assert refusal(content, "people.csv", UploadLimits(max_rows=10)).message.startswith(
        "The file has more than 10 rows"
    )
    assert refusal(content, "people.csv", UploadLimits(max_bytes=10)).message == (
        "The file is 0.0 MB; the largest accepted is 0.0 MB. "
        "Split it, or remove columns Bellwether does not use."
    )


def test_a_workbook_is_refused_where_only_csv_is_accepted():
    with pytest.raises(UploadRefused, match="This is an Excel workbook; upload a CSV file"):
        read_upload(craft.workbook([["a"]]), "m.csv", limits=LIMITS, formats=("csv",))


# --- limits ----------------------------------------------------------------------------------


def test_limits_come_from_settings_and_can_only_be_lowered(settings):
    settings.BELLWETHER_UPLOAD_MAX_ROWS = 7
    settings.BELLWETHER_UPLOAD_MAX_COLUMNS = 9
    limits = UploadLimits.from_settings()
    assert (limits.max_rows, limits.max_columns) == (7, 9)
    assert limits.at_most(max_rows=100, max_columns=3).max_rows == 7
    assert limits.at_most(max_rows=100, max_columns=3).max_columns == 3
    with pytest.raises(TypeError):
        limits.at_most(rows=1)
