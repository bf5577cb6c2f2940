"""Around every request of `handouts serve`: the body cap, who may ask, the
security headers and the access log.

The access log holds the method, the path, the status and the duration:
never a query string, a header value or a body, which could hold patient data.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

from handouts.web.access import Access

MAX_BODY = 256 * 1024
SESSION_COOKIE = "handouts_session"
CSRF_COOKIE = "handouts_csrf"
# Pages and the API need nothing but their own styles and images; no script runs, no frame holds them.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"cache-control", b"no-store"),
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"referrer-policy", b"no-referrer"),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
# Open to anyone who reaches the port: the login page, the styles and the health check.
PUBLIC = ("/healthz", "/login", "/static/")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

access_log = logging.getLogger("handouts.access")


class Guard:
    def __init__(self, app: App, access: Access) -> None:
        self.app = app
        self.access = access

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500
        responded = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status, responded
            if message["type"] == "http.response.start":
                status, responded = message["status"], True
                names = {name for name, _value in SECURITY_HEADERS}
                kept = [(n, v) for n, v in message.get("headers", []) if n.lower() not in names]
                message["headers"] = kept + SECURITY_HEADERS
            await send(message)

        try:
            body = await _read_capped(scope, receive)
            if body is None:
                await _plain(send_with_headers, 413, "request body over 256 KiB: refused")
                return
            refusal = self._refusal(scope)
            if refusal is not None:
                await refusal(send_with_headers)
                return
            await self.app(scope, _replay(body, receive), send_with_headers)
        except Exception as error:
            # A bug: its message (and so a traceback) could hold a patient value; only its type is logged.
            access_log.error("internal error (%s); details are not logged", type(error).__name__)
            if not responded:
                await _plain(
                    send_with_headers, 500, "internal error: a bug in handouts, not in what was sent"
                )
        finally:
            access_log.info(
                "%s %s %d %.0fms",
                scope["method"],
                scope["path"],
                status,
                (time.perf_counter() - started) * 1000,
            )

    def _refusal(self, scope: Scope) -> Callable[[Send], Awaitable[None]] | None:
        """Why this request may not go on, as the response to send; None if it may."""
        path = scope["path"]
        if self.access.open or path.startswith(PUBLIC):
            return None
        headers = {
            name.decode("latin-1").lower(): value.decode("latin-1") for name, value in scope["headers"]
        }
        proxy = self.access.proxy_user_header
        if proxy is not None:
            if headers.get(proxy.lower(), "").strip():
                return None
            return lambda send: _plain(send, 401, f"not signed in: the proxy did not send {proxy}")
        if path.startswith("/api/"):
            if self.access.bearer_ok(headers.get("authorization")):
                return None
            return lambda send: _json(
                send, 401, {"errors": [{"field": "", "message": "a bearer token is required"}]}
            )
        cookies = SimpleCookie(headers.get("cookie", ""))
        session = cookies[SESSION_COOKIE].value if SESSION_COOKIE in cookies else None
        if self.access.session_ok(session):
            return None
        return _to_login


async def _read_capped(scope: Scope, receive: Receive) -> bytes | None:
    """The whole body, or None once it passes the cap (said up front or found while reading)."""
    for name, value in scope["headers"]:
        if name.lower() == b"content-length" and value.isdigit() and int(value) > MAX_BODY:
            return None
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replay(body: bytes, receive_more: Receive) -> Receive:
    """The body already read, then the server's own messages (a disconnect, when it comes)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await receive_more()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def _plain(send: Send, status: int, text: str) -> None:
    body = (text + "\n").encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _json(send: Send, status: int, value: object) -> None:
    body = json.dumps(value).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


async def _to_login(send: Send) -> None:
    await send({"type": "http.response.start", "status": 303, "headers": [(b"location", b"/login")]})
    await send({"type": "http.response.body", "body": b""})
