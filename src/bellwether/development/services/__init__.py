"""Every write to learning plans and visioning workshops: one function per action,
atomic, audited in the same transaction.

Callers import from this package (``from bellwether.development import services``).
"""

from bellwether.development.services.cohort import run_generation, start_generation
from bellwether.development.services.items import (
    add_org_module,
    add_plan_item,
    complete_item,
    module_choices,
    record_milestone,
    remove_item,
    restore_item,
    swap_item,
)
from bellwether.development.services.plans import (
    agree_plan,
    build_plans,
    change_status,
    generate_plan,
    update_support,
)
from bellwether.development.services.workshops import (
    add_commitment,
    add_metric,
    add_resource,
    adopt_vision,
    edit_agenda,
    mark_allocated,
    propose_vision,
    record_attendance,
    schedule_workshop,
)

__all__ = [
    "add_commitment",
    "add_metric",
    "add_org_module",
    "add_plan_item",
    "add_resource",
    "adopt_vision",
    "agree_plan",
    "build_plans",
    "change_status",
    "complete_item",
    "edit_agenda",
    "generate_plan",
    "mark_allocated",
    "module_choices",
    "propose_vision",
    "record_attendance",
    "record_milestone",
    "remove_item",
    "restore_item",
    "run_generation",
    "schedule_workshop",
    "start_generation",
    "swap_item",
    "update_support",
]
