"""Hostile files, one row a case: devices, pipes, huge or endless files,
absurd numbers, and logos that loop, multiply or unpack to gigabytes.

Each must be refused quickly (the command is killed after 20 s, far above
the second or so each takes) and small (under 200 MB of memory), with one
short line that names the file and the fix, exit code 1, no traceback, no
image data quoted, and no new or partial file.
"""

from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import PNG_1PX, Result
from test_bad_input import png_of_size, swap
from test_batch import HEADER, _row

RENDER = ("render", "tapering", "--clinic", "clinic.toml", "-o", "out.pdf")
DISCHARGE = ("discharge", "--clinic", "clinic.toml", "--patient", "patient.toml", "-o", "out.pdf")
CSV_BATCH = ("batch", "sheets.csv", "--clinic", "clinic.toml", "-o", "shelf", "-j", "1")
TOML_BATCH = ("batch", "batch.toml", "-o", "shelf", "-j", "1")
WITH_CATALOG = ("render", "tapering", "--clinic", "clinic.toml", "--catalog", "es.po", "-o", "out.pdf")
SECONDS = 20
MAX_RSS_KIB = 200 * 1024
LONGEST_LINE = 300


class Fifo:
    """Make a named pipe here: opening it for reading waits for a writer."""


@dataclass(frozen=True)
class LinkTo:
    target: str


Content = str | bytes | Fifo | LinkTo


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, Content | object]
    command: tuple[str, ...]
    words: tuple[str, ...]


def svg(body: str, head: str = "") -> str:
    return (
        f'{head}<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
        f'width="100" height="40">{body}</svg>'
    )


def svg_logo(name: str, body: str, *words: str, head: str = "") -> Case:
    files = {"logo.svg": svg(body, head), "clinic.toml": swap('logo = "logo.png"', 'logo = "logo.svg"')}
    return Case(name, files, RENDER, ("[clinic] logo 'logo.svg'", *words))


def embedded(png: bytes) -> str:
    return f'<image width="10" height="10" href="data:image/png;base64,{base64.b64encode(png).decode()}"/>'


def cut_png() -> bytes:
    """A real 300 x 300 PNG whose pixel data stops half way, as after a broken copy."""
    rows = b"".join(b"\x00" + bytes(range(256)) * 3 + bytes(132) for _ in range(300))
    header = (300).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    whole = _png(header, zlib.compress(rows))
    start = whole.index(b"IDAT") - 4
    return whole[: start + (len(whole) - start) // 2]


def _png(header: bytes, pixels: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data).to_bytes(4, "big")
        return len(data).to_bytes(4, "big") + kind + data + crc

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def laughs(levels: int, copies: int) -> str:
    """Each group draws the one before it `copies` times: copies ** levels shapes."""
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, levels + 1):
        uses = "".join(f'<use href="#l{level - 1}"/>' for _ in range(copies))
        groups.append(f'<g id="l{level}">{uses}</g>')
    return f'<defs>{"".join(groups)}</defs><use href="#l{levels}"/>'


DIGITS_5000 = "9" * 5000
MIB = 1024 * 1024

# fmt: off
CASES = [
    # Files that are not files, or have no end.
    Case("profile is /dev/zero", {}, (*RENDER[:2], "--clinic", "/dev/zero", *RENDER[4:]), ("/dev/zero", "is a device", "clinic profile")),
    Case("profile is /dev/urandom", {}, (*RENDER[:2], "--clinic", "/dev/urandom", *RENDER[4:]), ("/dev/urandom", "is a device")),
    Case("profile is a named pipe", {"clinic.toml": Fifo()}, RENDER, ("clinic.toml", "is a pipe")),
    Case("profile is a link to /dev/zero", {"clinic.toml": LinkTo("/dev/zero")}, RENDER, ("clinic.toml", "is a device")),
    Case("profile of 3 MiB", {"clinic.toml": lambda t: t + ("# note\n" * (3 * MIB // 7))}, RENDER, ("clinic.toml", "is 3.0 MiB", "at most 1 MiB")),
    Case("patient file is /dev/urandom", {"patient.toml": LinkTo("/dev/urandom")}, DISCHARGE, ("patient.toml", "is a device", "patient file")),
    Case("patient file is a named pipe", {"patient.toml": Fifo()}, DISCHARGE, ("patient.toml", "is a pipe")),
    Case("patient file is a folder of links", {"patient.toml": LinkTo(".")}, DISCHARGE, ("patient.toml", "is a folder")),
    Case("ward CSV is /dev/zero", {"sheets.csv": LinkTo("/dev/zero")}, CSV_BATCH, ("sheets.csv", "is a device")),
    Case("ward CSV of 2 MiB", {"sheets.csv": HEADER + "\n" + (_row("a") + "\n") * (2 * MIB // len(_row("a")))}, CSV_BATCH, ("sheets.csv", "at most 1 MiB")),
    Case("batch manifest is a named pipe", {"batch.toml": Fifo()}, TOML_BATCH, ("batch.toml", "is a pipe")),
    Case("catalog is /dev/urandom", {"es.po": LinkTo("/dev/urandom")}, WITH_CATALOG, ("es.po", "is a device")),
    Case("logo is a named pipe", {"logo.png": Fifo()}, RENDER, ("logo.png", "is a pipe")),
    # Numbers no person writes.
    Case("5,000-digit number in a profile", {"clinic.toml": swap('number = "911"', f"number = {DIGITS_5000}")}, RENDER, ("clinic.toml", "[emergency] number", "more than 15 digits")),
    Case("20-digit number in a profile", {"clinic.toml": swap('number = "911"', "number = 99999999999999999999")}, RENDER, ("[emergency] number", "more than 15 digits")),
    Case("5,000-digit hexadecimal in a profile", {"clinic.toml": swap('number = "911"', "number = 0x" + "f" * 5000)}, RENDER, ("[emergency] number", "more than 15 digits")),
    Case("5,000-digit dose in a patient file", {"patient.toml": swap("daily_mg = 30", f"daily_mg = {DIGITS_5000}")}, DISCHARGE, ("patient.toml", "[medication] daily_mg", "more than 15 digits")),
    Case("not-a-number dose", {"patient.toml": swap("daily_mg = 30", "daily_mg = nan")}, DISCHARGE, ("[medication] daily_mg is nan",)),
    Case("infinite step", {"patient.toml": swap("step_mg = 5", "step_mg = inf")}, DISCHARGE, ("[taper] step_mg is inf",)),
    Case("100,000 nested lists", {"clinic.toml": swap('number = "911"', "number = " + "[" * 100_000 + "]" * 100_000)}, RENDER, ("clinic.toml", "nests lists or tables")),
    Case("a long list where text belongs", {"clinic.toml": swap('number = "911"', "number = [" + "1, " * 50_000 + "]")}, RENDER, ("[emergency] number must be text",)),
    # Logos that loop, multiply, reach out or unpack to gigabytes.
    svg_logo("SVG that draws itself as an image", '<image width="10" height="10" href="logo.svg"/>', "refers to another file", "'logo.svg'"),
    svg_logo("SVG that uses itself by xlink:href", '<use xlink:href="logo.svg#a"/>', "refers to another file"),
    svg_logo("SVG whose group uses itself", '<g id="a"><rect width="1" height="1"/><use href="#a"/></g>', "refers to itself"),
    svg_logo("SVG of two groups using each other", '<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g>', "refers to itself"),
    svg_logo("SVG of a billion shapes by nested use", laughs(9, 10), "more than 20000 shapes"),
    svg_logo("SVG of 500 nested groups", "<g>" * 500 + "</g>" * 500, "nests more than 100 levels"),
    svg_logo("SVG with entities", "<text>&lol9;</text>", "DOCTYPE", head='<!DOCTYPE svg [<!ENTITY lol "lol"><!ENTITY lol9 "&lol;&lol;">]>'),
    svg_logo("SVG with an external entity", "<text>&x;</text>", "DOCTYPE", head='<!DOCTYPE svg [<!ENTITY x SYSTEM "/dev/zero">]>'),
    svg_logo("SVG with an xml-stylesheet", "<rect width='1' height='1'/>", "processing instruction", head='<?xml-stylesheet href="x.css"?>'),
    svg_logo("SVG with CSS @import", "<style>@import 'x.css';</style>", "@import"),
    svg_logo("SVG with a web font", "<style>@font-face { font-family: x; src: url(f.ttf) }</style>", "@font-face"),
    svg_logo("SVG with an escaped url(", "<style>rect { fill: \\75rl(x.svg#g) }</style>", "backslash escape"),
    svg_logo("SVG with a fill from another file", '<rect width="1" height="1" fill="url(other.svg#g)"/>', "refers to another file", "other.svg#g"),
    svg_logo("SVG with a picture from the web", '<image width="1" height="1" href="http://127.0.0.1:9/x.png"/>', "refers to another file"),
    svg_logo("SVG with a 13000 x 13000 picture", embedded(png_of_size(13000, 13000)), "embedded picture", "13000 x 13000 pixels", "at most 4000"),
    svg_logo("SVG with a picture cut short", embedded(cut_png()), "embedded picture", "not a complete PNG image"),
    svg_logo("SVG with an SVG picture inside", '<image width="1" height="1" href="data:image/svg+xml,%3Csvg/%3E"/>', "embedded picture", "not a PNG or JPEG"),
    svg_logo("SVG with inline data in a use", '<use href="data:image/svg+xml,%3Csvg/%3E"/>', "inline data in a <use>"),
    svg_logo("SVG that is not well-formed", "<g>", "not a well-formed SVG file"),
    Case("PNG logo cut short", {"logo.png": cut_png()}, RENDER, ("[clinic] logo 'logo.png'", "not a complete PNG image", "cut short")),
    Case("PNG logo with a wrong checksum", {"logo.png": PNG_1PX[:-5] + b"\x00" + PNG_1PX[-4:]}, RENDER, ("logo.png", "damaged PNG image")),
]
# fmt: on


@pytest.fixture
def desk(ward: Path) -> Path:
    (ward / "batch.toml").write_text(
        '[batch]\nclinics = ["clinic.toml"]\nlanguages = ["en"]\nkinds = ["tapering"]\n', encoding="utf-8"
    )
    (ward / "es.po").write_text('msgid ""\nmsgstr ""\n', encoding="utf-8")
    (ward / "sheets.csv").write_text(HEADER + "\n" + _row("a") + "\n", encoding="utf-8")
    return ward


def _make(desk: Path, files: dict[str, object]) -> None:
    for name, content in files.items():
        path = desk / name
        if callable(content):
            content = content(path.read_text(encoding="utf-8"))
        path.unlink(missing_ok=True)
        if isinstance(content, Fifo):
            os.mkfifo(path)
        elif isinstance(content, LinkTo):
            path.symlink_to(content.target)
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            assert isinstance(content, str)
            path.write_text(content, encoding="utf-8")


# Linux counts the pages a child shared with its parent before exec in the
# child's peak memory, and this test process holds a Renderer: a small
# launcher starts the command, so the figure is the command's own.
LAUNCHER = """
import os, subprocess, sys, threading
seconds, peak_fd, *command = sys.argv[1:]
process = subprocess.Popen([sys.executable, "-m", "handouts", *command], stdin=subprocess.DEVNULL)
killer = threading.Timer(float(seconds), process.kill)
killer.start()
_pid, status, usage = os.wait4(process.pid, 0)
killer.cancel()
os.write(int(peak_fd), str(usage.ru_maxrss).encode())
code = os.waitstatus_to_exitcode(status)
sys.exit(code if code >= 0 else 128 - code)
"""


def run_measured(*args: str, cwd: Path) -> tuple[Result, int]:
    """The command as a user runs it, killed after SECONDS; and its peak memory in KiB."""
    environment = {k: v for k, v in os.environ.items() if k != "HANDOUTS_CLINIC"}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as peak:
        completed = subprocess.run(
            [sys.executable, "-c", LAUNCHER, str(SECONDS), str(peak.fileno()), *args],
            cwd=cwd, env=environment, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            pass_fds=(peak.fileno(),), check=False,
        )  # fmt: skip
        code = completed.returncode
        out.seek(0)
        err.seek(0)
        peak.seek(0)
        result = Result(-9 if code == 137 else code, out.read(), err.read().decode())
        return result, int(peak.read() or b"0")


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_a_hostile_file_is_refused_quickly_in_one_short_line(desk: Path, case: Case) -> None:
    _make(desk, case.files)
    before = set(desk.rglob("*"))
    result, peak_kib = run_measured(*case.command, cwd=desk)
    assert result.code == 1, (result.code, result.stderr[-500:])  # a kill after 20 s is -9
    assert result.stderr_lines == [result.stderr_lines[0]] and result.stderr.startswith("handouts: error: ")
    line = result.stderr_lines[0]
    for words in case.words:
        assert words.lower() in line.lower(), (words, line)
    assert len(line) < LONGEST_LINE and "base64" not in line and "iVBOR" not in line, line
    assert "Traceback" not in result.stderr and "María" not in result.stderr
    assert peak_kib < MAX_RSS_KIB, f"{peak_kib // 1024} MB"
    assert not [path for path in set(desk.rglob("*")) - before if path.suffix in (".pdf", ".part", ".ics")]


def test_the_table_covers_every_kind_of_file_a_user_gives() -> None:
    named = " ".join(case.name for case in CASES)
    for kind in ("profile", "patient file", "CSV", "batch manifest", "catalog", "logo", "SVG", "PNG"):
        assert kind in named, kind
