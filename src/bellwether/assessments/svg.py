"""Charts of the individual report as inline SVG: plain Python, no Django.

WeasyPrint does not run JavaScript, so the PDF draws its charts from these functions
(the web page uses Chart.js for the same data). Only presentation attributes are used
(no ``style=``), so the markup also passes the site's content-security policy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from bellwether.framework.catalogue import CATALOGUE

SELF_COLOUR = "#e07b39"
OTHERS_COLOUR = "#1f5fbf"
GRID = "#dde2ea"
INK = "#1d2433"
MUTED = "#5b6475"
#: From the highest band to the lowest, in the catalogue's order (green to red).
BAND_PALETTE = ("#1c7c4a", "#5aa36f", "#d9a21b", "#e07b39", "#b42318")
BAND_COLOURS = {
    band.key: colour for band, colour in zip(CATALOGUE.instrument.bands, BAND_PALETTE, strict=True)
}


def _f(value: float) -> str:
    return f"{value:.1f}"


def _text(
    x: float,
    y: float,
    text: str,
    *,
    size: int = 10,
    anchor: str = "middle",
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}" font-weight="{weight}" font-family="sans-serif">{escape(text)}</text>'
    )


def radar(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None], str]],
    *,
    maximum: float,
    minimum: float = 0.0,
    size: int = 300,
) -> str:
    """A radar chart: one axis per label, one closed polygon per (name, values, colour)."""
    n = len(labels)
    cx = cy = size / 2
    radius = size / 2 - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size + 24}" '
        f'viewBox="0 0 {size} {size + 24}" role="img" aria-label="Radar chart by dimension">'
    ]

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * max(0.0, (value - minimum) / (maximum - minimum))
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    for step in range(1, 6):
        value = minimum + (maximum - minimum) * step / 5
        ring = " ".join(f"{_f(x)},{_f(y)}" for x, y in (point(i, value) for i in range(n)))
        parts.append(f'<polygon points="{ring}" fill="none" stroke="{GRID}" stroke-width="1"/>')
    for i, label in enumerate(labels):
        x, y = point(i, maximum)
        parts.append(
            f'<line x1="{_f(cx)}" y1="{_f(cy)}" x2="{_f(x)}" y2="{_f(y)}" stroke="{GRID}"/>'
        )
        lx, ly = point(i, maximum + (maximum - minimum) * 0.12)
        anchor = "middle" if abs(lx - cx) < 1 else ("start" if lx > cx else "end")
        words = label.replace("AI ", "").split(" ")
        half = (len(words) + 1) // 2
        lines = [" ".join(words[:half]), " ".join(words[half:])] if len(words) > 1 else words
        below = ly > cy + 1
        for j, line in enumerate(lines):
            offset = j * 11 + (8 if below else -(len(lines) - 1) * 11 - 2)
            if abs(lx - cx) >= 1:
                offset = j * 11 - (len(lines) - 1) * 5 + 3
            parts.append(_text(lx, ly + offset, line, size=9, anchor=anchor, fill=MUTED))
    for _name, values, colour in series:
        if any(v is None for v in values):
            continue
        pts = " ".join(
            f"{_f(x)},{_f(y)}" for x, y in (point(i, float(v or 0)) for i, v in enumerate(values))
        )
        parts.append(
            f'<polygon points="{pts}" fill="{colour}" fill-opacity="0.18" stroke="{colour}" '
            f'stroke-width="2"/>'
        )
    legend_x = 10.0
    for name, values, colour in series:
        if any(v is None for v in values):
            continue
        parts.append(
            f'<rect x="{_f(legend_x)}" y="{size + 8}" width="10" height="10" fill="{colour}"/>'
        )
        parts.append(_text(legend_x + 14, size + 17, name, size=10, anchor="start"))
        legend_x += 14 + 7 * len(name) + 16
    parts.append("</svg>")
    return "".join(parts)


def item_bars(
    rows: Sequence[tuple[str, float | None, float | None]],
    *,
    width: int = 520,
    scale_max: float = 5.0,
    flags: Sequence[str] = (),
) -> str:
    """Horizontal bars per item: (label, self, others), each on a 0–5 scale."""
    label_w = 230
    bar_w = width - label_w - 40
    row_h = 22
    height = row_h * len(rows) + 30
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Item scores, self and others">'
    ]
    for tick in range(1, int(scale_max) + 1):
        x = label_w + bar_w * tick / scale_max
        parts.append(f'<line x1="{_f(x)}" y1="0" x2="{_f(x)}" y2="{height - 24}" stroke="{GRID}"/>')
        parts.append(_text(x, height - 12, str(tick), size=8, fill=MUTED))
    for i, (label, mine, theirs) in enumerate(rows):
        y = i * row_h
        flag = flags[i] if i < len(flags) else ""
        text = label if len(label) <= 42 else label[:40] + "…"
        parts.append(
            _text(label_w - 6, y + 14, text + (f" {flag}" if flag else ""), size=8, anchor="end")
        )
        # (value, top of its bar, colour, figure format): self above others.
        bars = ((mine, y + 3, SELF_COLOUR, ".0f"), (theirs, y + 11, OTHERS_COLOUR, ".1f"))
        for value, top, colour, _ in bars:
            if value is not None:
                parts.append(
                    f'<rect x="{label_w}" y="{top}" width="{_f(bar_w * value / scale_max)}" '
                    f'height="7" fill="{colour}"/>'
                )
        for value, top, _, figure in reversed(bars):
            if value is not None:
                parts.append(
                    _text(
                        label_w + bar_w * value / scale_max + 3,
                        top + 7,
                        f"{value:{figure}}",
                        size=7,
                        anchor="start",
                        fill=MUTED,
                    )
                )
    parts.append("</svg>")
    return "".join(parts)


def band_scale(
    bands: Sequence[tuple[str, str, int, int]],
    total: float | None,
    *,
    width: int = 520,
    low: int = 20,
    high: int = 100,
) -> str:
    """The five bands as a strip from 20 to 100 with a marker at the total."""
    height = 46
    span = high - low + 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Score on the band scale">'
    ]
    for key, name, lo, hi in bands:
        x = width * (lo - low) / span
        w = width * (hi - lo + 1) / span
        parts.append(
            f'<rect x="{_f(x)}" y="14" width="{_f(w)}" height="14" '
            f'fill="{BAND_COLOURS.get(key, MUTED)}" fill-opacity="0.85"/>'
        )
        parts.append(_text(x + w / 2, 42, f"{name} {lo}–{hi}", size=8, fill=MUTED))
    if total is not None:
        x = width * (min(max(total, low), high) - low + 0.5) / span
        parts.append(f'<polygon points="{_f(x - 6)},2 {_f(x + 6)},2 {_f(x)},13" fill="{INK}"/>')
        parts.append(
            f'<line x1="{_f(x)}" y1="13" x2="{_f(x)}" y2="29" stroke="{INK}" stroke-width="2"/>'
        )
    parts.append("</svg>")
    return "".join(parts)


def trend_line(
    points: Sequence[tuple[str, float | None]], *, width: int = 520, height: int = 140
) -> str:
    """Totals across cycles (20–100) with the 70 line."""
    left, right, top, bottom = 34, 12, 10, 28
    inner_w, inner_h = width - left - right, height - top - bottom
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="Total across cycles">'
    ]

    def y_of(v: float) -> float:
        return top + inner_h * (1 - (v - 20) / 80)

    for tick in (20, 40, 55, 70, 85, 100):
        y = y_of(tick)
        colour = "#1c7c4a" if tick == 70 else GRID
        parts.append(
            f'<line x1="{left}" y1="{_f(y)}" x2="{width - right}" y2="{_f(y)}" stroke="{colour}"/>'
        )
        parts.append(_text(left - 4, y + 3, str(tick), size=8, anchor="end", fill=MUTED))
    n = len(points)
    coords = []
    for i, (label, v) in enumerate(points):
        x = left + (inner_w * (i + 0.5) / n if n else 0)
        parts.append(
            _text(
                x, height - 10, label if len(label) <= 24 else label[:22] + "…", size=8, fill=MUTED
            )
        )
        if v is not None:
            coords.append((x, y_of(v), v))
    if len(coords) > 1:
        path = " ".join(f"{_f(x)},{_f(y)}" for x, y, _ in coords)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{OTHERS_COLOUR}" stroke-width="2"/>'
        )
    for x, y, v in coords:
        parts.append(f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{OTHERS_COLOUR}"/>')
        parts.append(_text(x, y - 6, f"{v:.0f}", size=8))
    parts.append("</svg>")
    return "".join(parts)
