"""The organisation views as an XLSX workbook (openpyxl), cells escaped by ``core.exports``."""

from __future__ import annotations

import io
from typing import Any

from bellwether.assessments import reports
from bellwether.assessments.reports import OrganisationView
from bellwether.core import exports
from bellwether.framework import catalogue

SUPPRESSED = "suppressed"


def _append(ws: Any, row: list[Any]) -> None:
    """Every row goes through ``core.exports``: a leader's or unit's name starting with
    "=" is shown as text, never run as a formula."""
    ws.append(exports.xlsx_row(row))


def organisation_workbook(view: OrganisationView) -> bytes:
    """Sheets: Leaders, Distribution, Heatmap, Transitions, Completion, KPI."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    bold = Font(bold=True)

    def sheet(title: str, header: list[str], first: bool = False) -> Any:
        ws = book.active if first else book.create_sheet()
        assert ws is not None
        ws.title = title
        _append(ws, header)
        for cell in ws[1]:
            cell.font = bold
        ws.freeze_panes = "A2"
        return ws

    dims = [(d.key, d.name) for d in catalogue.INSTRUMENT.dimensions]
    cycle = view.cycle
    ws = sheet(
        "Leaders",
        ["Leader", "Org unit", "Total", "Band", "Self-reported", "Raters (others)"]
        + [f"{name} (5–25)" for _, name in dims],
        first=True,
    )
    if cycle is not None and not view.pending:
        for row in reports.leader_rows(cycle):
            _append(
                ws,
                [
                    row.name,
                    row.unit,
                    row.total,
                    row.band_name,
                    "yes" if row.self_reported else "no",
                    row.others_count,
                ]
                + [row.dimensions[k] for k, _ in dims],
            )
    ws = sheet("Distribution", ["Band", "Range", "Leaders", "Of which self-reported", "Share %"])
    if view.distribution is not None:
        for b in view.distribution.bands:
            _append(ws, [b.name, b.range_label, b.count, b.self_reported, b.percent])
        _append(ws, ["Scored", "", view.distribution.scored, "", None])
        _append(ws, ["Not scored yet", "", view.distribution.unscored, "", None])
    ws = sheet("Heatmap", ["Org unit", "Assessed leaders"] + [name for _, name in dims])
    if view.heatmap is not None:
        for r in [view.heatmap.total, *view.heatmap.rows]:
            _append(
                ws,
                [
                    r.name,
                    r.n
                    if r.shown
                    else f"fewer than {view.heatmap.minimum}"
                    if r.reason == "too_few"
                    else SUPPRESSED,
                ]
                + [r.values[k] if r.shown else SUPPRESSED for k, _ in dims],
            )
    ws = sheet("Transitions", ["From \\ to"] + [b.name for b in catalogue.INSTRUMENT.bands])
    if view.transitions is not None:
        t = view.transitions
        for key, name in t.bands:
            _append(ws, [name] + [t.matrix[key][to] for to, _ in t.bands])
        _append(ws, [])
        _append(ws, ["Moved up", t.up])
        _append(ws, ["Stayed", t.same])
        _append(ws, ["Moved down", t.down])
        _append(ws, ["New in the later cycle", t.new])
    ws = sheet("Completion", ["Rater category", "Invited", "Completed", "Completion %"])
    for c in view.completion:
        _append(ws, [c.label, c.invited, c.completed, c.percent])
    share = view.share
    ws = sheet("KPI", ["KPI", "Target", "Leaders", "Scoring 70+", "Share %", "Meets target"])
    _append(
        ws,
        [
            share.name,
            share.target,
            share.leaders,
            share.at_or_above,
            share.percent,
            {True: "yes", False: "no", None: ""}[share.meets_target],
        ],
    )
    from openpyxl.utils import get_column_letter

    for ws in book.worksheets:
        for index, column in enumerate(ws.columns, start=1):
            widest = max((len(str(c.value or "")) for c in column), default=0)
            ws.column_dimensions[get_column_letter(index)].width = min(48, max(10, widest + 2))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
