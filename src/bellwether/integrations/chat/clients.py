"""Talking to Slack (the official ``slack-sdk`` WebClient) and to a Teams webhook (one
HTTPS POST), with every failure turned into a ``SendFailed`` that says whether trying
again later may help and how long the service asked us to wait.

Rate limits: Slack answers HTTP 429 with ``Retry-After`` (seconds), as do Teams
webhooks. The client does not sleep on it inside the worker (slack-sdk's
``RateLimitErrorRetryHandler`` would): the failure carries ``retry_after`` and the
delivery job is put back in the queue for at least that long, and the whole workspace
is paused until then (``services.delivery``). Connection errors get slack-sdk's
``ConnectionErrorRetryHandler`` (one quick retry) before they count as a failed try.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

TIMEOUT_SECONDS = 10

# Slack error codes that mean the token or the app is wrong: nothing can be posted to
# this workspace until an admin connects it again.
WORKSPACE_ERRORS = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "no_permission",
    "missing_scope",
    "not_allowed_token_type",
    "team_access_not_granted",
    "ekm_access_denied",
    "org_login_required",
}
# Slack error codes that a later try may not get: the service itself is struggling.
TRANSIENT_ERRORS = {
    "ratelimited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
}
# What an admin is told when connecting fails with one of these.
EXPLANATIONS = {
    "invalid_auth": "Slack does not recognise this token (invalid_auth). Copy the Bot User OAuth Token (xoxb-…) from your Slack app's “OAuth & Permissions” page.",
    "not_authed": "Slack received no token (not_authed).",
    "account_inactive": "The token belongs to a deleted user or a workspace that is no longer active (account_inactive).",
    "token_revoked": "This token has been revoked (token_revoked). Reinstall the app to your workspace and copy the new token.",
    "token_expired": "This token has expired (token_expired). Reinstall the app and copy the new token.",
    "missing_scope": "The app lacks a scope it needs (missing_scope): add chat:write and users:read.email under “OAuth & Permissions”, reinstall it, and copy the new token.",
    "ratelimited": "Slack is limiting requests right now (ratelimited). Try again in a minute.",
}


@dataclass
class SendFailed(Exception):
    """A call to Slack or Teams did not succeed.

    ``code``: Slack's error code or ``http_<status>``; ``transient``: a later try may
    succeed; ``retry_after``: seconds the service asked us to wait (429);
    ``workspace``: the connection itself is broken (bad token), not just this message.
    """

    code: str
    reason: str
    transient: bool = False
    retry_after: float = 0.0
    workspace: bool = False

    def __str__(self) -> str:
        return self.reason


def _retry_after(headers: Any) -> float:
    try:
        return max(0.0, float((headers or {}).get("Retry-After", 0) or 0))
    except (TypeError, ValueError):
        return 0.0


# --- Slack ---------------------------------------------------------------------------------


def slack_client(token: str) -> WebClient:
    return WebClient(
        token=token,
        base_url=getattr(settings, "BELLWETHER_SLACK_API_URL", "https://slack.com/api/"),
        timeout=TIMEOUT_SECONDS,
        retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
    )


def _slack_failure(exc: SlackApiError) -> SendFailed:
    response = exc.response
    status = int(getattr(response, "status_code", 0) or 0)
    code = str(response.get("error", "") if hasattr(response, "get") else "") or f"http_{status}"
    if status == 429:
        code = "ratelimited"
    transient = code in TRANSIENT_ERRORS or status == 429 or status >= 500
    reason = EXPLANATIONS.get(code, f"Slack answered “{code}”.")
    return SendFailed(
        code=code,
        reason=reason,
        transient=transient,
        retry_after=_retry_after(getattr(response, "headers", {})) if status == 429 else 0.0,
        workspace=code in WORKSPACE_ERRORS,
    )


def _slack_call(call: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        return dict(call(**kwargs).data)
    except SlackApiError as exc:
        raise _slack_failure(exc) from exc
    except (SlackClientError, OSError, ValueError) as exc:
        raise SendFailed(
            code="unreachable", reason=f"Slack could not be reached: {exc}"[:300], transient=True
        ) from exc


def slack_auth_test(token: str) -> dict[str, Any]:
    """``auth.test``: which workspace and bot the token belongs to."""
    return _slack_call(slack_client(token).auth_test)


def slack_lookup_user(token: str, email: str) -> str:
    """``users.lookupByEmail``: the Slack user id of the person with this address."""
    data = _slack_call(slack_client(token).users_lookupByEmail, email=email)
    return str(data["user"]["id"])


def slack_post(token: str, payload: dict[str, Any]) -> dict[str, Any]:
    """``chat.postMessage``."""
    return _slack_call(slack_client(token).chat_postMessage, **payload)


# --- Teams ---------------------------------------------------------------------------------

# Where Teams incoming webhooks and Workflows (Power Automate) URLs live.
TEAMS_HOSTS = (
    ".webhook.office.com",
    ".logic.azure.com",
    ".api.powerplatform.com",
    ".environment.api.powerplatform.com",
)


def check_teams_url(url: str) -> str:
    """The URL, if it can be a Teams webhook; else ``ValueError`` saying why. Only HTTPS
    to Microsoft's webhook hosts (plus ``BELLWETHER_TEAMS_EXTRA_HOSTS``): the server
    posts to it, so it must not be pointed at anything else."""
    url = url.strip()
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    extra = {h.lower() for h in getattr(settings, "BELLWETHER_TEAMS_EXTRA_HOSTS", [])}
    if host in extra and parts.scheme in ("http", "https"):
        return url
    if parts.scheme != "https" or not host:
        raise ValueError("Paste the whole webhook URL; it starts with https://.")
    if not any(host.endswith(suffix) for suffix in TEAMS_HOSTS):
        raise ValueError(
            "This is not a Teams webhook address: it should be on webhook.office.com, "
            "logic.azure.com or api.powerplatform.com (copy it from the Workflow's "
            "“When a Teams webhook request is received” trigger)."
        )
    if parts.username or parts.password:
        raise ValueError("A webhook URL carries no user name or password.")
    return url


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # a webhook that redirects is answered as what it is: an error


_opener = urllib.request.build_opener(_NoRedirects)


def teams_post(url: str, payload: dict[str, Any]) -> int:
    """POST the card; the HTTP status when Teams accepted it (200 or 202)."""
    request = urllib.request.Request(  # noqa: S310  (checked by check_teams_url)
        check_teams_url(url),
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        status = exc.code
        body = exc.read()[:200].decode("utf-8", "replace").strip()
        if status == 429:
            raise SendFailed(
                code="http_429",
                reason="Teams is limiting requests right now (HTTP 429).",
                transient=True,
                retry_after=_retry_after(exc.headers),
            ) from exc
        if status >= 500:
            raise SendFailed(
                code=f"http_{status}", reason=f"Teams answered HTTP {status}.", transient=True
            ) from exc
        detail = f": {body}" if body else ""
        raise SendFailed(
            code=f"http_{status}",
            reason=f"Teams refused the message (HTTP {status}{detail}).",
            workspace=status in (401, 403, 404, 410),
        ) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise SendFailed(
            code="unreachable", reason=f"Teams could not be reached: {exc}"[:300], transient=True
        ) from exc
