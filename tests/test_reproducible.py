"""The same inputs and the same date give the same bytes, run after run, in
separate processes: a clinic can check a reprint against the original."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from conftest import pdf_text, run_handouts

QUICK_USE = (
    "discharge", "--clinic", "clinic.toml", "--lang", "es", "--name", "Ana Ruiz", "--prescriber", "Dr. Chen",
    "--form", "tablet", "--strengths-mg", "10,5", "--split-tablets", "--daily-mg", "20", "--doses-per-day", "2",
    "--start", "2026-12-02", "--step-mg", "5", "--every-days", "7",
)  # fmt: skip
DEC_1_2026 = "1796083200"  # 2026-12-01T00:00:00Z


def _twice(ward: Path, *args: str, env: dict[str, str] | None = None) -> tuple[bytes, bytes]:
    outputs = []
    for name in ("first", "second"):
        result = run_handouts(*args, "-o", f"{name}.pdf", cwd=ward, env=env, process=True)
        assert result.code == 0, result.stderr
        outputs.append((ward / f"{name}.pdf").read_bytes())
    return outputs[0], outputs[1]


@pytest.mark.parametrize("tag", ["en", "ar", "zh-Hans"])
def test_a_handout_is_byte_identical(ward: Path, tag: str) -> None:
    first, second = _twice(ward, "render", "warning-signs", "--clinic", "clinic.toml", "--lang", tag)
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()


def test_a_discharge_sheet_and_its_calendar_are_byte_identical(ward: Path) -> None:
    calendars = []
    for name in ("first", "second"):
        args = ("discharge", "--clinic", "clinic.toml", "--patient", "patient.toml", "--include", "tapering")
        result = run_handouts(*args, "-o", f"{name}.pdf", "--ics", f"{name}.ics", cwd=ward, process=True)
        assert result.code == 0, result.stderr
        calendars.append((ward / f"{name}.ics").read_bytes())
    assert (ward / "first.pdf").read_bytes() == (ward / "second.pdf").read_bytes()
    assert calendars[0] == calendars[1]


def test_date_option_and_source_date_epoch_give_the_same_sheet(ward: Path) -> None:
    by_option = _twice(ward, *QUICK_USE, "--date", "2026-12-01")
    by_epoch = _twice(ward, *QUICK_USE, env={"SOURCE_DATE_EPOCH": DEC_1_2026})
    assert by_option[0] == by_option[1] == by_epoch[0] == by_epoch[1]
    assert "1 de diciembre de 2026" in pdf_text(by_epoch[0])


def test_another_date_gives_another_sheet(ward: Path) -> None:
    one = _twice(ward, *QUICK_USE, "--date", "2026-12-01")[0]
    other = _twice(ward, *QUICK_USE, env={"SOURCE_DATE_EPOCH": str(int(DEC_1_2026) - 86_400)})[0]
    assert one != other and "30 de noviembre de 2026" in pdf_text(other)


def test_a_source_date_epoch_that_is_not_a_number_is_one_clear_line(ward: Path) -> None:
    result = run_handouts(*QUICK_USE, "-o", "x.pdf", cwd=ward, env={"SOURCE_DATE_EPOCH": "yesterday"})
    assert result.code == 2 and result.stderr_lines == [
        "handouts: error: SOURCE_DATE_EPOCH 'yesterday' is not a number of seconds since 1970-01-01. "
        "Unset it, or set it to whole seconds, e.g. SOURCE_DATE_EPOCH=1796083200"
    ]
    assert not (ward / "x.pdf").exists()
