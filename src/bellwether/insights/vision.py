"""The organisation's vision as the home pages and the KPI dashboard show it: the
version adopted last (``development.selectors.adopted_vision``), with a link to its
workshop for those who may open workshops. When none is adopted, admins are told so
(with the way to the workshops); others see nothing."""

from __future__ import annotations

from dataclasses import dataclass

from bellwether.accounts.access import is_admin
from bellwether.accounts.models import Membership
from bellwether.development import access as development_access
from bellwether.development import selectors as development
from bellwether.development.models import VisionStatement


@dataclass(frozen=True)
class VisionPanel:
    statement: VisionStatement | None
    workshop_id: int | None  # linked only for members who may open the workshops
    workshop_name: str
    missing_for_admin: bool  # none adopted, and the member is an admin

    @property
    def shown(self) -> bool:
        return self.statement is not None or self.missing_for_admin


def vision_for(membership: Membership) -> VisionPanel:
    """One query (the adopted vision with its workshop)."""
    statement = development.adopted_vision(membership.organisation_id)
    workshop = statement.workshop if statement is not None else None
    may_open = development_access.VIEW_WORKSHOPS.allows(membership)
    session = development.SESSION_BY_KEY.get(workshop.session_key) if workshop else None
    return VisionPanel(
        statement=statement,
        workshop_id=workshop.pk if workshop is not None and may_open else None,
        workshop_name=session.name if session else "",
        missing_for_admin=statement is None and is_admin(membership),
    )
