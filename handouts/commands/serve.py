"""`handouts serve`: the web form and the API on this machine, or behind a
token or a single sign-on proxy on a network. Checks everything it can
before it binds, so a refusal is one line."""

from __future__ import annotations

import errno
import logging
import socket
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from handouts.application import choose_clinic
from handouts.errors import HandoutsError, UsageProblem
from handouts.web.access import decide_access

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


@dataclass(frozen=True)
class ServeRequest:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    clinic_path: Path | None = None
    token_file: Path | None = None
    trust_proxy_user: str | None = None
    workers: int = 2
    queue: int = 8


def bind(host: str, port: int) -> socket.socket:
    """The listening socket, bound before anything slow starts; one line if it cannot be."""
    try:
        info = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror:
        raise UsageProblem(
            f"--host {host[:60]} is not an address of this machine", fix="e.g. --host 127.0.0.1"
        ) from None
    listener = socket.socket(info[0], socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind(info[4])
    except OSError as problem:
        listener.close()
        if problem.errno == errno.EADDRINUSE:
            raise HandoutsError(
                f"port {port} is already in use", fix="stop the other server, or give another --port"
            ) from None
        raise HandoutsError(
            f"cannot listen on {host}:{port} ({problem.strerror})", fix="check --host and --port"
        ) from None
    listener.listen(128)
    return listener


def run_serve(request: ServeRequest, warn: Callable[[str], None], say: Callable[[str], None]) -> None:
    if request.workers < 1 or request.queue < 0:
        raise UsageProblem(
            "--workers must be at least 1 and --queue at least 0", fix="e.g. --workers 2 --queue 8"
        )
    access = decide_access(request.host, request.token_file, request.trust_proxy_user)
    clinic = choose_clinic(request.clinic_path, warn)
    listener = bind(request.host, request.port)
    # Imported here: the web stack is only needed by this command.
    import uvicorn

    from handouts.web.app import create_app
    from handouts.web.guard import Guard
    from handouts.web.pool import RenderPool

    logging.basicConfig(stream=sys.stderr, level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = Guard(create_app(clinic, access, RenderPool(request.workers, request.queue)), access)
    host = f"[{request.host}]" if ":" in request.host else request.host
    say(f"serving on http://{host}:{listener.getsockname()[1]}/ (Ctrl-C to stop)")
    config = uvicorn.Config(app, log_config=None, access_log=False, server_header=False, lifespan="on")
    uvicorn.Server(config).run(sockets=[listener])
