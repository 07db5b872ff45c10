"""Text that goes into a mail header: one line, no control characters. Plain Python.

A line break in a header value would start a new header (header injection); Django
refuses such a message outright (``BadHeaderError``), so one campaign or person name
with a CR/LF used to stop every mail of its batch. Names are refused on the way in
(``has_control_characters``) and cleaned again where they meet a header
(``header_text``), which also covers names stored before the check existed.
"""

from __future__ import annotations

import re

# C0 and C1 controls (tab, CR, LF and the rest), DEL, and the Unicode line and paragraph
# separators, which some mail software also treats as line ends.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def has_control_characters(value: str) -> bool:
    """Whether ``value`` holds a line break, a tab or another control character."""
    return _CONTROL.search(value) is not None


def header_text(value: str) -> str:
    """``value`` on one line: each run of control characters becomes one space."""
    return _CONTROL.sub(" ", value).strip()
