"""Exporting the organisation's people as CSV or XLSX (audited)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from bellwether.core import exports
from bellwether.core.errors import DomainError
from bellwether.core.models import Organisation
from bellwether.people import importing
from bellwether.people.models import Person

if TYPE_CHECKING:
    from bellwether.accounts.models import User
from bellwether.people.services._shared import BATCH

# --- export -------------------------------------------------------------------------------------

CONTENT_TYPES = {fmt: exports.CONTENT_TYPES[fmt] for fmt in ("csv", "xlsx")}


def _export_rows(organisation: Organisation) -> Iterable[list[Any]]:
    """The people in import columns; text is escaped by the writer (``core.exports``)."""
    rows = (
        Person.objects.filter(organisation=organisation)
        .order_by("employee_id")
        .values_list(
            "employee_id",
            "name",
            "email",
            "title",
            "org_unit__code",
            "manager__employee_id",
            "leader_level",
            "location",
            "start_date",
            "active",
        )
    )
    for eid, name, email, title, unit, manager, level, location, start, active in rows.iterator(
        chunk_size=BATCH
    ):
        yield [
            eid,
            name,
            email,
            title,
            unit or "",
            manager or "",
            level,
            location,
            start,
            "true" if active else "false",
        ]


def export_people(
    *, organisation: Organisation, fmt: str, actor: User | None = None
) -> tuple[bytes, str, str]:
    """The organisation's people as (file bytes, content type, file name), audited.

    The columns are the import's canonical header, so the file re-imports unchanged;
    text a spreadsheet would run as a formula is escaped, and the import undoes it.
    """
    if fmt not in CONTENT_TYPES:
        raise DomainError("Export as csv or xlsx.", code="unknown_format")
    stamp = timezone.localdate().isoformat()
    filename = f"people-{organisation.slug}-{stamp}.{fmt}"
    header = list(importing.PEOPLE_FIELDS)
    count = 0
    if fmt == "csv":

        def lines() -> Iterator[list[Any]]:
            nonlocal count
            yield header
            for row in _export_rows(organisation):
                row[8] = row[8].isoformat() if row[8] else ""
                count += 1
                yield row

        content = exports.csv_bytes(lines())
    else:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("People")
        sheet.append(header)
        for row in _export_rows(organisation):
            sheet.append(exports.xlsx_row(row))
            count += 1
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    exports.record_export(
        action="people.exported",
        organisation=organisation,
        actor=actor,
        target=organisation,
        fmt=fmt,
        rows=count,
    )
    return content, CONTENT_TYPES[fmt], filename
