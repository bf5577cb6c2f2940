"""The renderer's only way to load a resource: no network, no stray files."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from weasyprint.urls import FatalURLFetchingError

from handouts.fetcher import RestrictedFetcher


@pytest.fixture
def allowed(tmp_path: Path) -> Path:
    root = tmp_path / "allowed"
    root.mkdir()
    (root / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return root


def test_files_inside_the_roots_and_data_urls_are_served(allowed: Path) -> None:
    fetcher = RestrictedFetcher((allowed,))
    assert fetcher.fetch((allowed / "logo.png").as_uri()).read().startswith(b"\x89PNG")
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"
    assert fetcher.refused == []


@pytest.mark.parametrize(
    "make_url",
    [
        lambda root: "file:///etc/passwd",
        lambda root: (root / ".." / "secret.txt").as_uri().replace("/allowed/../", "/allowed/%2E%2E/"),
        lambda root: "file://" + str(root) + "/../secret.txt",
        lambda root: (root / "link.txt").as_uri(),
        lambda root: "ftp://127.0.0.1/x",
    ],
    ids=["passwd", "encoded escape", "dot-dot escape", "symlink out", "ftp"],
)
def test_anything_outside_is_refused(allowed: Path, make_url) -> None:
    (allowed.parent / "secret.txt").write_text("secret")
    os.symlink(allowed.parent / "secret.txt", allowed / "link.txt")
    fetcher = RestrictedFetcher((allowed,))
    with pytest.raises(FatalURLFetchingError):
        fetcher.fetch(make_url(allowed))
    assert len(fetcher.refused) == 1


def test_no_connection_is_ever_opened(allowed: Path) -> None:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    fetcher = RestrictedFetcher((allowed,))
    for url in (f"http://127.0.0.1:{port}/logo.png", f"https://127.0.0.1:{port}/x.css"):
        with pytest.raises(FatalURLFetchingError):
            fetcher.fetch(url)
    with pytest.raises(TimeoutError):
        listener.accept()
    listener.close()
    assert all("not the network" in refusal.reason for refusal in fetcher.refused)
    assert len(fetcher.refused) == 2
