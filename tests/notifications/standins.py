"""Local stand-ins for the providers: a real SMTP server (aiosmtpd) and a GOV.UK Notify API.

The Notify stand-in speaks the documented v2 shapes: POST /v2/notifications/{email,sms,letter}
with a JWT bearer token (HS256, iss = service id, signed with the key's secret), 201 JSON
responses, 400 errors in Notify's error format, and GET /v2/notifications?reference=….
"""

from __future__ import annotations

import json
import socket
import threading
import time
import uuid
from dataclasses import dataclass, field
from email.message import Message as EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message as MessageHandler

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"frontdoor_test-{SERVICE_ID}-{SECRET}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# ------------------------------------------------------------------------------- SMTP


class RecordingHandler(MessageHandler):
    """Keeps every message accepted; can refuse (4xx/5xx) or hang before answering DATA."""

    def __init__(self) -> None:
        super().__init__()
        self.received: list[EmailMessage] = []
        self.reply_code: str | None = None  # e.g. "451 4.3.0 try again later"
        self.hang_seconds = 0.0
        self.data_seen = 0  # DATA commands that reached the server (accepted or not)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        self.data_seen += 1
        if self.hang_seconds:
            await asyncio.sleep(self.hang_seconds)
        if self.reply_code:
            return self.reply_code
        return str(await super().handle_DATA(server, session, envelope))

    def handle_message(self, message: EmailMessage) -> None:
        self.received.append(message)


@dataclass
class SmtpStandIn:
    handler: RecordingHandler
    controller: Controller
    port: int

    @classmethod
    def start(cls) -> SmtpStandIn:
        handler = RecordingHandler()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        return cls(handler, controller, port)

    def stop(self) -> None:
        if self.controller._thread is not None:
            self.controller.stop()

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received


# ----------------------------------------------------------------------------- Notify


@dataclass
class NotifyState:
    notifications: list[dict[str, Any]] = field(default_factory=list)
    fail_with_500: int = 0  # answer this many sends with 500 first
    hang_up_after_accepting: int = 0  # accept, then close the connection without answering
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def by_reference(self, reference: str) -> list[dict[str, Any]]:
        return [n for n in self.notifications if n["reference"] == reference]


def _handler(state: NotifyState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _json(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _authorised(self) -> bool:
            header = self.headers.get("Authorization", "")
            if not header.startswith("Bearer "):
                self._json(401, _error(401, "AuthError", "Unauthorized: no token"))
                return False
            try:
                claims = jwt.decode(header[7:], SECRET, algorithms=["HS256"])
            except jwt.PyJWTError as exc:
                self._json(403, _error(403, "AuthError", f"Invalid token: {exc}"))
                return False
            if claims.get("iss") != SERVICE_ID or abs(time.time() - claims.get("iat", 0)) > 30:
                self._json(403, _error(403, "AuthError", "Invalid token: iss or iat"))
                return False
            return True

        def do_POST(self) -> None:
            state.requests.append(("POST", self.path))
            if not self._authorised():
                return
            kind = self.path.rsplit("/", 1)[-1]
            if kind not in ("email", "sms", "letter"):
                self._json(404, _error(404, "NotFound", "not found"))
                return
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with state.lock:
                if state.fail_with_500 > 0:
                    state.fail_with_500 -= 1
                    self._json(500, _error(500, "Exception", "Internal server error"))
                    return
            to = body.get("email_address") or body.get("phone_number") or ""
            if (kind == "email" and "@" not in to) or (kind == "sms" and not to.startswith("+44")):
                field_name = "email_address" if kind == "email" else "phone_number"
                self._json(400, _error(400, "ValidationError", f"{field_name} Not a valid value"))
                return
            note = {
                "id": str(uuid.uuid4()),
                "reference": body.get("reference"),
                "type": kind,
                "status": "created",
                "email_address": body.get("email_address"),
                "phone_number": body.get("phone_number"),
                "personalisation": body.get("personalisation"),
                "template": {"id": body.get("template_id"), "version": 1, "uri": "/t"},
                "created_at": "2026-01-05T10:00:00.000000Z",
            }
            with state.lock:
                state.notifications.append(note)
                hang_up = state.hang_up_after_accepting > 0
                if hang_up:
                    state.hang_up_after_accepting -= 1
            if hang_up:
                self.close_connection = True
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            personalisation = body.get("personalisation") or {}
            self._json(201, {
                "id": note["id"],
                "reference": note["reference"],
                "content": {"subject": personalisation.get("subject", ""),
                            "body": personalisation.get("body", ""),
                            "from_email": "council@notifications.service.gov.uk"},
                "uri": f"/v2/notifications/{note['id']}",
                "template": note["template"],
            })

        def do_GET(self) -> None:
            state.requests.append(("GET", self.path))
            if not self._authorised():
                return
            url = urlparse(self.path)
            if url.path != "/v2/notifications":
                self._json(404, _error(404, "NotFound", "not found"))
                return
            query = parse_qs(url.query)
            found = list(state.notifications)
            if "reference" in query:
                found = [n for n in found if n["reference"] == query["reference"][0]]
            if "status" in query:
                found = [n for n in found if n["status"] in query["status"]]
            self._json(200, {"notifications": found, "links": {"current": self.path}})

    return Handler


def _error(status: int, error: str, message: str) -> dict[str, Any]:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


@dataclass
class NotifyStandIn:
    state: NotifyState
    server: ThreadingHTTPServer
    thread: threading.Thread

    @classmethod
    def start(cls) -> NotifyStandIn:
        state = NotifyState()
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        return cls(state, server, thread)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
