"""Issue 16's languages: German, Italian, Polish, Hindi, Japanese and Traditional
Chinese, read back from the PDFs as a reader gets them (pypdf and pdftotext).

Until the translators' catalogs land, a page in these languages is a
preview: the English text in the language's fonts, its dates and numbers
from CLDR. Script text comes from a translator's catalog made here with a
few translated messages (`--catalog`), or from the patient's and clinic's
own fields, which need no catalog.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from decimal import Decimal
from html import unescape
from itertools import pairwise
from pathlib import Path

import pikepdf
import pytest
from babel.messages.pofile import read_po, write_po
from conftest import GOOD_PROFILE, NEW_LANGUAGES, discharge, pdf_fonts, pdf_text, run_handouts, with_catalogs

from handouts.catalogs import catalog_path
from handouts.doses import format_dose
from handouts.localization import LANGUAGES, paper_for_territory, resolve_language

HINDI = "दवा की मात्रा धीरे-धीरे कम करें। चिह्न और संकेतों में लक्षण देखें: क्षमा, त्रिकोण, विद्या, धर्म, किताब, स्त्री, दोनों।"
JAPANESE = (
    "バクロフェンを急にやめないでください。ちょっと気分が悪いときは、クリニックに電話してください。"
    "「一度にやめる」と、けいれんが起こることがあります。ショック、ジュース、キャップ、メール。"
)
# Characters a Japanese line must not start with (kinsoku): closing marks,
# the prolonged sound mark and small kana.
NO_LINE_START = set("。、」』）・：；！？ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
A4, LETTER = (595, 842), (612, 792)


def translators_catalog(folder: Path, tag: str, texts: dict[str, str]) -> Path:
    """The bundled catalog with some messages translated, as a translator hands it in."""
    with catalog_path(tag).open("rb") as handle:
        catalog = read_po(handle)
    for message_id, text in texts.items():
        catalog[message_id].string = text
    path = folder / f"{tag}.po"
    with path.open("wb") as handle:
        write_po(handle, catalog)
    return path


def pdftotext(path: Path, *options: str) -> str:
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True, check=True, text=True).stdout


def page_size(path: Path) -> tuple[int, int]:
    with pikepdf.open(path) as pdf:
        width, height = (round(float(value)) for value in pdf.pages[0].MediaBox[2:])
    return width, height


def squash(text: str) -> str:
    return "".join(text.split())


# --- which language a tag asks for ---------------------------------------------


@pytest.mark.parametrize("tag", ["zh-TW", "zh-HK", "zh-Hant-TW", "zh-Hant"])
def test_traditional_chinese_tags_print_traditional_chinese(clinic_dir: Path, tag: str) -> None:
    result = run_handouts(
        "render", "tapering", "--lang", tag, "--preview-incomplete", "--clinic", "clinic.toml", "-o", "t.pdf",
        cwd=clinic_dir,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    with pikepdf.open(clinic_dir / "t.pdf") as pdf:
        assert str(pdf.Root.Lang) == "zh-Hant"
    fonts = pdf_fonts(clinic_dir / "t.pdf")
    assert any("Noto-Sans-CJK-TC" in name for name in fonts) and not any("CJK-SC" in name for name in fonts)


@pytest.mark.parametrize("tag", ["zh-CN", "zh", "zh-Hans", "zh-SG"])
def test_simplified_chinese_tags_stay_simplified(tag: str) -> None:
    assert resolve_language(tag).tag == "zh-Hans"


def test_handouts_languages_lists_all_sixteen_with_their_review_status(tmp_path: Path) -> None:
    result = run_handouts("languages", cwd=tmp_path)
    assert result.code == 0, result.stderr
    rows = [line.split() for line in result.stdout.decode().splitlines()[1:]]
    assert [row[0] for row in rows] == list(LANGUAGES) and len(rows) == 17  # English and sixteen translations
    for row in rows[1:]:
        assert "draft" in row, row  # no translation is reviewed yet
    for tag in NEW_LANGUAGES:
        row = next(row for row in rows if row[0] == tag)
        assert LANGUAGES[tag].native_name.split()[0] in row


def test_every_catalog_says_it_is_a_draft() -> None:
    for tag in NEW_LANGUAGES:
        header = catalog_path(tag).read_text(encoding="utf-8").split("\n\n", 1)[0]
        assert '"X-Review-Status: draft\\n"' in header, tag


# --- numbers, dates and paper ----------------------------------------------------


@pytest.mark.parametrize("tag", ["de", "pl", "it"])
def test_doses_are_written_with_a_decimal_comma(tag: str) -> None:
    assert format_dose(Decimal("2.5"), "mg", LANGUAGES[tag]) == "2,5\u00a0mg"
    assert format_dose(Decimal("1.6"), "mL", LANGUAGES[tag]) == "1,6\u00a0mL"


@pytest.mark.parametrize("tag", ["de", "pl"])
def test_a_german_or_polish_sheet_prints_decimal_commas(ward: Path, tag: str) -> None:
    # 30 mg a day in 3 doses, then 25: a 7.5 mg dose at one time of day.
    result = discharge(ward, "--patient", "patient.toml", "--lang", tag, "--preview-incomplete", "-o", "s.pdf")
    assert result.code == 0, result.stderr
    text = pdf_text(ward / "s.pdf")
    assert "7,5 mg" in text.replace("\u00a0", " ") and "7.5 mg" not in text
    months = {"de": "Dezember 2026", "pl": "grudnia 2026"}
    assert months[tag] in text


@pytest.mark.parametrize("territory", ["DE", "AT", "CH", "IT", "PL", "IN", "JP", "TW", "HK"])
def test_the_new_languages_territories_print_on_a4(territory: str) -> None:
    assert paper_for_territory(territory) == "a4"


@pytest.mark.parametrize(("country", "tag", "size"), [("JP", "ja", A4), ("DE", "de", A4), ("US", "de", LETTER), ("PR", "hi", LETTER), ("TW", "zh-TW", A4)])  # fmt: skip
def test_paper_follows_the_clinics_territory_not_the_language(
    clinic_dir: Path, country: str, tag: str, size: tuple[int, int]
) -> None:
    profile = GOOD_PROFILE.replace('paper = "letter"', f'language = "{tag}"')
    profile = profile.replace('website = "riverside.example.org"', f'website = "x.example.org"\ncountry = "{country}"')
    (clinic_dir / "clinic.toml").write_text(profile, encoding="utf-8")
    result = run_handouts(
        "render", "treatment", "--preview-incomplete", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir
    )
    assert result.code == 0, result.stderr
    assert page_size(clinic_dir / "t.pdf") == size


# --- fonts: the right face, and every character back out -------------------------


def test_a_hindi_name_on_an_english_sheet_prints_in_devanagari(ward: Path) -> None:
    name = "प्रिया शर्मा"
    patient = (ward / "patient.toml").read_text(encoding="utf-8").replace("María José Núñez", name)
    (ward / "patient.toml").write_text(patient, encoding="utf-8")
    result = discharge(ward, "--patient", "patient.toml", "--lang", "en", "-o", "s.pdf")
    assert result.code == 0, result.stderr
    fonts = pdf_fonts(ward / "s.pdf")
    assert any("Noto-Sans-Devanagari" in font for font in fonts) and all(fonts.values()), fonts
    assert name in pdf_text(ward / "s.pdf")
    assert name in pdftotext(ward / "s.pdf")


@pytest.mark.parametrize(("tag", "face", "other"), [("ja", "Noto-Sans-CJK-JP", "CJK-SC"), ("zh-Hant", "Noto-Sans-CJK-TC", "CJK-SC")])  # fmt: skip
def test_japanese_and_traditional_chinese_pages_embed_their_own_face(
    clinic_dir: Path, tag: str, face: str, other: str
) -> None:
    # 直 and 骨 are drawn differently in Japan, Taiwan and mainland China.
    profile = GOOD_PROFILE.replace("Riverside Spasticity Clinic", "直骨 Clinic")
    (clinic_dir / "clinic.toml").write_text(profile, encoding="utf-8")
    result = run_handouts(
        "render", "warning-signs", "--lang", tag, "--preview-incomplete", "--clinic", "clinic.toml", "-o", "t.pdf",
        cwd=clinic_dir,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    fonts = pdf_fonts(clinic_dir / "t.pdf")
    assert any(face in font for font in fonts) and all(fonts.values()), fonts
    assert not any(other in font for font in fonts), fonts
    assert "直骨 Clinic" in pdf_text(clinic_dir / "t.pdf")


@pytest.mark.parametrize(("tag", "text"), [("hi", HINDI), ("ja", JAPANESE)])
def test_hindi_and_japanese_pages_read_back_as_written(clinic_dir: Path, tag: str, text: str) -> None:
    catalog = translators_catalog(clinic_dir, tag, {"Key points": text, "Who to call": text})
    result = run_handouts(
        "render", "tapering", "--catalog", catalog.name, "--preview-incomplete", "--clinic", "clinic.toml",
        "-o", "t.pdf", cwd=clinic_dir,
    )  # fmt: skip
    assert result.code == 0, result.stderr
    path = clinic_dir / "t.pdf"
    for reader, extracted in (("pypdf", pdf_text(path)), ("pdftotext", pdftotext(path))):
        # Lines wrap where the page does; every word, conjunct and vowel sign is there, in order.
        assert squash(text) in squash(extracted), (reader, extracted[:400])


def test_hindi_conjuncts_and_vowel_signs_are_joined_glyphs(clinic_dir: Path) -> None:
    """The syllables are drawn as the font joins them: one glyph per conjunct
    (क्ष, त्र, ह्न) and per syllable with ि, not letters side by side."""
    catalog = translators_catalog(clinic_dir, "hi", {"Key points": HINDI})
    run_handouts(
        "render", "tapering", "--catalog", catalog.name, "--preview-incomplete", "--clinic", "clinic.toml",
        "-o", "t.pdf", cwd=clinic_dir,
    )  # fmt: skip
    glyph_texts = _glyph_texts(clinic_dir / "t.pdf", "Devanagari")
    for syllable in ("क्ष", "त्र", "ह्न", "कि", "त्रि", "र्म", "वि", "ों", "ें"):
        assert syllable in glyph_texts, (syllable, sorted(glyph_texts)[:40])


def _glyph_texts(path: Path, family: str) -> set[str]:
    """The text each embedded glyph of a font stands for (its ToUnicode map)."""
    texts: set[str] = set()
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            for font in page.obj.Resources.Font.values():
                if family in str(font.BaseFont) and "/ToUnicode" in font:
                    cmap = font.ToUnicode.read_bytes().decode("latin-1")
                    for hexes in re.findall(r"<[0-9A-Fa-f]+>\s*<([0-9A-Fa-f]+)>", cmap):
                        texts.add(bytes.fromhex(hexes).decode("utf-16-be"))
    return texts


# --- line breaking -----------------------------------------------------------------


@pytest.mark.parametrize("kind", ["tapering", "warning-signs", "treatment"])
def test_korean_lines_break_between_words(clinic_dir: Path, kind: str) -> None:
    result = run_handouts("render", kind, "--lang", "ko", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir)
    assert result.code == 0, result.stderr
    words = set(_korean_page_words(kind, clinic_dir))
    lines = [line.split() for line in pdftotext(clinic_dir / "t.pdf").splitlines() if line.strip()]
    # Each word a line starts or ends with is a whole word of the text ("부탁하세|요." would not be).
    ends = [word for line in lines for word in (line[0], line[-1]) if re.search("[\uac00-\ud7a3]", word)]
    assert len(ends) > 20
    for word in ends:
        assert word in words or re.fullmatch(r"\d+쪽", word), word  # "1 / 3쪽": the page counter


def _korean_page_words(kind: str, clinic_dir: Path) -> list[str]:
    """The page's words: inline markup (a bold word, a phone number) joins its
    neighbours, every other tag separates them."""
    from handouts.clinic import load_clinic_profile
    from handouts.page import PageOptions
    from handouts.rendering import Renderer

    clinic = load_clinic_profile(clinic_dir / "clinic.toml")
    html = Renderer().handout_html(kind, clinic, PageOptions(LANGUAGES["ko"]))
    html = re.sub(r"<(style|title)\b.*?</\1>", " ", html, flags=re.S)
    html = re.sub(r"</?(strong|span|b|em|a|bdi)\b[^>]*>", "", html)
    text = unescape(re.sub(r"<[^>]*>", " ", html))
    return text.split()


def test_a_korean_word_longer_than_its_line_still_breaks(clinic_dir: Path) -> None:
    long_name = "가나다라마바사아자차카타파하" * 6  # no space: one word wider than the page
    profile = GOOD_PROFILE.replace("Riverside Spasticity Clinic", long_name)
    (clinic_dir / "clinic.toml").write_text(profile, encoding="utf-8")
    result = run_handouts("render", "tapering", "--lang", "ko", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir)
    assert result.code == 0, result.stderr
    text = pdftotext(clinic_dir / "t.pdf", "-f", "1", "-l", "1")
    pieces = [line.strip() for line in text.splitlines() if line.strip() and line.strip() in long_name]
    assert len(pieces) >= 2 and "".join(pieces[:2]) in long_name  # wrapped, not cut off at the edge
    assert squash(text).count(long_name) >= 1


def test_japanese_lines_keep_kinsoku(clinic_dir: Path) -> None:
    """No line starts with 。、」ー or a small kana: Pango applies the rule itself."""
    long_text = JAPANESE * 3
    catalog = translators_catalog(clinic_dir, "ja", {"Key points": long_text, "Who to call": long_text})
    for paper in ("letter", "a4"):
        result = run_handouts(
            "render", "tapering", "--catalog", catalog.name, "--preview-incomplete", "--paper", paper,
            "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir,
        )  # fmt: skip
        assert result.code == 0, result.stderr
        lines = [line.strip() for line in pdftotext(clinic_dir / "t.pdf").splitlines() if line.strip()]
        japanese = [line for line in lines if re.search("[\u3040-\u30ff]", line)]
        assert len(japanese) > 6
        for before, line in pairwise(japanese):
            assert line[0] not in NO_LINE_START, (before, line)


# --- complete catalogs (skipped while placeholders) ---------------------------------


@pytest.mark.parametrize("tag", with_catalogs(list(NEW_LANGUAGES)))
def test_a_new_language_renders_every_handout_for_patients(clinic_dir: Path, tag: str) -> None:
    result = run_handouts("render", "all", "--lang", tag, "--clinic", "clinic.toml", "-o", "out", cwd=clinic_dir)
    assert result.code == 0, result.stderr
    assert len(list((clinic_dir / "out").glob("*.pdf"))) == 3


@pytest.mark.parametrize("tag", ["hi", "zh-Hant"])
def test_hindi_and_traditional_chinese_doses_print_the_labels_units(tag: str) -> None:
    """CLDR's Hindi "मि॰ग्रा॰" and "मि॰ ली॰" begin alike; the zh-Hant catalog writes mL, as US labels do."""
    assert format_dose(Decimal("2.5"), "mg", LANGUAGES[tag]) == "2.5\u00a0mg"
    assert format_dose(Decimal("1250"), "mL", LANGUAGES[tag]) == "1,250\u00a0mL"
