"""Links people type in and others click: only web addresses.

A stored link is shown as ``<a href>`` to other users (an executive reading gate
evidence). ``javascript:``, ``data:`` or ``vbscript:`` there runs in the reader's
session, so every link field accepts http and https addresses only. Services call
``clean_link`` (the rule's one home); forms and API schemas use it too so a wrong
link is refused before anything else happens.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

ALLOWED_SCHEMES = ("http", "https")
MAX_LINK_LENGTH = 500
LINK_MESSAGE = (
    "Give a web address that starts with https:// (or http://), such as "
    "https://intranet.example.com/evidence. Other kinds of link (javascript:, data:, "
    "file: …) are not accepted."
)
_validate_url = URLValidator(schemes=list(ALLOWED_SCHEMES))


def clean_link(value: str, *, max_length: int = MAX_LINK_LENGTH) -> str:
    """The link, trimmed; ``""`` for none. Raises ``ValueError`` with a message a user
    can act on when it is not an http(s) address."""
    link = (value or "").strip()
    if not link:
        return ""
    if len(link) > max_length:
        raise ValueError(f"The link is too long: at most {max_length} characters.")
    # Browsers drop tabs and newlines inside a URL ("java\tscript:"), and a space has no
    # place in an address: refuse any rather than guess what a browser would make of it.
    if any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 for ch in link):
        raise ValueError(LINK_MESSAGE)
    try:
        scheme = urlsplit(link).scheme.lower()
        if scheme not in ALLOWED_SCHEMES:
            raise ValueError(LINK_MESSAGE)
        _validate_url(link)
    except (ValueError, ValidationError):  # urlsplit refuses some malformed hosts itself
        raise ValueError(LINK_MESSAGE) from None
    return link


def validate_link(value: str) -> None:
    """Django form-field validator form of ``clean_link``."""
    try:
        clean_link(value)
    except ValueError as exc:
        raise ValidationError(str(exc), code="invalid_link") from None


class LinkField(forms.URLField):
    """A form's link field: ``example.com/x`` becomes ``https://example.com/x`` as in
    Django's URLField, then only http(s) addresses pass (one clear message)."""

    default_validators = [validate_link]

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("max_length", MAX_LINK_LENGTH)
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)  # type: ignore[arg-type]
