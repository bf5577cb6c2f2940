"""Patient input around the edges: an acknowledged early start, and command
lines that mix or miss the ways to give a patient. The table of bad patient
files is in test_bad_input.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import PATIENT, discharge, run_handouts


def test_start_before_discharge_when_acknowledged(ward: Path) -> None:
    spoiled = PATIENT.replace("start = 2026-12-02", "start = 2026-11-28").replace(
        'prescriber = "Dr. A. Chen"', 'prescriber = "Dr. A. Chen"\ntaper_may_start_before_discharge = true'
    )
    (ward / "patient.toml").write_text(spoiled, encoding="utf-8")
    result = discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "sheet.pdf")
    assert result.code == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--patient", "patient.toml", "--name", "X"], "either --patient or the patient options"),
        ([], "no patient given"),
        (["--patient", "patient.toml", "--include", "tapering,bogus"], "unknown handout kind 'bogus'"),
        (["--name", "X", "--start", "tomorrow"], "--start must be a date"),
        (["--name", "X", "--daily-mg", "thirty"], "--daily-mg must be a number"),
    ],
    ids=["both", "none", "bad include", "bad date option", "bad number option"],
)
def test_usage_errors(ward: Path, args: list[str], expected: str) -> None:
    (ward / "patient.toml").write_text(PATIENT, encoding="utf-8")
    result = run_handouts("discharge", "--clinic", "clinic.toml", "--lang", "en", *args, cwd=ward)
    assert result.code == 2, result.stderr
    assert len(result.stderr_lines) == 1 and expected in result.stderr


def test_missing_patient_file(ward: Path) -> None:
    result = run_handouts("discharge", "--clinic", "clinic.toml", "--patient", "nobody.toml", cwd=ward)
    assert result.code == 1 and "nobody.toml: no such file" in result.stderr
