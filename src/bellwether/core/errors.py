"""The one error type services raise: its message is meant for the user who caused it."""

from __future__ import annotations


class DomainError(Exception):
    """A request the domain refuses, with a message a user can read.

    ``field_errors`` maps an input field to its problems when the refusal is about
    specific fields; ``code`` is a stable machine-readable reason for the API.
    """

    def __init__(
        self,
        message: str,
        *,
        code: str = "invalid",
        field_errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.field_errors = field_errors or {}

    def __str__(self) -> str:
        return self.message
