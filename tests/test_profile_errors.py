"""Every way a clinic profile can be wrong gets one clear line: the file, the
key, what is wrong and how to fix it; exit code 1; no traceback; no PDF."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import GOOD_PROFILE, run_handouts


def _replace(old: str, new: str):
    return lambda text: text.replace(old, new)


# (case id, how to spoil the good profile, words the one error line must hold)
CASES = [
    ("unknown key", _replace("website =", "webiste ="), ["unknown key 'webiste'", "[clinic]", "takes only"]),
    ("unknown section", lambda t: t + '\n[clinc]\nname = "x"\n', ["unknown section [clinc]", "spelling"]),
    (
        "wrong type",
        _replace('number = "911"', "number = 911"),
        ["[emergency] number must be text", 'number = "911"'],
    ),
    (
        "missing required name",
        _replace('name = "Riverside Spasticity Clinic"\n', ""),
        ["[clinic] name is missing or empty", 'add name = "..."'],
    ),
    (
        "empty required phone",
        _replace('phone = "(312) 555-0142"', 'phone = ""'),
        ["[clinic] phone is missing or empty"],
    ),
    ("missing emergency number", _replace('number = "911"\n', ""), ["[emergency] number is missing"]),
    (
        "logo not found",
        _replace('logo = "logo.png"', 'logo = "missing.png"'),
        ["logo 'missing.png' was not found", "PNG or SVG"],
    ),
    (
        "logo not an image",
        _replace('logo = "logo.png"', 'logo = "notes.png"'),
        ["logo 'notes.png' is not a PNG or SVG image"],
    ),
    (
        "logo outside folder",
        _replace('logo = "logo.png"', 'logo = "../secret.png"'),
        ["outside the profile's folder"],
    ),
    (
        "logo absolute path",
        _replace('logo = "logo.png"', 'logo = "/etc/passwd"'),
        ["outside the profile's folder"],
    ),
    (
        "logo url",
        _replace('logo = "logo.png"', 'logo = "http://127.0.0.1:9/logo.png"'),
        ["is a URL", "never downloads"],
    ),
    ("malformed toml", _replace("[emergency]", "[emergency"), ["is not valid TOML", "line 11"]),
    (
        "not a phone number",
        _replace('phone = "(312) 555-0142"', 'phone = "call us"'),
        ["[clinic] phone 'call us' is not a phone number"],
    ),
    (
        "bad paper",
        _replace('paper = "letter"', 'paper = "legal"'),
        ["paper 'legal' is not a paper size", "letter, a4"],
    ),
    ("control character", _replace("Riverside", "River\\u0007side"), ["control character U+0007"]),
    ("name too long", _replace("Riverside Spasticity Clinic", "R" * 500), ["500 characters long", "shorten"]),
]


@pytest.mark.parametrize(("spoil", "expected"), [(c[1], c[2]) for c in CASES], ids=[c[0] for c in CASES])
def test_bad_profile_gets_one_clear_line(clinic_dir: Path, spoil, expected: list[str]) -> None:
    (clinic_dir / "notes.png").write_text("not an image", encoding="utf-8")
    (clinic_dir.parent / "secret.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (clinic_dir / "clinic.toml").write_text(spoil(GOOD_PROFILE), encoding="utf-8")
    result = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "out.pdf", cwd=clinic_dir)
    assert result.code == 1, result.stderr
    assert len(result.stderr_lines) == 1, result.stderr
    line = result.stderr_lines[0]
    assert line.startswith("handouts: error: clinic.toml: ")
    for words in expected:
        assert words.lower() in line.lower(), (words, line)
    assert "Traceback" not in result.stderr
    assert not (clinic_dir / "out.pdf").exists()
    assert [p.name for p in clinic_dir.iterdir() if p.suffix in (".pdf", ".part")] == []


@pytest.mark.parametrize(
    ("setup", "expected"),
    [
        (lambda d: None, "no such file"),
        (lambda d: (d / "nope.toml").mkdir(), "is a folder"),
        (lambda d: (d / "nope.toml").write_bytes(b'[clinic]\nname = "\xff"\n'), "is not UTF-8 text"),
    ],
    ids=["missing file", "folder", "not utf-8"],
)
def test_unreadable_profile_file(tmp_path: Path, setup, expected: str) -> None:
    setup(tmp_path)
    result = run_handouts("render", "tapering", "--clinic", "nope.toml", "-o", "out.pdf", cwd=tmp_path)
    assert result.code == 1
    assert len(result.stderr_lines) == 1 and expected in result.stderr and "nope.toml" in result.stderr
    assert not (tmp_path / "out.pdf").exists()


def test_byte_order_mark_from_a_windows_editor_is_accepted(clinic_dir: Path) -> None:
    (clinic_dir / "clinic.toml").write_bytes(b"\xef\xbb\xbf" + GOOD_PROFILE.encode())
    result = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "out.pdf", cwd=clinic_dir)
    assert result.code == 0, result.stderr


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
    assert "outside.png" in result.stderr and "refused" in result.stderr
    assert not (clinic_dir / "out.pdf").exists()
