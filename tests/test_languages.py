"""Every handout in every shipped language, read back from the PDF (or, for
Arabic, whose extracted text comes out in visual order, from the HTML)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pikepdf
import pytest
from conftest import (
    GOOD_PROFILE,
    PNG_1PX,
    assert_accessible,
    offered,
    pdf_fonts,
    pdf_pages,
    pdf_text,
    run_handouts,
    with_catalogs,
)

from handouts.catalogs import load_catalog
from handouts.clinic import load_clinic_profile
from handouts.content import load_content
from handouts.localization import LANGUAGES, LETTER_TERRITORIES, format_date, resolve_language
from handouts.page import PageOptions
from handouts.rendering import Renderer

KINDS = list(load_content().handouts)
TRANSLATED = [tag for tag in LANGUAGES if tag != "en"]
# The draft notice: one calm line for the patient (translated), one for staff in English.
DRAFT_PATIENT = "This translation has not yet been checked by a medical translator. Ask your nurse to go over it with you."
DRAFT_EN = "For staff: draft translation, not yet reviewed by a qualified medical translator. Go over it with the patient."
# Sentences that must never show through untranslated on another language's page.
ENGLISH_SENTENCES = [
    "Key points",
    "Who to call",
    "Do not stop taking baclofen all at once",
    "Call the clinic today",
    "What usually happens, and when",
]
FONT_FOR_SCRIPT = {
    "Hans": "Noto-Sans-CJK-SC",
    "Kore": "Noto-Sans-CJK-KR",
    "Arab": "Noto-Sans-Arabic",
    "Deva": "Noto-Sans-Devanagari",
    "Jpan": "Noto-Sans-CJK-JP",
    "Hant": "Noto-Sans-CJK-TC",
}


def _squash(text: str) -> str:
    """Text without any spacing: PDF extraction spaces CJK and NBSPs its own way."""
    return unicodedata.normalize("NFC", "".join(text.split()))


def _(tag: str, message: str, context: str | None = None) -> str:
    translations, _status = load_catalog(tag)
    return translations.pgettext(context, message) if context else translations.gettext(message)


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("languages")
    (root / "clinic.toml").write_text(GOOD_PROFILE, encoding="utf-8")
    (root / "logo.png").write_bytes(PNG_1PX)
    for tag in offered():
        result = run_handouts(
            "render", "all", "--clinic", "clinic.toml", "--lang", tag, "-o", "out", cwd=root
        )
        assert result.code == 0, (tag, result.stderr)
    return root / "out"


@pytest.mark.parametrize("tag", with_catalogs(TRANSLATED))
def test_every_catalog_is_complete_and_a_draft(tag: str) -> None:
    _translations, status = load_catalog(tag)
    assert status.complete, (status.missing[:3], status.errors[:3])
    assert status.review == "draft"  # only a qualified reviewer may change this


@pytest.mark.parametrize("tag", with_catalogs(list(LANGUAGES)))
def test_pdf_language_title_and_fonts(rendered: Path, tag: str) -> None:
    language = LANGUAGES[tag]
    for kind in KINDS:
        path = rendered / f"{kind}-{tag}.pdf"
        with pikepdf.open(path) as pdf:
            assert str(pdf.Root.Lang) == tag
            assert str(pdf.docinfo["/Title"]) == _(tag, load_content().handouts[kind].title)
        fonts = pdf_fonts(path)
        assert fonts and all(fonts.values()), fonts
        if language.script in FONT_FOR_SCRIPT:
            assert any(FONT_FOR_SCRIPT[language.script] in name for name in fonts), fonts


@pytest.mark.parametrize("tag", with_catalogs([tag for tag in TRANSLATED if LANGUAGES[tag].direction == "ltr"]))
def test_page_text_is_in_the_language_with_its_date_and_draft_notice(rendered: Path, tag: str) -> None:
    language = LANGUAGES[tag]
    translations, _status = load_catalog(tag)
    reviewed = format_date(load_content().reviewed, language, translations)
    for kind in KINDS:
        text = pdf_text(rendered / f"{kind}-{tag}.pdf")
        compact = _squash(text)
        assert _squash(_(tag, load_content().handouts[kind].title)) in compact
        assert _squash(_(tag, "Key points")) in compact
        assert _squash(reviewed) in compact
        assert _squash(_(tag, DRAFT_PATIENT)) in compact and _squash(DRAFT_EN) in compact
        assert "(312) 555-0142" in text and "911" in text
        for sentence in ENGLISH_SENTENCES:
            assert sentence not in text, (tag, kind, sentence)


def test_arabic_is_right_to_left_with_its_own_words(clinic_profile: Path) -> None:
    renderer = Renderer()
    clinic = load_clinic_profile(clinic_profile)
    arabic = LANGUAGES["ar"]
    translations, _status = load_catalog("ar")
    for kind in KINDS:
        html = renderer.handout_html(kind, clinic, PageOptions(arabic))
        assert '<html lang="ar" dir="rtl">' in html
        assert _("ar", load_content().handouts[kind].title) in html
        assert _("ar", "Key points") in html
        assert format_date(load_content().reviewed, arabic, translations) in html
        # Phone numbers keep reading left to right inside the right-to-left page.
        assert '<span class="phone" dir="ltr">(312) 555-0142</span>' in html
        for sentence in ENGLISH_SENTENCES:
            assert sentence not in html
        assert DRAFT_EN in html and _("ar", DRAFT_PATIENT) in html


def test_with_english_appends_the_english_handout(clinic_profile: Path, rendered: Path) -> None:
    folder = clinic_profile.parent
    result = run_handouts(
        "render",
        "tapering",
        "--lang",
        "es",
        "--with-english",
        "--clinic",
        "clinic.toml",
        "-o",
        "both.pdf",
        cwd=folder,
    )
    assert result.code == 0, result.stderr
    both = folder / "both.pdf"
    assert pdf_pages(both) == pdf_pages(rendered / "tapering-es.pdf") + pdf_pages(
        rendered / "tapering-en.pdf"
    )
    text = pdf_text(both)
    assert text.index(_("es", "Key points")) < text.index("Key points")
    assert_accessible(both, "es")
    with pikepdf.open(both) as pdf:
        # The English pages are marked English, so a screen reader switches voice.
        assert [str(part.Lang) for part in pdf.Root.StructTreeRoot.K] == ["es", "en"]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("es-MX", "es"),
        ("zh-CN", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("pt-BR", "pt"),
        ("fil", "tl"),
        ("AR", "ar"),
        # Traditional Chinese by its script or by a region that writes it.
        ("zh-Hant", "zh-Hant"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh_TW", "zh-Hant"),
        ("de-AT", "de"),
        ("it-CH", "it"),
        ("pl-PL", "pl"),
        ("hi-IN", "hi"),
        ("ja-JP", "ja"),
    ],
)
def test_language_aliases(tag: str, expected: str) -> None:
    assert resolve_language(tag).tag == expected


@pytest.mark.parametrize("tag", ["th", "sw-KE", "klingon", "yue-Hant"])
def test_unknown_language_lists_the_available_ones(tmp_path: Path, tag: str) -> None:
    result = run_handouts("render", "tapering", "--lang", tag, "-o", "t.pdf", cwd=tmp_path)
    assert result.code == 2
    assert f"'{tag}'" in result.stderr and "es, zh-Hans" in result.stderr
    assert not (tmp_path / "t.pdf").exists()


def test_profile_language_and_country_pick_language_and_paper(clinic_dir: Path) -> None:
    profile = clinic_dir / "clinic.toml"
    profile.write_text(
        GOOD_PROFILE.replace('paper = "letter"', 'language = "fr"').replace(
            'website = "riverside.example.org"', 'website = "riverside.example.org"\ncountry = "FR"'
        ),
        encoding="utf-8",
    )
    result = run_handouts("render", "treatment", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir)
    assert result.code == 0, result.stderr
    with pikepdf.open(clinic_dir / "t.pdf") as pdf:
        assert str(pdf.Root.Lang) == "fr"
        width, height = (round(float(v)) for v in pdf.pages[0].MediaBox[2:])
    assert (width, height) == (595, 842)  # A4 for France


def test_letter_territories_match_cldr() -> None:
    # From CLDR's supplementalData.xml, <measurementData>; every other territory is A4.
    cldr = '<paperSize type="US-Letter" territories="BZ CA CL CO CR GT MX NI PA PH PR SV US VE" />'
    assert cldr.split('territories="')[1].split('"')[0].split() == sorted(LETTER_TERRITORIES)


def test_character_outside_every_bundled_font_is_refused(clinic_dir: Path) -> None:
    profile = clinic_dir / "clinic.toml"
    # Thai: no bundled font draws it, so it would print as empty boxes.
    profile.write_text(GOOD_PROFILE.replace("Riverside Spasticity Clinic", "서울 ก Clinic"), encoding="utf-8")
    result = run_handouts(
        "render", "tapering", "--lang", "ko", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir
    )
    assert result.code == 1 and len(result.stderr_lines) == 1
    assert "Korean" in result.stderr and "U+0E01" in result.stderr and "'name'" in result.stderr
    assert not (clinic_dir / "t.pdf").exists()


def test_names_in_other_bundled_scripts_print_on_any_page(clinic_dir: Path) -> None:
    profile = clinic_dir / "clinic.toml"
    profile.write_text(
        GOOD_PROFILE.replace("Riverside Spasticity Clinic", "عيادة النهر 河畔诊所 강변 नदी かわ"), encoding="utf-8"
    )
    result = run_handouts("render", "tapering", "--clinic", "clinic.toml", "-o", "t.pdf", cwd=clinic_dir)
    assert result.code == 0, result.stderr
    fonts = pdf_fonts(clinic_dir / "t.pdf")
    # Han characters on a page in neither Chinese nor Japanese take the first CJK face, SC.
    for family in (family for script, family in FONT_FOR_SCRIPT.items() if script != "Hant"):
        assert any(family in name for name in fonts), (family, fonts)
