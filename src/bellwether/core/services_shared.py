"""Small pieces the apps' services share (plain plumbing, no app imported)."""

from __future__ import annotations

from bellwether.core.errors import DomainError


def refuse_fields(errors: dict[str, list[str]], *, code: str, lead: str = "") -> None:
    """Refuse a form's worth of input at once when any field has a problem: the message
    is ``lead`` followed by each field's first problem, so a caller without the form
    (the API, the CLI) still reads every reason; ``field_errors`` keeps them per field."""
    if errors:
        raise DomainError(
            lead + " ".join(problems[0] for problems in errors.values()),
            code=code,
            field_errors=errors,
        )
