"""The command line: help, version, usage errors and the starter profile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import GOOD_PROFILE, pdf_text, run_handouts

from handouts import __version__


def test_version(tmp_path: Path) -> None:
    result = run_handouts("--version", cwd=tmp_path)
    assert result.code == 0 and __version__ in result.stdout.decode()


def test_the_installed_command_renders_in_its_own_process(tmp_path: Path) -> None:
    """A smoke test of the real entry point; everything else runs in-process."""
    result = run_handouts("render", "tapering", "-o", "t.pdf", cwd=tmp_path, process=True)
    assert result.code == 0, result.stderr
    assert "Stopping baclofen safely" in pdf_text(tmp_path / "t.pdf")
    broken = run_handouts("render", "tapering", "--clinic", "nowhere.toml", cwd=tmp_path, process=True)
    assert broken.code == 1 and len(broken.stderr_lines) == 1 and "Traceback" not in broken.stderr


@pytest.mark.parametrize("command", [[], ["list"], ["render"], ["init"]])
def test_every_command_has_help_with_a_worked_example(tmp_path: Path, command: list[str]) -> None:
    result = run_handouts(*command, "--help", cwd=tmp_path)
    assert result.code == 0
    assert "Example" in result.stdout.decode()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["render", "tapring"], "'tapring' is not one of"),
        (["render", "tapering", "--paper", "legal"], "'legal' is not one of"),
        (["render", "tapering", "--colour"], "No such option"),
        (["render", "all", "-o", "-"], "-o - writes one PDF"),
        (["frobnicate"], "No such command"),
    ],
    ids=["unknown kind", "unknown paper", "unknown option", "all to stdout", "unknown command"],
)
def test_usage_errors_are_one_line_with_exit_code_2(tmp_path: Path, args: list[str], expected: str) -> None:
    result = run_handouts(*args, cwd=tmp_path)
    assert result.code == 2, result.stderr
    assert len(result.stderr_lines) == 1, result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_output_folder_that_does_not_exist(clinic_profile: Path) -> None:
    result = run_handouts(
        "render",
        "tapering",
        "--clinic",
        str(clinic_profile),
        "-o",
        "no/such/t.pdf",
        cwd=clinic_profile.parent,
    )
    assert result.code == 1
    assert len(result.stderr_lines) == 1 and "does not exist" in result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output_folder(clinic_profile: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    result = run_handouts(
        "render", "tapering", "--clinic", str(clinic_profile), "-o", str(locked / "t.pdf"), cwd=tmp_path
    )
    assert result.code == 1 and "not writable" in result.stderr


def test_output_that_is_a_folder_receives_the_default_name(clinic_profile: Path) -> None:
    folder = clinic_profile.parent / "prints"
    folder.mkdir()
    result = run_handouts(
        "render", "treatment", "--clinic", str(clinic_profile), "-o", str(folder), cwd=clinic_profile.parent
    )
    assert result.code == 0, result.stderr
    assert (folder / "treatment-en.pdf").exists()


def test_all_into_a_file_path_is_refused(clinic_profile: Path) -> None:
    (clinic_profile.parent / "taken").write_text("x")
    result = run_handouts(
        "render", "all", "--clinic", str(clinic_profile), "-o", "taken", cwd=clinic_profile.parent
    )
    assert result.code == 2 and "needs a folder" in result.stderr


def test_init_writes_a_starter_that_must_be_filled_in(tmp_path: Path) -> None:
    result = run_handouts("init", cwd=tmp_path)
    assert result.code == 0, result.stderr
    starter = tmp_path / "clinic.toml"
    assert "REQUIRED" in starter.read_text()

    again = run_handouts("init", cwd=tmp_path)
    assert again.code == 1 and "already exists" in again.stderr and "--force" in again.stderr

    unfilled = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=tmp_path)
    assert unfilled.code == 1 and "[clinic] name is missing or empty" in unfilled.stderr
    assert not (tmp_path / "t.pdf").exists()

    text = starter.read_text()
    text = text.replace('name = ""', 'name = "Lakeside Clinic"')
    text = text.replace('phone = ""', 'phone = "555-0123"', 1)
    text = text.replace('number = ""', 'number = "112"')
    starter.write_text(text)
    filled = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=tmp_path)
    assert filled.code == 0, filled.stderr
    page = pdf_text(tmp_path / "t.pdf")
    assert "Lakeside Clinic" in page and "555-0123" in page and "Call 112 now" in page


def test_init_with_force_replaces(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text(GOOD_PROFILE)
    result = run_handouts("init", "mine.toml", "--force", cwd=tmp_path)
    assert result.code == 0
    assert "REQUIRED" in (tmp_path / "mine.toml").read_text()


def test_output_under_a_file_instead_of_a_folder(clinic_profile: Path) -> None:
    (clinic_profile.parent / "plain").write_text("x")
    result = run_handouts(
        "render", "tapering", "--clinic", str(clinic_profile), "-o", "plain/t.pdf", cwd=clinic_profile.parent
    )
    assert result.code == 1 and len(result.stderr_lines) == 1 and "is not a folder" in result.stderr
