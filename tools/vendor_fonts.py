"""Refresh the fonts bundled in handouts/fonts/ from their registry packages.

Run by a maintainer, never at install or render time: the wheel carries the
resulting files so that a clinic's machine needs no font packages and every
render embeds exactly the same glyphs (reproducible PDFs).

    pip install fontpkg-atkinson-hyperlegible fontpkg-noto-sans fontpkg-noto-sans-arabic \
        fontpkg-noto-sans-devanagari fonttools babel uharfbuzz
    apt-get install fonts-noto-cjk      # Debian's package of Noto Sans CJK
    python tools/vendor_fonts.py        # or only some: python tools/vendor_fonts.py NotoSansCJKTC

Noto Sans CJK is about 20 MB a weight, so it is cut down to what a clinic
writes: every character of GB 2312 (6,763 hanzi, the set nearly every name
and text uses) for Simplified Chinese; every Hangul syllable for Korean; JIS X
0208 (6,355 kanji, kana and the symbols Japanese text uses) for Japanese, in the
JP face so that shared characters take their Japanese shapes; Big5 level 1
(5,401 common characters) for Traditional Chinese. Each gets punctuation,
digits and Latin letters; Japanese and Traditional Chinese also get every
character their catalog uses, so a translation never needs a rarer one that
is missing (rerun this tool when such a catalog changes; Hindi's too, whose
words tools/devanagari_clusters.py shapes). Anything outside
those sets is refused by the no-tofu check with a clear message, never printed
as a box.
"""

from __future__ import annotations

import shutil
import sys
from importlib import resources
from pathlib import Path

from arabic_composites import add_letter_composites
from babel.messages.pofile import read_po
from devanagari_clusters import add_cluster_composites
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont
from fontTools.varLib import instancer
from plain_zero import plain_zero

DEST = Path(__file__).resolve().parent.parent / "handouts" / "fonts"
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
CJK_FACE_INDEX = {"JP": 0, "KR": 1, "SC": 2, "TC": 3}  # faces inside Debian's NotoSansCJK-*.ttc
LOCALES = Path(__file__).resolve().parent.parent / "locales"

# (registry package, file in it, file written here, variable-axis pins or None)
PYPI_FONTS = [
    (
        "fontpkg_atkinson_hyperlegible",
        "AtkinsonHyperlegible-Regular.ttf",
        "AtkinsonHyperlegible-Regular.ttf",
        None,
    ),
    ("fontpkg_atkinson_hyperlegible", "AtkinsonHyperlegible-Bold.ttf", "AtkinsonHyperlegible-Bold.ttf", None),
    (
        "fontpkg_atkinson_hyperlegible",
        "AtkinsonHyperlegible-Italic.ttf",
        "AtkinsonHyperlegible-Italic.ttf",
        None,
    ),
    # Static instances: smaller to embed and independent of variable-font
    # support in the PDF pipeline.
    ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf", "NotoSans-Regular.ttf", {"wght": 400, "wdth": 100}),
    ("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf", "NotoSans-Bold.ttf", {"wght": 700, "wdth": 100}),
    (
        "fontpkg_noto_sans_arabic",
        "NotoSansArabic[wdth,wght].ttf",
        "NotoSansArabic-Regular.ttf",
        {"wght": 400, "wdth": 100},
    ),
    (
        "fontpkg_noto_sans_arabic",
        "NotoSansArabic[wdth,wght].ttf",
        "NotoSansArabic-Bold.ttf",
        {"wght": 700, "wdth": 100},
    ),
    (
        "fontpkg_noto_sans_devanagari",
        "NotoSansDevanagari[wdth,wght].ttf",
        "NotoSansDevanagari-Regular.ttf",
        {"wght": 400, "wdth": 100},
    ),
    (
        "fontpkg_noto_sans_devanagari",
        "NotoSansDevanagari[wdth,wght].ttf",
        "NotoSansDevanagari-Bold.ttf",
        {"wght": 700, "wdth": 100},
    ),
]


def _common_characters() -> set[int]:
    ascii_and_latin1 = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100))
    punctuation = set(range(0x2010, 0x2028)) | set(range(0x3000, 0x3040)) | set(range(0xFF01, 0xFF5F))
    return ascii_and_latin1 | punctuation | {0x00B7, 0x2022, 0x2026, 0x203B}


def _gb2312_hanzi() -> set[int]:
    found = set()
    for code in range(0x4E00, 0xA000):
        try:
            chr(code).encode("gb2312")
        except UnicodeEncodeError:
            continue
        found.add(code)
    return found


def _hangul() -> set[int]:
    return set(range(0xAC00, 0xD7A4)) | set(range(0x1100, 0x1200)) | set(range(0x3130, 0x3190))


def _jis_x_0208() -> set[int]:
    """Every character of JIS X 0208: the 6,355 kanji of levels 1 and 2, kana,
    and the symbols Japanese text uses (○ ※ 〒). Shift_JIS encodes exactly
    that set in two bytes; its one-byte half is ASCII and half-width kana."""
    found = set()
    for code in range(0x10000):
        try:
            if len(chr(code).encode("shift_jis")) == 2:
                found.add(code)
        except UnicodeEncodeError:
            continue
    # All kana, small ones for Ainu too (ㇰ), and half-width katakana.
    kana = set(range(0x3040, 0x3100)) | set(range(0x31F0, 0x3200)) | set(range(0xFF61, 0xFFA0))
    return found | kana | _catalog_characters("ja")


def _big5_level_1() -> set[int]:
    """Big5's common characters (0xA440-0xC67E, 5,401 hanzi) and its symbol rows
    (0xA140-0xA3FE: punctuation, Bopomofo), then the zh-Hant catalog's."""
    found = set()
    for lead in range(0xA1, 0xC7):
        for trail in (*range(0x40, 0x7F), *range(0xA1, 0xFF)):
            code = lead << 8 | trail
            if 0xA3FE < code < 0xA440 or code > 0xC67E:
                continue
            try:
                found.add(ord(bytes([lead, trail]).decode("big5")))
            except UnicodeDecodeError:
                continue
    return found | _catalog_characters("zh-Hant")


def _catalog_characters(tag: str) -> set[int]:
    """Every character a language's catalog (and its draft, if any) prints."""
    return {ord(char) for text in _catalog_texts(tag) for char in text if char.isprintable()}


def _catalog_texts(tag: str) -> list[str]:
    """Every translation in a language's catalog."""
    found: list[str] = []
    for folder in (LOCALES,):
        path = folder / tag / "LC_MESSAGES" / "messages.po"
        if not path.exists():
            continue
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if not message.id:  # the header
                continue
            strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
            found += [text for text in strings if text]
    return found


CJK_SETS = {"SC": _gb2312_hanzi, "KR": _hangul, "JP": _jis_x_0208, "TC": _big5_level_1}


def vendor_pypi_fonts(only: list[str]) -> None:
    for package, source_name, target_name, pins in PYPI_FONTS:
        if not _wanted(target_name, only):
            continue
        source = resources.files(package) / "files" / source_name
        target = DEST / target_name
        with resources.as_file(source) as path:
            if package == "fontpkg_atkinson_hyperlegible":
                # Its default 0 is slashed, which ISMP lists as error-prone; the font's own date is kept.
                font = TTFont(path, recalcTimestamp=False)
                plain_zero(font)
                font.save(target)
            elif pins is None:
                shutil.copyfile(path, target)
            else:
                font = instancer.instantiateVariableFont(TTFont(path), pins)
                if package == "fontpkg_noto_sans_arabic":
                    # One glyph per dotted letter form, so a PDF's text is the letters printed.
                    add_letter_composites(font)
                if package == "fontpkg_noto_sans_devanagari":
                    # One glyph per reordered syllable (कि, र्म), so a PDF's text is in the order read.
                    add_cluster_composites(font, _catalog_texts("hi"))
                if package == "fontpkg_noto_sans":
                    _drop_devanagari(font)
                font.save(target)
        licence = resources.files(package) / "LICENSE"
        (DEST / f"LICENSE-{package.removeprefix('fontpkg_')}.txt").write_bytes(licence.read_bytes())
        print(f"{target_name}: from {package}")


def _drop_devanagari(font: TTFont) -> None:
    """Noto Sans also draws Devanagari, and comes before Noto Sans Devanagari in
    every font stack, so a Hindi name on an English page took its glyphs, which
    lack the syllable composites (the text read back out of order). Without
    them, Noto Sans Devanagari draws every Devanagari letter."""
    devanagari = {*range(0x0900, 0x0980), *range(0xA8E0, 0xA900), *range(0x1CD0, 0x1D00)}
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = True
    options.legacy_kern = True
    options.notdef_outline = True
    options.prune_unicode_ranges = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=set(font.getBestCmap()) - devanagari)
    subsetter.subset(font)


def _wanted(target_name: str, only: list[str]) -> bool:
    return not only or target_name.startswith(tuple(only))


def vendor_cjk_fonts(only: list[str]) -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep vertical forms, locale forms, kerning
    options.name_IDs = ["*"]
    options.notdef_outline = True
    for weight in ("Regular", "Bold"):
        collection = TTCollection(NOTO_CJK / f"NotoSansCJK-{weight}.ttc")
        for region, index in CJK_FACE_INDEX.items():
            if not _wanted(f"NotoSansCJK{region}-{weight}-subset.otf", only):
                continue
            font = collection.fonts[index]
            subsetter = subset.Subsetter(options)
            subsetter.populate(unicodes=_common_characters() | CJK_SETS[region]())
            subsetter.subset(font)
            target = DEST / f"NotoSansCJK{region}-{weight}-subset.otf"
            font.save(target)
            print(f"{target.name}: {target.stat().st_size // 1024} KiB from Debian fonts-noto-cjk")
    licence = Path("/usr/share/doc/fonts-noto-cjk/copyright")
    if licence.exists():
        (DEST / "LICENSE-noto_sans_cjk.txt").write_text(licence.read_text())


def main(only: list[str]) -> None:
    """Every font, or only those whose file names start with one of `only`
    (`python tools/vendor_fonts.py NotoSansCJKTC` after the zh-Hant catalog changed)."""
    DEST.mkdir(parents=True, exist_ok=True)
    vendor_pypi_fonts(only)
    vendor_cjk_fonts(only)


if __name__ == "__main__":
    main(sys.argv[1:])
