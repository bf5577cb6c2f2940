"""Bad patient input: one clear line naming the field (never the patient's
data), the right exit code, and no PDF or calendar file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_PROFILE, PNG_1PX, run_handouts
from test_discharge import PATIENT

NAME = "María José Núñez"


def _swap(old: str, new: str):
    return lambda text: text.replace(old, new)


# (case, how to spoil the patient file, exit code, words the error line must hold)
CASES = [
    ("malformed toml", _swap("[taper]", "[taper"), 1, ["not valid TOML", "line"]),
    ("unknown key", _swap("every_days", "evry_days"), 1, ["unknown key 'evry_days'", "takes only"]),
    ("unknown section", lambda t: t + "\n[notes]\ntext = 'x'\n", 1, ["unknown section [notes]"]),
    ("missing name", _swap(f'name = "{NAME}"\n', ""), 1, ["[patient] name is missing"]),
    ("name of 10000 characters", _swap(NAME, "A" * 10_000), 1, ["10000 characters long", "at most 100"]),
    ("control character in name", _swap(NAME, "Mar\\u0000ía"), 1, ["control or private-use character"]),
    (
        "follow-up before discharge",
        _swap("2026-12-29T10:30:00", "2026-11-29T10:30:00"),
        1,
        ["[follow_up] when is before the discharge date"],
    ),
    (
        "taper before discharge",
        _swap("start = 2026-12-02", "start = 2026-11-20"),
        1,
        ["[taper] start is before the discharge date", "taper_may_start_before_discharge"],
    ),
    (
        "start not a date",
        _swap("start = 2026-12-02", 'start = "next monday"'),
        1,
        ["[taper] start must be a date"],
    ),
    ("impossible date", _swap("start = 2026-12-02", "start = 2026-02-30"), 1, ["not valid TOML"]),
    ("step makes no progress", _swap("step_mg = 5", "step_mg = 0"), 1, ["taper.step_mg", "never go down"]),
    (
        "dose cannot be made",
        _swap("daily_mg = 30", "daily_mg = 32"),
        1,
        ["medication.daily_mg", "cannot be made"],
    ),
    ("doses per day outside 1-4", _swap("doses_per_day = 3", "doses_per_day = 5"), 1, ["1 to 4"]),
    ("plan too long", _swap("every_days = 7", "every_days = 90"), 1, ["would take", "max_days"]),
    ("above label maximum", _swap("daily_mg = 30", "daily_mg = 90"), 1, ["label maximum of 80 mg", "typo"]),
    ("negative dose", _swap("daily_mg = 30", "daily_mg = -30"), 1, ["must be zero or more"]),
    ("dose as text with unit", _swap("daily_mg = 30", 'daily_mg = "30 mg"'), 1, ["without quotes or units"]),
    (
        "step not makeable",
        lambda t: t.replace("strengths_mg = [10, 5]", "strengths_mg = [10]").replace(
            "split_tablets = true", "split_tablets = false"
        ),
        1,
        ["taper.step_mg", "cannot be made"],
    ),
    ("no reduction given", _swap("step_mg = 5\n", ""), 1, ["needs exactly one of step_mg"]),
    ("emoji in name", _swap(NAME, "María \U0001f600"), 1, ["'patient name'", "U+1F600"]),
]


@pytest.fixture
def ward(tmp_path: Path) -> Path:
    (tmp_path / "clinic.toml").write_text(GOOD_PROFILE, encoding="utf-8")
    (tmp_path / "logo.png").write_bytes(PNG_1PX)
    return tmp_path


@pytest.mark.parametrize(("spoil", "code", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_patient_file(ward: Path, spoil, code: int, expected: list[str]) -> None:
    (ward / "patient.toml").write_text(spoil(PATIENT), encoding="utf-8")
    result = run_handouts(
        "discharge",
        "--clinic",
        "clinic.toml",
        "--patient",
        "patient.toml",
        "--lang",
        "en",
        "-o",
        "sheet.pdf",
        "--ics",
        "doses.ics",
        cwd=ward,
    )
    assert result.code == code, result.stderr
    assert len(result.stderr_lines) == 1, result.stderr
    line = result.stderr_lines[0]
    for words in expected:
        assert words in line, (words, line)
    assert "María" not in line and "AAAA" not in line  # health data stays out of messages
    assert "Traceback" not in result.stderr
    assert not (ward / "sheet.pdf").exists() and not (ward / "doses.ics").exists()
    assert not list(ward.glob("*.part"))


def test_start_before_discharge_when_acknowledged(ward: Path) -> None:
    spoiled = PATIENT.replace("start = 2026-12-02", "start = 2026-11-28").replace(
        'prescriber = "Dr. A. Chen"', 'prescriber = "Dr. A. Chen"\ntaper_may_start_before_discharge = true'
    )
    (ward / "patient.toml").write_text(spoiled, encoding="utf-8")
    result = run_handouts(
        "discharge",
        "--clinic",
        "clinic.toml",
        "--patient",
        "patient.toml",
        "--lang",
        "en",
        "-o",
        "sheet.pdf",
        cwd=ward,
    )
    assert result.code == 0, result.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--patient", "patient.toml", "--name", "X"], "either --patient or the patient options"),
        ([], "no patient given"),
        (["--patient", "patient.toml", "--include", "tapering,bogus"], "unknown handout kind 'bogus'"),
        (["--name", "X", "--start", "tomorrow"], "--start is not a date"),
        (["--name", "X", "--daily-mg", "thirty"], "--daily-mg is not a number"),
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
