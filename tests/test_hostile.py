"""Hostile and unlucky input: no network, no stray file, no half-written PDF."""

from __future__ import annotations

import errno
import os
import socket
import threading
from pathlib import Path

import pytest
from conftest import GOOD_PROFILE, discharge, pdf_text, run_handouts

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
    # Refused as the profile is read, before anything is drawn (the fetcher would refuse it too).
    assert refused.code == 1 and "refers to another file or address" in refused.stderr
    assert url in refused.stderr
    assert not (tmp_path / "t.pdf").exists()
    # Without the hostile logo, the same URLs in text fields are printed as text.
    (tmp_path / "clinic.toml").write_text(
        (tmp_path / "clinic.toml").read_text(encoding="utf-8").replace('logo = "logo.svg"\n', ""),
        encoding="utf-8",
    )
    sheet = discharge(tmp_path, "--patient", "patient.toml", "--lang", "en", "-o", "s.pdf")
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


def test_svg_logo_that_reaches_outside_is_refused(clinic_dir: Path, tmp_path: Path) -> None:
    (tmp_path / "outside.png").write_bytes((clinic_dir / "logo.png").read_bytes())
    (clinic_dir / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        'width="10" height="10"><image xlink:href="file://' + str(tmp_path / "outside.png") + '" '
        'width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    profile = clinic_dir / "clinic.toml"
    profile.write_text(GOOD_PROFILE.replace('logo = "logo.png"', 'logo = "logo.svg"'), encoding="utf-8")
    result = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "out.pdf", cwd=clinic_dir)
    assert result.code == 1, result.stderr
    assert "logo 'logo.svg' refers to another file" in result.stderr and "file:///" in result.stderr
    assert not (clinic_dir / "out.pdf").exists()


# One payload per free-text field: markup, template syntax, CSS, an entity.
# (file, the good line, the payload that replaces its value)
FIELD_PAYLOADS = [
    ("clinic.toml", 'name = "Riverside Spasticity Clinic"', "<i>Clinic</i> {{ 7*7 }}"),
    ("clinic.toml", 'website = "riverside.example.org"', "</style><style>p{color:red}</style>"),
    ("clinic.toml", "12 River Road", "{% if true %}Road{% endif %} &amp;"),
    ("patient.toml", 'name = "María José Núñez"', "<script>alert(1)</script>"),
    ("patient.toml", 'prescriber = "Dr. A. Chen"', "url(data:,x) {{ config }}"),
    ("patient.toml", 'with = "Dr. A. Chen"', "<!-- hidden -->"),
    ("patient.toml", 'where = "Neurology clinic, 2nd floor"', "{#comment#} ]]> <![CDATA["),
]


def test_markup_in_every_free_text_field_is_printed_as_typed(ward: Path) -> None:
    for file_name, line, payload in FIELD_PAYLOADS:
        path = ward / file_name
        text = path.read_text(encoding="utf-8")
        assert line in text, line
        # A TOML literal string ('...') takes the payload exactly as typed.
        new = f"{line.split(' = ')[0]} = '{payload}'" if " = " in line else payload
        path.write_text(text.replace(line, new, 1), encoding="utf-8")
    result = discharge(
        ward, "--patient", "patient.toml", "--lang", "en", "--include", "tapering", "-o", "s.pdf"
    )
    assert result.code == 0, result.stderr
    # Spaces aside: a long value wraps in its table cell, and extraction adds a space there.
    text = pdf_text(ward / "s.pdf").replace(" ", "")
    for _file, _line, payload in FIELD_PAYLOADS:
        assert payload.replace(" ", "") in text, payload
