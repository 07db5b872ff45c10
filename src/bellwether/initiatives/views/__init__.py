"""Pages for AI initiatives, one module per page group: the organisation's pages
(``portfolio``), one initiative and its forms (``initiative``) and the package's registers
(``registers``). Thin: parse, ask ``access``, call a service or selector, render."""

from bellwether.initiatives.views.initiative import (
    align,
    chain,
    detail,
    edit,
    evidence_file,
    gate,
    measurements,
    metric_new,
    package_pdf,
    stage,
    start_team,
)
from bellwether.initiatives.views.portfolio import capacity, decision, decisions, new, portfolio
from bellwether.initiatives.views.registers import (
    adoption,
    before_after,
    impact_edit,
    impact_new,
    metric_edit,
    raci,
    right_edit,
    right_new,
    signatories,
)

__all__ = [
    "adoption",
    "align",
    "before_after",
    "capacity",
    "chain",
    "decision",
    "decisions",
    "detail",
    "edit",
    "evidence_file",
    "gate",
    "impact_edit",
    "impact_new",
    "measurements",
    "metric_edit",
    "metric_new",
    "new",
    "package_pdf",
    "portfolio",
    "raci",
    "right_edit",
    "right_new",
    "signatories",
    "stage",
    "start_team",
]
