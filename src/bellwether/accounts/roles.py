"""The roles a member of an organisation can hold (SPEC.md, "Users")."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    SPONSOR = "sponsor"
    LEADER = "leader"
    COACH = "coach"
    REVIEWER = "reviewer"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Programme admin",
    Role.SPONSOR: "Executive sponsor",
    Role.LEADER: "Leader",
    Role.COACH: "Coach",
    Role.REVIEWER: "Reviewer",
}

ROLE_CHOICES = [(role.value, role.label) for role in Role]
