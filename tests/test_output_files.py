"""Nothing overwritten, deleted or mixed up: what the tool writes, where, and
what it leaves behind when it is stopped."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from conftest import GOOD_PROFILE, PNG_1PX, discharge, pdf_text, run_handouts
from test_batch import HEADER, _row

from handouts import output, temporary_folder
from handouts.errors import OutputError
from handouts.output import UnusedName, write_together


def _dead_pid() -> int:
    """The PID of a process that has ended (not reused in the moment a test takes)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_two_discharges_the_same_day_keep_both_files(ward: Path) -> None:
    first = discharge(ward, "--patient", "patient.toml", "--lang", "en")
    assert first.code == 0, first.stderr
    sheet = ward / "discharge-2026-12-01-en.pdf"
    kept = sheet.read_bytes()
    (ward / "patient.toml").write_text(
        (ward / "patient.toml").read_text(encoding="utf-8").replace("María José Núñez", "Omar Haddad"),
        encoding="utf-8",
    )
    second = discharge(ward, "--patient", "patient.toml", "--lang", "en")
    assert second.code == 0, second.stderr
    assert "wrote discharge-2026-12-01-en-2.pdf" in second.stderr
    assert sheet.read_bytes() == kept
    assert "Omar Haddad" in pdf_text(ward / "discharge-2026-12-01-en-2.pdf")
    assert "María José Núñez" in pdf_text(sheet)


def test_a_calendar_that_cannot_be_written_leaves_the_earlier_sheet_as_it_was(ward: Path) -> None:
    assert discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "sheet.pdf").code == 0
    earlier = (ward / "sheet.pdf").read_bytes()
    # /proc passes os.access for root, and only creating the file there fails. (Another user
    # is refused before rendering.) The rollback after a failed rename is tested below.
    result = discharge(
        ward, "--patient", "patient.toml", "--lang", "es", "-o", "sheet.pdf", "--ics", "/proc/doses.ics"
    )
    assert result.code == 1 and len(result.stderr_lines) == 1, result.stderr
    assert "could not be written" in result.stderr and "Traceback" not in result.stderr
    assert (ward / "sheet.pdf").read_bytes() == earlier
    assert sorted(path.name for path in ward.iterdir() if path.suffix in (".pdf", ".ics", ".part")) == [
        "sheet.pdf"
    ]


@pytest.mark.parametrize("sheet_exists", [True, False])
def test_files_written_together_all_change_or_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sheet_exists: bool
) -> None:
    sheet = tmp_path / "discharge-2026-12-01-en.pdf"
    if sheet_exists:
        sheet.write_bytes(b"the sheet printed this morning")
    calendar = tmp_path / "doses.ics"
    calendar.write_bytes(b"the calendar printed this morning")
    replace = os.replace

    def fail_on_the_calendar(source: str | Path, target: str | Path) -> None:
        if str(target).endswith(".ics"):
            raise OSError(5, "Input/output error")
        replace(source, target)

    monkeypatch.setattr(output.os, "replace", fail_on_the_calendar)
    target = sheet if sheet_exists else UnusedName(tmp_path, "discharge-2026-12-01-en", ".pdf")
    with pytest.raises(OutputError, match=r"doses\.ics: could not be written"):
        write_together([(target, b"%PDF new sheet"), (calendar, b"BEGIN:VCALENDAR new")])
    assert calendar.read_bytes() == b"the calendar printed this morning"
    if sheet_exists:
        assert sheet.read_bytes() == b"the sheet printed this morning"
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(
        [calendar.name, *([sheet.name] if sheet_exists else [])]
    )


def test_a_chosen_name_is_numbered_and_a_given_name_replaced(tmp_path: Path) -> None:
    (tmp_path / "discharge-2026-12-01-es.pdf").write_bytes(b"first patient")
    (tmp_path / "discharge-2026-12-01-es-2.pdf").write_bytes(b"second patient")
    name = UnusedName(tmp_path, "discharge-2026-12-01-es", ".pdf")
    assert write_together([(name, b"third patient")]) == [tmp_path / "discharge-2026-12-01-es-3.pdf"]
    assert (tmp_path / "discharge-2026-12-01-es.pdf").read_bytes() == b"first patient"
    assert (tmp_path / "discharge-2026-12-01-es-2.pdf").read_bytes() == b"second patient"
    assert write_together([(tmp_path / "discharge-2026-12-01-es.pdf", b"named with -o")])
    assert (tmp_path / "discharge-2026-12-01-es.pdf").read_bytes() == b"named with -o"


def test_a_batch_removes_only_its_own_stale_temporary_files(ward: Path) -> None:
    (ward / "rows.csv").write_text("\n".join([HEADER, _row("a")]) + "\n", encoding="utf-8")
    shelf = ward / "shelf"
    (shelf / "sub").mkdir(parents=True)
    foreign = [shelf / ".x.part", shelf / ".notes.txt.a1b2c3d4.part", shelf / "sub" / ".y.part"]
    alive = shelf / f".discharge-a-en.pdf.handouts-{os.getpid()}-0123abcd.part"  # being written now
    stale = shelf / f".discharge-a-en.pdf.handouts-{_dead_pid()}-0123abcd.part"
    for path in [*foreign, alive, stale]:
        path.write_bytes(b"someone's half-written file")
    result = run_handouts("batch", "rows.csv", "--clinic", "clinic.toml", "-o", "shelf", "-j", "1", cwd=ward)
    assert result.code == 0, result.stderr
    assert all(path.read_bytes() == b"someone's half-written file" for path in [*foreign, alive])
    assert not stale.exists()


def test_two_clinics_with_the_same_profile_name_keep_their_own_numbers(tmp_path: Path) -> None:
    for clinic, phone in (("north", "(312) 555-0142"), ("south", "(618) 555-0199")):
        (tmp_path / clinic).mkdir()
        profile = GOOD_PROFILE.replace("(312) 555-0142", phone)
        (tmp_path / clinic / "clinic.toml").write_text(profile, encoding="utf-8")
        (tmp_path / clinic / "logo.png").write_bytes(PNG_1PX)
    (tmp_path / "batch.toml").write_text(
        '[batch]\nclinics = ["north/clinic.toml", "south/clinic.toml"]\nlanguages = ["en"]\n'
        'kinds = ["tapering"]\n',
        encoding="utf-8",
    )
    result = run_handouts("batch", "batch.toml", "-o", "shelf", "-j", "1", cwd=tmp_path)
    assert result.code == 0, result.stderr
    north = pdf_text(tmp_path / "shelf" / "north" / "clinic" / "tapering-en.pdf")
    south = pdf_text(tmp_path / "shelf" / "south" / "clinic" / "tapering-en.pdf")
    assert "(312) 555-0142" in north and "(618) 555-0199" not in north
    assert "(618) 555-0199" in south and "(312) 555-0142" not in south


def _children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        found |= {int(child) for child in (task / "children").read_text().split()}
    return found


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")  # a zombie has stopped; only its parent has not reaped it


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_a_parallel_batch_stops_its_workers_and_leaves_no_font_copies(ward: Path) -> None:
    (ward / "rows.csv").write_text("\n".join([HEADER, *(_row(f"r{n}") for n in range(40))]) + "\n")
    temporary = ward / "tmp"
    temporary.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "HANDOUTS_CLINIC"} | {"TMPDIR": str(temporary)}
    command = [sys.executable, "-m", "handouts", "batch", "--clinic", "clinic.toml", "rows.csv"]
    batch = subprocess.Popen(
        [*command, "-o", "out", "-j", "2"],
        cwd=ward,
        env=env,
        stdin=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list((ward / "out").glob("*.pdf"))) < 2:
        time.sleep(0.05)
    workers = _children(batch.pid)
    assert len(workers) >= 2
    os.kill(batch.pid, signal.SIGKILL)
    batch.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_running(pid) for pid in workers):
        time.sleep(0.1)
    assert not [pid for pid in workers if _running(pid)]
    written = sorted((ward / "out").glob("*.pdf"))
    time.sleep(1)
    assert sorted((ward / "out").glob("*.pdf")) == written  # nobody is writing any more
    # The next run starts clean: no font copies and no temporary files of the killed batch.
    (ward / "one.csv").write_text("\n".join([HEADER, _row("x")]) + "\n")
    again = subprocess.run(
        [*command[:-1], "one.csv", "-o", "next", "-j", "2"],
        cwd=ward,
        env=env,
        capture_output=True,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert list(temporary.iterdir()) == []
    assert not list((ward / "out").rglob("*.part"))


def test_the_next_start_removes_font_copies_of_dead_processes_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    dead = tmp_path / f"handouts-{_dead_pid()}-abc"
    alive = tmp_path / f"handouts-{os.getpid()}-def"
    foreign = tmp_path / "weasyprint-ghi"  # not ours to judge
    for folder in (dead, alive, foreign):
        (folder / "weasyprint-xyz").mkdir(parents=True)
        (folder / "weasyprint-xyz" / "font").write_bytes(b"\0" * 1024)
    assert temporary_folder.remove_stale() == [dead]
    assert alive.is_dir() and foreign.is_dir() and not dead.exists()
