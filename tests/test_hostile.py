"""Hostile and unlucky input: no network, no stray file, no half-written PDF."""

from __future__ import annotations

import errno
import os
import socket
import threading
from pathlib import Path

import pytest
from conftest import GOOD_PROFILE, pdf_text, run_handouts

from handouts import output
from handouts.errors import OutputError


@pytest.fixture
def listener():
    """A server on 127.0.0.1 that records every connection it receives."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.2)
    received: list[str] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                connection, _address = server.accept()
            except TimeoutError:
                continue
            received.append(connection.recv(1024).decode(errors="replace"))
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield server.getsockname()[1], received
    stop.set()
    thread.join()
    server.close()


def test_nothing_reaches_the_network_from_profile_or_patient_fields(tmp_path: Path, listener) -> None:
    port, received = listener
    url = f"http://127.0.0.1:{port}"
    (tmp_path / "logo.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" '
        f'height="10"><image xlink:href="{url}/svg.png" width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    hostile_name = f"<img src='{url}/img.png'>"
    (tmp_path / "clinic.toml").write_text(
        GOOD_PROFILE.replace('logo = "logo.png"', 'logo = "logo.svg"').replace(
            'website = "riverside.example.org"', f'website = "{url}/site"'
        ),
        encoding="utf-8",
    )
    (tmp_path / "patient.toml").write_text(
        f'[patient]\nname = "{hostile_name}"\n[discharge]\ndate = 2026-12-01\nprescriber = "url({url}/p.png)"\n'
        '[medication]\nform = "tablet"\nstrengths_mg = [10]\ndaily_mg = 20\ndoses_per_day = 2\n'
        "[taper]\nstart = 2026-12-02\nstep_mg = 10\nevery_days = 3\n",
        encoding="utf-8",
    )
    refused = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=tmp_path)
    assert refused.code == 1 and "refused to load" in refused.stderr and "not the network" in refused.stderr
    assert not (tmp_path / "t.pdf").exists()
    # Without the hostile logo, the same URLs in text fields are printed as text.
    (tmp_path / "clinic.toml").write_text(
        (tmp_path / "clinic.toml").read_text(encoding="utf-8").replace('logo = "logo.svg"\n', ""),
        encoding="utf-8",
    )
    sheet = run_handouts(
        "discharge",
        "--clinic",
        "clinic.toml",
        "--patient",
        "patient.toml",
        "--lang",
        "en",
        "-o",
        "s.pdf",
        cwd=tmp_path,
    )
    assert sheet.code == 0, sheet.stderr
    text = "".join(pdf_text(tmp_path / "s.pdf").split())  # long values wrap inside table cells
    assert f"<imgsrc='{url}/img.png'>" in text and f"url({url}/p.png)" in text
    assert received == []


def test_a_full_disk_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(_handle: int, *_args: object, **_kwargs: object):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(output.os, "fdopen", full)
    target = tmp_path / "sheet.pdf"
    with pytest.raises(OutputError) as raised:
        output.write_atomically(target, b"%PDF-1.7 ...")
    assert "No space left on device" in str(raised.value) and "free disk space" in str(raised.value)
    assert list(tmp_path.iterdir()) == []
