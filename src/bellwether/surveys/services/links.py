"""Personal links: the token that is the respondent's key, and what a link leads to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from bellwether.core.errors import DomainError
from bellwether.surveys.models import Completion, Invitation

_SIGNER_SALT = "bellwether.surveys.invitation"


def _signer() -> signing.Signer:
    return signing.Signer(salt=_SIGNER_SALT, sep="~")


def invitation_token(invitation: Invitation) -> str:
    """The personal link's token: a signature over the invitation id and its nonce."""
    return _signer().sign(f"{invitation.pk}.{invitation.nonce}")


def invitation_link(invitation: Invitation) -> str:
    return settings.BELLWETHER_BASE_URL + reverse(
        "surveys:respond", args=[invitation_token(invitation)]
    )


class LinkState(StrEnum):
    OK = "ok"
    FORGED = "forged"
    REVOKED = "revoked"
    EXPIRED = "expired"
    NOT_OPEN = "not_open"
    USED = "used"


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    invitation: Invitation | None = None


def _parse_token(token: str) -> tuple[int, str] | None:
    try:
        value = _signer().unsign(token)
        pk_text, nonce = value.split(".", 1)
        return int(pk_text), nonce
    except (signing.BadSignature, ValueError):
        return None


def _state_of(
    invitation: Invitation | None, nonce: str, now: dt.datetime, *, used: bool | None = None
) -> LinkState:
    """``used``: whether the invitation has a completion, when the caller already knows."""
    if invitation is None:
        return LinkState.FORGED
    # An old link of a reissued invitation is as dead as a revoked one.
    if invitation.revoked_at is not None or invitation.nonce != nonce:
        return LinkState.REVOKED
    if used is None:
        used = Completion.objects.filter(invitation_id=invitation.pk).exists()
    if used:
        return LinkState.USED
    if now >= invitation.campaign.closes_at:
        return LinkState.EXPIRED
    if now < invitation.campaign.opens_at:
        return LinkState.NOT_OPEN
    return LinkState.OK


def check_link(token: str, *, now: dt.datetime | None = None) -> LinkCheck:
    """What a personal link leads to. Never raises: every bad link has a state."""
    parsed = _parse_token(token)
    if parsed is None:
        return LinkCheck(LinkState.FORGED)
    pk, nonce = parsed
    invitation = (
        Invitation.objects.select_related("campaign__version__instrument", "organisation")
        .filter(pk=pk)
        .first()
    )
    state = _state_of(invitation, nonce, now or timezone.now())
    return LinkCheck(state, invitation if state is not LinkState.FORGED else None)


LINK_MESSAGES = {
    LinkState.OK: "",
    LinkState.FORGED: "This link is not valid. Check that you copied all of it.",
    LinkState.REVOKED: "This link has been withdrawn. If you were sent a newer one, use that.",
    LinkState.EXPIRED: "This survey has closed, so it no longer takes answers.",
    LinkState.NOT_OPEN: "This survey has not opened yet.",
    LinkState.USED: "Your answers were received. Thank you! This link cannot be used again.",
}


def _usable(token: str) -> Invitation:
    check = check_link(token)
    if check.state is not LinkState.OK or check.invitation is None:
        raise DomainError(LINK_MESSAGES[check.state], code=f"link_{check.state.value}")
    return check.invitation
