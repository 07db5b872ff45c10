"""Every write to coaching: assignments (with history and capacity) and programmes with
their sessions and carried items. Callers use ``from bellwether.coaching import services``."""

from bellwether.coaching.services.assignments import (
    assign,
    capacity_of,
    end_assignment,
    import_assignments,
    invite_external_coach,
    set_capacity,
)
from bellwether.coaching.services.sessions import (
    MilestoneIn,
    add_session,
    close_item,
    complete_milestone,
    decide_item,
    define_plan,
    record_session,
    start_programme,
    submit_pre_session,
    waiting_for_decision,
)

__all__ = [
    "MilestoneIn",
    "add_session",
    "assign",
    "capacity_of",
    "close_item",
    "complete_milestone",
    "decide_item",
    "define_plan",
    "end_assignment",
    "import_assignments",
    "invite_external_coach",
    "record_session",
    "set_capacity",
    "start_programme",
    "submit_pre_session",
    "waiting_for_decision",
]
