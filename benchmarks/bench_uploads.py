"""Refusing hostile uploads, and reading a header, beside their aims, in one run.

    .venv/bin/python benchmarks/bench_uploads.py

The tests check *that* a zip bomb is refused before it unpacks and that a header
reads only the shared strings it needs (``core/tests/test_uploads.py``, counting
unpacked bytes); this prints *how fast*, median of 5, beside the aim each must meet
on a busy two-core machine:

* refusing a 64 MB and a 1 GB zip bomb (the ties page refuses inside the request),
* refusing a CSV whose header has 100,000 columns,
* reading the header of a workbook with 100,000 shared strings (the upload page).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable

from bellwether.core.uploads import MB, UploadLimits, UploadRefused, read_upload
from bellwether.testing import uploads as craft

LIMITS = UploadLimits()
RUNS = 5


def median_seconds(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def refused(content: bytes, filename: str) -> Callable[[], object]:
    def run() -> object:
        try:
            read_upload(content, filename, limits=LIMITS)
        except UploadRefused as refusal:
            return refusal
        raise AssertionError(f"{filename} was not refused")

    return run


def main() -> int:
    strings = 100_000
    table = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + b"".join(b"<si><t>s%d</t></si>" % n for n in range(strings))
        + b"</sst>"
    )
    rows = '<row r="1"><c r="A1" t="s"><v>0</v></c></row>'
    rows += f'<row r="2"><c r="A2" t="s"><v>{strings - 1}</v></c></row>'
    workbook = craft.with_shared_strings(table, rows)
    wide = ",".join(f"c{n}" for n in range(100_000)).encode() + b"\nA1\n"
    cases: list[tuple[str, Callable[[], object], float]] = [
        ("refuse a 64 MB zip bomb", refused(craft.bomb(64 * MB), "ties.xlsx"), 0.05),
        ("refuse a 1 GB zip bomb", refused(craft.bomb(1024 * MB), "ties.xlsx"), 0.05),
        ("refuse a CSV header of 100,000 columns", refused(wide, "ties.csv"), 0.5),
        (
            "header of 100,000 shared strings",
            lambda: read_upload(workbook, "people.xlsx", limits=LIMITS, header_only=True),
            0.2,
        ),
    ]
    missed = 0
    print(f"Uploads (median of {RUNS})")
    for label, fn, aim in cases:
        seconds = median_seconds(fn)
        verdict = "met" if seconds <= aim else "MISSED"
        missed += seconds > aim
        print(f"  {label:<42} {seconds * 1000:9.1f} ms  (aim <= {aim * 1000:,.0f} ms: {verdict})")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
