"""`handouts serve` refused before it listens: one row a case, each one line
(what, where, the fix), the right exit code, no traceback, nothing served."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import run_handouts

TOKEN = "correct-horse-battery-staple-42"


@dataclass(frozen=True)
class Case:
    name: str
    args: tuple[str, ...]
    code: int
    words: tuple[str, ...]
    token_file: str | None = None  # the token file's text, written as token.txt


CASES = [
    Case(
        "network address without access rules", ("--host", "0.0.0.0"), 2, ("--host 0.0.0.0", "--token-file")
    ),
    Case("IPv6 any address without access rules", ("--host", "::"), 2, ("--host ::", "--trust-proxy-user")),
    Case("a host name other than localhost", ("--host", "ward-pc.example"), 2, ("not this machine only",)),
    Case(
        "token file missing",
        ("--host", "0.0.0.0", "--token-file", "absent.txt"),
        2,
        ("absent.txt", "no such file"),
    ),
    Case(
        "token too short",
        ("--host", "0.0.0.0", "--token-file", "token.txt"),
        2,
        ("16 characters",),
        "short\n",
    ),
    Case(
        "token with a space",
        ("--host", "0.0.0.0", "--token-file", "token.txt"),
        2,
        ("one word",),
        "two words here, long enough\n",
    ),
    Case("token file is a folder", ("--host", "0.0.0.0", "--token-file", "."), 2, ("token file",)),
    Case(
        "token and proxy both",
        ("--token-file", "token.txt", "--trust-proxy-user", "X-User"),
        2,
        ("not both",),
        TOKEN,
    ),
    Case(
        "proxy header not a header name",
        ("--host", "0.0.0.0", "--trust-proxy-user", "X User:"),
        2,
        ("header name",),
    ),
    Case("port out of range", ("--port", "70000"), 2, ("--port",)),
    Case("no workers", ("--workers", "0"), 2, ("--workers",)),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_serve_input(tmp_path: Path, case: Case) -> None:
    if case.token_file is not None:
        (tmp_path / "token.txt").write_text(case.token_file, encoding="utf-8")
    result = run_handouts("serve", "--port", "1", *case.args, cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert result.code == case.code, result.stderr
    errors = [line for line in result.stderr_lines if line.startswith("handouts: error: ")]
    assert len(errors) == 1 and errors == [line for line in result.stderr_lines if "warning" not in line]
    for words in case.words:
        assert words.lower() in errors[0].lower(), (words, errors[0])
    assert TOKEN not in result.stderr  # a token is a secret: never repeated
    if case.token_file:
        assert case.token_file.strip() not in result.stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == (["token.txt"] if case.token_file else [])


def test_a_port_in_use_is_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = str(taken.getsockname()[1])
        result = run_handouts("serve", "--port", port, cwd=tmp_path)
    assert result.code == 1
    assert [line for line in result.stderr_lines if "error" in line] == [
        f"handouts: error: port {port} is already in use. Stop the other server, or give another --port"
    ]
