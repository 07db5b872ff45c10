"""Writes of the behaviours domain: check-ins, one-tap links, observations, recognition
and reminders. Other apps import from here."""

from bellwether.behaviours.services.checkins import check_day, record_check_in, today_for
from bellwether.behaviours.services.links import (
    LINK_MESSAGES,
    LINK_TITLES,
    LinkCheck,
    LinkState,
    check_in_link,
    check_in_token,
    check_link,
)
from bellwether.behaviours.services.observations import (
    give_recognition,
    observable_months,
    record_observation,
    relation_between,
)
from bellwether.behaviours.services.reminders import (
    send_all_check_in_reminders,
    send_check_in_reminders,
)

__all__ = [
    "LINK_MESSAGES",
    "LINK_TITLES",
    "LinkCheck",
    "LinkState",
    "check_day",
    "check_in_link",
    "check_in_token",
    "check_link",
    "give_recognition",
    "observable_months",
    "record_check_in",
    "record_observation",
    "relation_between",
    "send_all_check_in_reminders",
    "send_check_in_reminders",
    "today_for",
]
