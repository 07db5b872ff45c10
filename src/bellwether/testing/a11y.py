"""Accessibility and phone-width checks for browser tests.

``axe-core`` (vendored under ``testing/vendor/axe-core``, MPL-2.0, test-only: it is
never served to users) is injected into the page under test and run there;
``serious_violations`` returns the serious and critical findings in a short form a
failing assertion can print.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, help: v.help,
                  nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
}"""


@functools.cache
def _source() -> str:
    return AXE.read_text(encoding="utf-8") + "\n;true"


def serious_violations(page: Any, *, ignore: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on ``page`` as it is now, but for the
    rules in ``ignore`` (each use says why)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # Evaluated through the DevTools protocol, which the page's Content Security
        # Policy (script-src 'self') does not govern, unlike an added <script>.
        page.evaluate(_source())
    return [v for v in page.evaluate(_RUN) if v["id"] not in ignore]


def overflow(page: Any) -> int:
    """How many pixels the document is wider than the viewport (0 when it fits)."""
    return int(
        page.evaluate("Math.max(0, document.documentElement.scrollWidth - window.innerWidth)")
    )


_WIDE = """() => {
  const limit = window.innerWidth;
  const wide = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    if (box.right <= limit + 0.5 || box.width === 0) continue;
    if ([...el.children].some((c) => c.getBoundingClientRect().right > limit + 0.5)) continue;
    const name = el.tagName.toLowerCase() + (el.id ? "#" + el.id : "")
      + (el.classList.length ? "." + [...el.classList].join(".") : "");
    wide.push(name + " (" + Math.round(box.right) + "px)");
    if (wide.length >= 3) break;
  }
  return wide;
}"""


def too_wide(page: Any) -> list[str]:
    """The innermost elements that reach past the viewport's right edge (up to three)."""
    return list(page.evaluate(_WIDE))
