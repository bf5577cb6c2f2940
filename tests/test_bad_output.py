"""Every place the tool writes, pointed somewhere it must not write. One row a case.

A device, a pipe or a link to one is refused (a rename would replace it with a
plain file); --merge never lands on the batch's own files; a second batch
into a folder another batch holds is refused; two clinics never share a
folder. Each gives exactly one clear line and the right exit code, leaves what
was there as it was, and writes no new or partial file.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import one_problem, run_handouts
from test_bad_input import DISCHARGE, NAME, RENDER, desk  # noqa: F401  (desk is a fixture)
from test_batch import HEADER, _row

from handouts.folder_lock import LOCK_FILE

Prepare = Callable[[Path], object]  # may return something to hold during the run (a lock)
SHEETS = ("batch", "sheets.csv", "--clinic", "clinic.toml", "-o", "shelf", "-j", "1")
TWO_CLINICS = ("batch", "batch.toml", "-o", "shelf", "-j", "1")


def fifo(name: str) -> Prepare:
    def prepare(folder: Path) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(folder / name)

    return prepare


def link(name: str, to: str) -> Prepare:
    def prepare(folder: Path) -> None:
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).symlink_to(to)

    return prepare


def sheets(then: Prepare | None = None) -> Prepare:
    """A good CSV of two rows, and whatever else the case needs."""

    def prepare(folder: Path) -> object:
        (folder / "sheets.csv").write_text("\n".join([HEADER, _row("a"), _row("c")]) + "\n", encoding="utf-8")
        return then(folder) if then else None

    return prepare


def clinics(*profiles: str) -> Prepare:
    def prepare(folder: Path) -> None:
        listed = ", ".join(f'"{profile}"' for profile in profiles)
        (folder / "batch.toml").write_text(
            f'[batch]\nclinics = [{listed}]\nlanguages = ["en"]\nkinds = ["tapering"]\n', encoding="utf-8"
        )

    return prepare


def hold_lock(folder: Path) -> object:
    """Another batch at work in shelf/: its lock is held for the whole run."""
    (folder / "shelf").mkdir()
    handle = (folder / "shelf" / LOCK_FILE).open("w")
    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    return handle


@dataclass(frozen=True)
class Case:
    name: str
    prepare: Prepare
    command: tuple[str, ...]
    code: int
    words: tuple[str, ...]
    untouched: tuple[str, ...] = ()  # still what it was: a pipe, a link to a device
    kept: tuple[str, ...] = ()  # the good part of a batch, still written
    absent: tuple[str, ...] = ()  # refused before anything was made


NOT_A_FILE = "device, pipe or socket"
# fmt: off
CASES = [
    Case("render -o a pipe", fifo("out.pdf"), RENDER, 1, ("out.pdf", NOT_A_FILE, "-o -"), untouched=("out.pdf",)),
    Case("render -o a link to /dev/null", link("out.pdf", "/dev/null"), RENDER, 1, ("out.pdf", NOT_A_FILE, "-o -"), untouched=("out.pdf",)),
    Case("discharge -o a pipe", fifo("out.pdf"), DISCHARGE, 1, ("out.pdf", NOT_A_FILE, "-o -"), untouched=("out.pdf",)),
    Case("discharge --ics a pipe", fifo("out.ics"), DISCHARGE, 1, ("out.ics", NOT_A_FILE, "--ics doses.ics"), untouched=("out.ics",)),
    Case("discharge --ics a link to /dev/null", link("out.ics", "/dev/null"), DISCHARGE, 1, ("out.ics", NOT_A_FILE), untouched=("out.ics",)),
    Case("discharge --ics a name too long", lambda folder: None, (*DISCHARGE[:-1], "d" * 300), 1, ("ddd", "cannot be used", "file name too long")),
    Case("discharge -o a name too long", lambda folder: None, (*DISCHARGE[:-3], "d" * 300), 1, ("ddd", "cannot be used", "file name too long")),
    Case("discharge -o and --ics the same file", lambda folder: None, (*DISCHARGE[:-1], "out.pdf"), 1, ("out.pdf", "two files at once")),
    Case("batch --merge a pipe", sheets(fifo("all.pdf")), (*SHEETS, "--merge", "all.pdf"), 1, ("all.pdf", NOT_A_FILE), untouched=("all.pdf",), absent=("shelf",)),
    Case("batch output already a pipe", sheets(fifo("shelf/discharge-a-en.pdf")), SHEETS, 1, ("row 2", "discharge-a-en.pdf", NOT_A_FILE), untouched=("shelf/discharge-a-en.pdf",), kept=("shelf/discharge-c-en.pdf",)),
    Case("batch index.csv a link to /dev/null", sheets(link("shelf/index.csv", "/dev/null")), SHEETS, 1, ("index.csv", NOT_A_FILE), untouched=("shelf/index.csv",)),
    Case("batch lock file a planted link", sheets(link(f"shelf/{LOCK_FILE}", "/dev/null")), SHEETS, 1, ("shelf", "lock file"), untouched=(f"shelf/{LOCK_FILE}",)),
    Case("--merge onto one of the batch's outputs", sheets(), (*SHEETS, "--merge", "shelf/discharge-a-en.pdf"), 2, ("--merge", "discharge-a-en.pdf", "a file of its own"), absent=("shelf",)),
    Case("--merge onto the batch's index.csv", sheets(), (*SHEETS, "--merge", "shelf/index.csv"), 2, ("--merge", "index.csv"), absent=("shelf",)),
    Case("--merge through a link onto an output", sheets(link("all.pdf", "shelf/discharge-c-en.pdf")), (*SHEETS, "--merge", "all.pdf"), 2, ("--merge", "discharge-c-en.pdf"), untouched=("all.pdf",), absent=("shelf",)),
    Case("a second batch while one holds the folder", sheets(hold_lock), SHEETS, 1, ("shelf", "another batch is writing")),
    Case("two clinics, one profile listed twice", clinics("clinic.toml", "./clinic.toml"), TWO_CLINICS, 1, ("batch.toml", "'clinic.toml' and './clinic.toml'", "same folder 'clinic'"), absent=("shelf",)),
    Case("two clinics, one folder inside the other", clinics("north.toml", "north/clinic.toml"), TWO_CLINICS, 1, ("batch.toml", "one inside the other"), absent=("shelf",)),
]
# fmt: on


def _state(path: Path) -> object:
    """What a path is: a link and where it points, a pipe, or a file's bytes."""
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_fifo():
        return "pipe"
    return path.read_bytes() if path.is_file() else None


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_bad_output(desk: Path, case: Case) -> None:  # noqa: F811  (the imported fixture)
    held = case.prepare(desk)
    before = {path: _state(path) for path in (desk / name for name in case.untouched)}
    created_before = set(desk.rglob("*"))
    result = run_handouts(*case.command, cwd=desk)
    del held  # another batch's lock is released only now
    assert result.code == case.code, result.stderr
    one_problem(result, case.command, case.words)
    assert NAME not in result.stderr and "Pat Example" not in result.stderr
    assert {path: _state(path) for path in before} == before
    for name in case.kept:
        assert (desk / name).is_file(), name
    for name in case.absent:
        assert not (desk / name).exists(), name
    kept = {desk / name for name in case.kept}
    new = set(desk.rglob("*")) - created_before - kept
    assert not [path for path in new if path.suffix in (".pdf", ".ics", ".part")], new
    assert not list(desk.rglob("*.part"))
