"""The one-tap check-in link: signed (``django.core.signing``, the way personal survey
links are), scoped to one leader and one day, and valid for ``link_valid_hours``.

It opens that leader's check-in for that day only, without a password; it signs nobody
in. A forged or expired link gets a page that says so, and an audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

from bellwether.core import audit
from bellwether.framework.catalogue import BEHAVIOUR_CONSISTENCY as RULES
from bellwether.people.models import Person

_SALT = "bellwether.behaviours.check_in"


def _signer() -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=_SALT)


def check_in_token(person: Person, day: dt.date) -> str:
    return _signer().sign_object(
        {"p": person.pk, "o": person.organisation_id, "d": day.isoformat()}
    )


def check_in_link(person: Person, day: dt.date) -> str:
    return settings.BELLWETHER_BASE_URL + reverse(
        "behaviours:check_in_link", args=[check_in_token(person, day)]
    )


class LinkState(StrEnum):
    OK = "ok"
    FORGED = "forged"
    EXPIRED = "expired"


LINK_TITLES = {
    LinkState.FORGED: "This link does not work",
    LinkState.EXPIRED: "This check-in link has expired",
}
LINK_MESSAGES = {
    LinkState.FORGED: "This link is not valid. Check that you copied all of it, or open "
    "today's check-in from Bellwether.",
    LinkState.EXPIRED: f"Check-in links work for {RULES.link_valid_hours} hours. Sign in to "
    "Bellwether to check in, or use the link in today's reminder.",
}


@dataclass(frozen=True)
class LinkCheck:
    state: LinkState
    person: Person | None = None
    day: dt.date | None = None


def _payload(value: object) -> tuple[int, int, dt.date] | None:
    try:
        assert isinstance(value, dict)
        return int(value["p"]), int(value["o"]), dt.date.fromisoformat(value["d"])
    except (AssertionError, KeyError, TypeError, ValueError):
        return None


def check_link(token: str, *, request: HttpRequest | None = None) -> LinkCheck:
    """What a one-tap link leads to. Never raises; a refused link is audited."""
    state = LinkState.OK
    try:
        parsed = _payload(_signer().unsign_object(token, max_age=RULES.link_valid_hours * 3600))
    except signing.SignatureExpired:
        state = LinkState.EXPIRED
        parsed = _payload(_signer().unsign_object(token))
    except (signing.BadSignature, ValueError, UnicodeDecodeError):
        parsed = None
    person = None
    if parsed is not None:
        pk, organisation_id, _day = parsed
        person = (
            Person.objects.select_related("organisation")
            .filter(pk=pk, organisation_id=organisation_id, active=True)
            .first()
        )
    if person is None:
        state = LinkState.FORGED
    if state is not LinkState.OK:
        audit.record(
            action="behaviours.link_refused",
            organisation=person.organisation if person is not None else None,
            actor_label="one-tap check-in link",
            target_label=f"person {person.pk}" if person is not None else "",
            details={
                "state": state.value,
                "path": audit.redacted_path(request.path) if request else "",
            },
            request=request,
        )
        return LinkCheck(state)
    assert parsed is not None
    return LinkCheck(state, person, parsed[2])
