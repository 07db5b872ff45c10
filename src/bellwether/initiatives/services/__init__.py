"""Every write to initiatives: one function per action, atomic, audited in the same
transaction, one module per workflow. The rules themselves live in ``alignment.py``.

Callers import from this package (``from bellwether.initiatives import services``).
"""

from bellwether.initiatives.services._common import (
    ARCHETYPES,
    BEFORE_AFTER,
    IMPACT_TYPES,
    MAX_EVIDENCE_BYTES,
    MAX_MEASUREMENTS,
    STAGES,
)
from bellwether.initiatives.services.capacity import (
    ensure_bottleneck_teams,
    finish_team_work,
    set_team_cap,
    start_team_work,
)
from bellwether.initiatives.services.decisions import record_decision, request_decision
from bellwether.initiatives.services.gates import (
    endorse_gate,
    record_alignment,
    submit_gate_evidence,
    waive_gate,
)
from bellwether.initiatives.services.measurements import (
    METRIC_FIELDS,
    MeasurementPoint,
    MeasurementResult,
    add_metric,
    import_measurements_csv,
    record_measurements,
    update_metric,
)
from bellwether.initiatives.services.register import (
    PACKAGE_PERSON_FIELDS,
    PACKAGE_TEXT,
    PACKAGE_TEXT_FIELDS,
    create_initiative,
    set_before_after,
    set_outcome_chain,
    set_signatories,
    update_initiative,
)
from bellwether.initiatives.services.registers import (
    DECISION_RIGHT_FIELDS,
    add_change_impact,
    add_decision_right,
    record_adoption,
    update_change_impact,
    update_decision_right,
    update_part,
)
from bellwether.initiatives.services.stage import (
    DROP_BACK_STAGE,
    change_stage,
    hold_stage_rule,
    metric_facts,
    scale_ready_blockers,
)

__all__ = [
    "ARCHETYPES",
    "BEFORE_AFTER",
    "DECISION_RIGHT_FIELDS",
    "DROP_BACK_STAGE",
    "IMPACT_TYPES",
    "MAX_EVIDENCE_BYTES",
    "MAX_MEASUREMENTS",
    "METRIC_FIELDS",
    "PACKAGE_PERSON_FIELDS",
    "PACKAGE_TEXT",
    "PACKAGE_TEXT_FIELDS",
    "STAGES",
    "MeasurementPoint",
    "MeasurementResult",
    "add_change_impact",
    "add_decision_right",
    "add_metric",
    "change_stage",
    "create_initiative",
    "endorse_gate",
    "ensure_bottleneck_teams",
    "finish_team_work",
    "hold_stage_rule",
    "import_measurements_csv",
    "metric_facts",
    "record_adoption",
    "record_alignment",
    "record_decision",
    "record_measurements",
    "request_decision",
    "scale_ready_blockers",
    "set_before_after",
    "set_outcome_chain",
    "set_signatories",
    "set_team_cap",
    "start_team_work",
    "submit_gate_evidence",
    "update_change_impact",
    "update_decision_right",
    "update_initiative",
    "update_metric",
    "update_part",
    "waive_gate",
]
