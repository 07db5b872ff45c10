"""Writes of peer networks, one module per workflow: ``matching`` (runs, publishing and
the emails it sends), ``pairs`` (check-ins, ending), ``events`` (roundtables and summits)."""

from __future__ import annotations

from bellwether.peers.services.events import (
    answer_invitation,
    record_attendance,
    record_notes,
    schedule_event,
)
from bellwether.peers.services.matching import (
    deliver_pairing_emails,
    publish_run,
    run_matching,
)
from bellwether.peers.services.pairs import end_pairing, record_check_in

__all__ = [
    "answer_invitation",
    "deliver_pairing_emails",
    "end_pairing",
    "publish_run",
    "record_attendance",
    "record_check_in",
    "record_notes",
    "run_matching",
    "schedule_event",
]
