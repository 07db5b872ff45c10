"""A local stand-in for Slack's Web API and for Teams webhooks, speaking their HTTP shape.

It answers with the recorded request/response pairs in ``recorded/`` (the success and
error answers of ``auth.test``, ``users.lookupByEmail``, ``chat.postMessage`` and of a
Teams webhook), checks the bearer token as Slack does, and keeps every request it got so
a test can look at what was sent. A test queues the next answers of a method with
``answer_next("chat.postMessage", "ratelimited", ...)``; without one it answers like a
healthy workspace. It runs in a thread of the test process (``http.server``).
"""

from __future__ import annotations

import copy
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

RECORDED = Path(__file__).parent / "recorded"
SLACK = json.loads((RECORDED / "slack_web_api.json").read_text())
TEAMS = json.loads((RECORDED / "teams_webhook.json").read_text())

GOOD_TOKEN = "xoxb-1111111111-2222222222-GoodTokenForTests"


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any

    @property
    def api_method(self) -> str:
        return self.path.removeprefix("/api/")


@dataclass
class State:
    tokens: set[str] = field(default_factory=lambda: {GOOD_TOKEN})
    users: dict[str, str] = field(default_factory=dict)  # email → Slack user id
    queued: dict[str, list[str]] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)


class FakeChatServer:
    def __init__(self) -> None:
        self.state = State()
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_GET(self) -> None:
                server._handle(self, "GET")

            def do_POST(self) -> None:
                server._handle(self, "POST")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    # --- control ------------------------------------------------------------------------

    def start(self) -> FakeChatServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def reset(self) -> None:
        with self._lock:
            self.state = State()

    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def slack_api_url(self) -> str:
        return f"{self.url}/api/"

    def teams_url(self, name: str = "accepted") -> str:
        """A webhook URL whose answers are the recorded Teams answer ``name``."""
        return f"{self.url}/teams/{name}"

    def add_user(self, email: str, user_id: str) -> None:
        self.state.users[email.lower()] = user_id

    def answer_next(self, method: str, *names: str) -> None:
        """The next answers of ``method`` (a Slack method or ``teams``), in order."""
        with self._lock:
            self.state.queued.setdefault(method, []).extend(names)

    def requests_to(self, method: str) -> list[Request]:
        return [r for r in self.state.requests if r.api_method == method]

    # --- answering ------------------------------------------------------------------------

    def _queued(self, method: str) -> str | None:
        with self._lock:
            names = self.state.queued.get(method) or []
            return names.pop(0) if names else None

    def _handle(self, handler: BaseHTTPRequestHandler, verb: str) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        content_type = handler.headers.get("Content-Type", "")
        body: Any
        if "json" in content_type:
            body = json.loads(raw or b"{}")
        else:
            body = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        request = Request(
            method=verb,
            path=parts.path,
            query={k: v[0] for k, v in parse_qs(parts.query).items()},
            headers=dict(handler.headers.items()),
            body=body,
        )
        with self._lock:
            self.state.requests.append(request)
        if parts.path.startswith("/teams/"):
            self._teams(handler, request)
        elif parts.path.startswith("/api/"):
            self._slack(handler, request)
        else:
            self._send(handler, 404, {}, "not found")

    def _teams(self, handler: BaseHTTPRequestHandler, request: Request) -> None:
        name = self._queued("teams") or request.path.removeprefix("/teams/")
        recorded = TEAMS.get(name, TEAMS["not_found"])
        card_ok = (
            isinstance(request.body, dict)
            and request.body.get("type") == "message"
            and request.body["attachments"][0]["contentType"]
            == "application/vnd.microsoft.card.adaptive"
        )
        if recorded["status"] < 300 and not card_ok:
            recorded = TEAMS["bad_request"]
        self._send(handler, recorded["status"], recorded["headers"], recorded["body"])

    def _slack(self, handler: BaseHTTPRequestHandler, request: Request) -> None:
        method = request.api_method
        pairs = SLACK.get(method)
        if pairs is None:
            self._send(handler, 404, {}, {"ok": False, "error": "unknown_method"})
            return
        name = self._queued(method)
        token = request.headers.get("Authorization", "").removeprefix("Bearer ")
        if name is None and token not in self.state.tokens:
            name = "invalid_auth"
        response: dict[str, Any] = copy.deepcopy(pairs[name or "ok"]["response"])
        if name is None and method == "users.lookupByEmail":
            # Slack takes arguments in the query or the form body (slack-sdk sends the form).
            email = (request.query.get("email") or request.body.get("email", "")).lower()
            if email in self.state.users:
                response["body"]["user"]["id"] = self.state.users[email]
                response["body"]["user"]["profile"]["email"] = email
            else:
                response = copy.deepcopy(pairs["users_not_found"]["response"])
        if name is None and method == "chat.postMessage":
            response["body"]["message"]["text"] = request.body.get("text", "")
        self._send(handler, response["status"], response["headers"], response["body"])

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: Any
    ) -> None:
        data = body if isinstance(body, str) else json.dumps(body)
        encoded = data.encode()
        handler.send_response(status)
        for key, value in headers.items():
            if key.lower() != "content-length":
                handler.send_header(key, value)
        handler.send_header("Content-Length", str(len(encoded)))
        handler.end_headers()
        handler.wfile.write(encoded)
