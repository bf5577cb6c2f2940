"""The three handouts, as a nurse or patient would see them on paper."""

from __future__ import annotations

import io
import math
from pathlib import Path

import pikepdf
import pytest
from conftest import GOOD_PROFILE, PNG_1PX, assert_accessible, pdf_fonts, pdf_pages, pdf_text, run_handouts
from pypdf import PdfReader

from handouts.content import load_content

KINDS = list(load_content().handouts)
KEY_PHRASES = {
    "tapering": [
        "Do not stop taking baclofen all at once",
        "taper",
        "Do not take two doses at once",
        "baclofen pump",
        "If you take too much baclofen",
        "If you think you took too much",
        "Kidney problems",
        "Driving",
        "My taper tracker",
    ],
    "warning-signs": [
        "Emergency",
        "Call today",
        "Expected",
        "Manage at home",
        "seizure",
        "suicide and crisis line",
        "A fever of 100.4°F (38°C) or higher",
        "Vomiting, so that you cannot keep your doses down",
        "go to an emergency department and say that you have a baclofen pump",
    ],
    "treatment": [
        "first visit",
        "check-ins",
        "If you took baclofen for alcohol use",
        "multiple sclerosis",
        "Time since the last dose",
        "Questions to ask your care team",
        "12 to 24 hours",
        "Days 4 to 10",
        "After 10 days",
    ],
}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All handouts for a real clinic profile, rendered once for this module."""
    root = tmp_path_factory.mktemp("rendered")
    (root / "clinic.toml").write_text(GOOD_PROFILE, encoding="utf-8")
    (root / "logo.png").write_bytes(PNG_1PX)
    result = run_handouts("render", "all", "--clinic", "clinic.toml", "-o", "out", cwd=root)
    assert result.code == 0, result.stderr
    assert "handouts: warning" not in result.stderr
    return root / "out"


@pytest.fixture(scope="module")
def sample_rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    root = tmp_path_factory.mktemp("sample")
    result = run_handouts("render", "all", "-o", "out", cwd=root)
    assert result.code == 0, result.stderr
    return root / "out", result.stderr


def test_list_names_every_kind_with_a_description(tmp_path: Path) -> None:
    result = run_handouts("list", cwd=tmp_path)
    assert result.code == 0
    lines = result.stdout.decode().splitlines()
    assert [line.split()[0] for line in lines] == KINDS
    assert all(len(line.split(maxsplit=1)[1]) > 20 for line in lines)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_shows_its_content_and_the_clinics_numbers(rendered: Path, kind: str) -> None:
    text = pdf_text(rendered / f"{kind}-en.pdf")
    assert load_content().handouts[kind].title in text
    assert "Key points" in text
    for phrase in KEY_PHRASES[kind]:
        assert phrase in text, phrase
    assert "Riverside Spasticity Clinic" in text
    assert "(312) 555-0142" in text
    assert "Call 911 now" in text
    assert "988" in text
    assert "does not replace the advice of your care team" in text
    assert "Content version 1.0" in text and "December 1, 2026" in text
    pages = pdf_pages(rendered / f"{kind}-en.pdf")
    assert f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    assert "SAMPLE" not in text.upper().replace("SAMPLE NEUROLOGY", "")


@pytest.mark.parametrize("kind", KINDS)
def test_pdf_is_tagged_with_title_language_and_embedded_fonts(rendered: Path, kind: str) -> None:
    path = rendered / f"{kind}-en.pdf"
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root
        assert pdf.Root.ViewerPreferences.DisplayDocTitle
        assert str(pdf.docinfo["/Title"]) == load_content().handouts[kind].title
        assert "pdfuaid" in pdf.Root.Metadata.read_bytes().decode()
    fonts = pdf_fonts(path)
    assert fonts and all(fonts.values()), fonts
    assert any("Atkinson-Hyperlegible" in name for name in fonts)


def _text_sizes(data: Path, pictograms: bool = False) -> list[float]:
    """The size, in points, at which each run of text is drawn; without the
    strength printed on a drawn tablet (a picture of the words beside it)
    unless pictograms is set."""
    sizes: list[float] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        label = text.strip().replace(".", "").isdigit() and size * math.hypot(tm[2], tm[3]) < 8
        if text.strip() and (pictograms or not label):
            scale = math.hypot(tm[2], tm[3]) * math.hypot(cm[2], cm[3])
            sizes.append(round(size * scale, 1))

    for page in PdfReader(data).pages:
        page.extract_text(visitor_text=visit)
    return sizes


def test_body_text_is_at_least_12_pt(rendered: Path) -> None:
    for kind in KINDS:
        sizes = _text_sizes(rendered / f"{kind}-en.pdf")
        assert sizes and min(sizes) >= 12, (kind, min(sizes))


def test_large_print_is_at_least_18_pt_and_still_lays_out(clinic_profile: Path) -> None:
    folder = clinic_profile.parent
    result = run_handouts(
        "render", "all", "--clinic", "clinic.toml", "--large-print", "-o", "big", cwd=folder
    )
    assert result.code == 0, result.stderr
    for kind in KINDS:
        path = folder / "big" / f"{kind}-en.pdf"
        sizes = _text_sizes(path)
        body = sorted(sizes)[len(sizes) // 2]  # the median run is body text
        assert body >= 18, (kind, body)
        # Footer text is allowed to be smaller, but nothing below 14 pt.
        assert min(sizes) >= 14, (kind, min(sizes))
        assert load_content().handouts[kind].title in pdf_text(path)
        assert_accessible(path, "en")


def test_sample_clinic_is_marked_on_every_page_and_warned(sample_rendered: tuple[Path, str]) -> None:
    folder, stderr = sample_rendered
    assert "sample clinic" in stderr and "warning" in stderr
    for kind in KINDS:
        reader = PdfReader(folder / f"{kind}-en.pdf")
        for page in reader.pages:
            assert "SAMPLE – NOT FOR PATIENT USE" in " ".join(page.extract_text().split()).upper()


def test_paper_size_follows_profile_then_option(clinic_profile: Path) -> None:
    folder = clinic_profile.parent
    letter = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "l.pdf", cwd=folder)
    a4 = run_handouts(
        "render", "tapering", "--clinic", "clinic.toml", "--paper", "A4", "-o", "a.pdf", cwd=folder
    )
    assert letter.code == 0 and a4.code == 0
    letter_box = PdfReader(folder / "l.pdf").pages[0].mediabox
    a4_box = PdfReader(folder / "a.pdf").pages[0].mediabox
    assert (round(letter_box.width), round(letter_box.height)) == (612, 792)
    assert (round(a4_box.width), round(a4_box.height)) == (595, 842)


def test_output_to_standard_output_is_one_whole_pdf(clinic_profile: Path) -> None:
    result = run_handouts(
        "render", "warning-signs", "--clinic", str(clinic_profile), "-o", "-", cwd=clinic_profile.parent
    )
    assert result.code == 0, result.stderr
    assert result.stdout.startswith(b"%PDF-")
    assert "Emergency" in pdf_text(result.stdout)


def test_default_output_name_and_profile_from_environment(clinic_profile: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    result = run_handouts("render", "treatment", cwd=work, env={"HANDOUTS_CLINIC": str(clinic_profile)})
    assert result.code == 0, result.stderr
    assert "Riverside Spasticity Clinic" in pdf_text(work / "treatment-en.pdf")
    assert "handouts: warning" not in result.stderr


def test_html_in_profile_fields_is_printed_as_text(clinic_dir: Path) -> None:
    profile = clinic_dir / "clinic.toml"
    profile.write_text(
        GOOD_PROFILE.replace(
            'name = "Riverside Spasticity Clinic"',
            "name = \"<b>Bold</b> & <img src='http://127.0.0.1:9/x.png'> {{ 7*7 }}\"",
        ),
        encoding="utf-8",
    )
    result = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir)
    assert result.code == 0, result.stderr
    text = pdf_text(clinic_dir / "t.pdf")
    assert "<b>Bold</b> & <img src='http://127.0.0.1:9/x.png'> {{ 7*7 }}" in text
    assert "49" not in text


def test_character_no_font_has_is_refused_naming_the_field(clinic_dir: Path) -> None:
    profile = clinic_dir / "clinic.toml"
    profile.write_text(
        GOOD_PROFILE.replace("Riverside Spasticity Clinic", "Riverside \U0001f600 Clinic"), encoding="utf-8"
    )
    result = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir)
    assert result.code == 1
    assert len(result.stderr_lines) == 1
    assert "'name'" in result.stderr and "U+1F600" in result.stderr
    assert not (clinic_dir / "t.pdf").exists()


def test_pdf_is_readable_by_pypdf_from_memory(rendered: Path) -> None:
    data = (rendered / "tapering-en.pdf").read_bytes()
    assert PdfReader(io.BytesIO(data)).pages
