"""The Content-Security-Policy allows no inline script or style: check every template
so a page that would be silently broken by the policy fails here instead."""

import re
from pathlib import Path

import pytest

import bellwether

TEMPLATES = sorted(Path(bellwether.__file__).parent.rglob("templates/**/*.html"))

SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
INLINE_STYLE = re.compile(r"\sstyle\s*=", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE)


def test_there_are_templates_to_check():
    assert len(TEMPLATES) > 20


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_a_template_has_no_inline_script_style_or_handler(path):
    text = path.read_text()
    for attributes in SCRIPT_TAG.findall(text):
        # External scripts and JSON data islands (json_script) are allowed; code is not.
        assert "src=" in attributes or 'type="application/json"' in attributes, (
            f"inline <script> in {path}"
        )
    assert not INLINE_STYLE.search(text), f"style= attribute in {path}"
    assert not INLINE_HANDLER.search(text), f"inline event handler in {path}"
