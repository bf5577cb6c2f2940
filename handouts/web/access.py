"""Who may use `handouts serve`: loopback only, unless a token or a trusted
single sign-on proxy says who is asking.

A ward PC's browser on the same machine is trusted as the machine's user is.
Any other address is a network, where patient data must not be printable by
whoever reaches the port: so `--token-file` (a bearer token for the API, a
login page and session cookie for the form) or `--trust-proxy-user HEADER`
(the hospital's reverse proxy has already signed the user in) is required.
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import secrets
import time
from dataclasses import dataclass, field
from pathlib import Path

from handouts.errors import UsageProblem
from handouts.input_files import read_text

MIN_TOKEN = 16
MAX_TOKEN_FILE = 4096
SESSION_SECONDS = 12 * 3600  # one shift
_HEADER_NAME = re.compile(r"^[A-Za-z0-9-]{1,64}$")


@dataclass(frozen=True)
class Access:
    token: str | None = None
    proxy_user_header: str | None = None
    # Signs session and CSRF values; new each start, so a restart signs everyone out.
    secret: bytes = field(default_factory=lambda: secrets.token_bytes(32), repr=False)

    @property
    def open(self) -> bool:
        """No token and no proxy: loopback only, everyone on the machine may print."""
        return self.token is None and self.proxy_user_header is None

    def bearer_ok(self, authorization: str | None) -> bool:
        if self.token is None:
            return False
        scheme, _space, given = (authorization or "").partition(" ")
        return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), self.token.encode())

    def token_ok(self, given: str) -> bool:
        return self.token is not None and hmac.compare_digest(given.strip().encode(), self.token.encode())

    def new_session(self) -> str:
        expires = str(int(time.time()) + SESSION_SECONDS)
        return f"{expires}.{self._sign('session', expires)}"

    def session_ok(self, cookie: str | None) -> bool:
        expires, _dot, signature = (cookie or "").partition(".")
        if not expires.isdigit() or int(expires) < time.time():
            return False
        return hmac.compare_digest(signature, self._sign("session", expires))

    def csrf_for(self, cookie: str) -> str:
        """The form's hidden value for this browser's CSRF cookie."""
        return self._sign("csrf", cookie)

    def csrf_ok(self, cookie: str | None, given: str | None) -> bool:
        if not cookie or not given:
            return False
        return hmac.compare_digest(given, self.csrf_for(cookie))

    def _sign(self, purpose: str, value: str) -> str:
        return hmac.new(self.secret, f"{purpose}:{value}".encode(), "sha256").hexdigest()


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a name other than localhost may resolve to anything


def read_token(path: Path) -> str:
    text = read_text(
        path,
        UsageProblem,
        "token file",
        "give a file holding one line of at least 16 characters",
        limit=MAX_TOKEN_FILE,
    )
    token = text.strip()
    if len(token) < MIN_TOKEN or any(char.isspace() for char in token):
        raise UsageProblem(
            f"the token must be one word of at least {MIN_TOKEN} characters",
            where=str(path),
            fix="write one, e.g. with: python3 -c 'import secrets; print(secrets.token_urlsafe(32))'",
        )
    return token


def decide_access(host: str, token_file: Path | None, proxy_user_header: str | None) -> Access:
    """The access rules for this address, or one line saying why it may not start."""
    if token_file is not None and proxy_user_header is not None:
        raise UsageProblem(
            "give --token-file or --trust-proxy-user, not both",
            fix="behind a single sign-on proxy use --trust-proxy-user; otherwise --token-file",
        )
    if proxy_user_header is not None and not _HEADER_NAME.match(proxy_user_header):
        raise UsageProblem(
            "--trust-proxy-user must be a header name (letters, digits and dashes)",
            fix="e.g. --trust-proxy-user X-Remote-User, the header your proxy sets",
        )
    token = read_token(token_file) if token_file is not None else None
    access = Access(token=token, proxy_user_header=proxy_user_header)
    if access.open and not is_loopback(host):
        raise UsageProblem(
            f"--host {host} is not this machine only, and anyone who reaches it could print patient data",
            fix="add --token-file FILE or --trust-proxy-user HEADER, or leave out --host (127.0.0.1)",
        )
    return access
