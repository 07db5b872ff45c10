"""Sending mail: header-safe messages, each handed to SMTP on its own over one connection.

"Sent" means the SMTP server accepted the message (it answered 250 to it). A message
the server refuses, or that cannot even be built, is that message's problem only: the
others still go out over the same connection. Callers record each outcome: what was
accepted is marked at once (so a rerun never mails it twice), what was refused is
logged and audited and stays due (a rerun tries it again).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
from dataclasses import dataclass
from types import TracebackType
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from bellwether.core import metrics
from bellwether.core.jobs import RetryLater, is_transient
from bellwether.core.mailtext import header_text

logger = logging.getLogger("bellwether.mail")

# "Service not available, closing transmission channel": the server hangs up after it.
_CLOSING = 421


class MailServerUnavailable(RetryLater):
    """No connection to the mail server (refused, unreachable, login failed): nothing more
    can be sent now; the job runs again later for everything still due."""


class MailDeferred(RetryLater):
    """Some messages were refused for now (a 4xx answer, a connection lost mid-message):
    every other message was handled, and the job runs again for these."""

    def __init__(self, *, sent: int, deferred: int) -> None:
        super().__init__(
            f"{deferred} message(s) deferred by the mail server ({sent} sent); "
            "they are tried again later."
        )
        self.sent = sent
        self.deferred = deferred


def message(*, subject: str, to: str, text: str, html: str | None = None) -> EmailMultiAlternatives:
    """A mail from the installation's sender. The subject and the sender's display name
    are put on one line (see ``mailtext``): a stray line break in a name must not keep
    the message from being sent."""
    email = EmailMultiAlternatives(
        subject=header_text(subject),
        body=text,
        from_email=header_text(settings.DEFAULT_FROM_EMAIL),
        to=[to],
    )
    if html is not None:
        email.attach_alternative(html, "text/html")
    return email


@dataclass(frozen=True)
class Refusal:
    """Why one message was not sent; ``transient``: it may go through if tried later."""

    reason: str
    transient: bool


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        answers = [f"{code} {_text(text)}" for code, text in exc.recipients.values()]
        return f"recipient refused: {'; '.join(answers)}"[:300]
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"{exc.smtp_code} {_text(exc.smtp_error)}"[:300]
    return f"{type(exc).__name__}: {exc}"[:300]


def _text(value: Any) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


class Connection:
    """One connection to the mail server for many messages, used as a context manager.

    ``send`` hands one message to the server and says whether it was accepted; it never
    raises for a problem of that message alone. It raises ``MailServerUnavailable`` when
    the server cannot be reached at all (on entering, or when a lost connection cannot
    be opened again): then nothing more can be sent now.
    """

    def __init__(self) -> None:
        self.backend = get_connection(fail_silently=False)

    def __enter__(self) -> Connection:
        self._open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._close()

    def _open(self) -> None:
        try:
            self.backend.open()
        except Exception as exc:
            self._close()
            raise MailServerUnavailable(f"cannot reach the mail server: {_reason(exc)}") from exc

    def _close(self) -> None:
        with contextlib.suppress(Exception):  # a connection that is gone is closed enough
            self.backend.close()

    def send(self, email: EmailMultiAlternatives) -> Refusal | None:
        """None when the server accepted ``email``; otherwise why not (counted for the
        metrics either way)."""
        refusal = self._send(email)
        if refusal is None:
            metrics.count_mail("sent")
        else:
            metrics.count_mail("refused_transient" if refusal.transient else "refused_permanent")
        return refusal

    def _send(self, email: EmailMultiAlternatives) -> Refusal | None:
        try:
            accepted = self.backend.send_messages([email])
        except smtplib.SMTPServerDisconnected as exc:
            return self._lost(exc)
        except smtplib.SMTPRecipientsRefused as exc:
            # The server said no to this message and the session was reset: the
            # connection carries on with the next one.
            return Refusal(_reason(exc), transient=is_transient(exc))
        except smtplib.SMTPResponseException as exc:
            if exc.smtp_code == _CLOSING:
                return self._lost(exc)
            return Refusal(_reason(exc), transient=is_transient(exc))
        except smtplib.SMTPException as exc:
            return Refusal(_reason(exc), transient=False)
        except OSError as exc:  # the socket failed: reset, timed out
            return self._lost(exc)
        except ValueError as exc:
            # The message could not be built (a line break in a header, a malformed
            # address): nothing reached the server; the connection is as it was.
            return Refusal(_reason(exc), transient=False)
        if not accepted:
            return Refusal("no recipient was accepted", transient=False)
        return None

    def _lost(self, exc: BaseException) -> Refusal:
        """The connection dropped while sending: whether the server kept the message is
        unknown, so it stays due (a rare double beats a lost invitation). Connect again
        for the next message, or raise ``MailServerUnavailable``."""
        logger.warning("The mail server connection was lost (%s); connecting again", exc)
        self._close()
        self._open()
        return Refusal(_reason(exc), transient=True)
