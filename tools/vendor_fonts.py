"""Refresh the fonts bundled in handouts/fonts/ from their registry packages.

Run by a maintainer, never at install or render time: the wheel carries the
resulting files so that a clinic's machine needs no font packages and every
render embeds exactly the same glyphs (reproducible PDFs).

    pip install fontpkg-atkinson-hyperlegible fontpkg-noto-sans fontpkg-noto-sans-arabic
    apt-get install fonts-noto-cjk      # Debian's package of Noto Sans CJK
    python tools/vendor_fonts.py

Noto Sans CJK is about 20 MB a weight, so it is cut down to what a clinic in
mainland China or Korea writes: every character of GB 2312 (6,763 hanzi, the
set nearly every name and text uses) for Chinese, and every Hangul syllable for
Korean, with punctuation, digits and Latin letters. Anything outside those sets
is refused by the no-tofu check with a clear message, never printed as a box.
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from arabic_composites import add_letter_composites
from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont
from fontTools.varLib import instancer
from plain_zero import plain_zero

DEST = Path(__file__).resolve().parent.parent / "handouts" / "fonts"
NOTO_CJK = Path("/usr/share/fonts/opentype/noto")
CJK_FACE_INDEX = {"KR": 1, "SC": 2}  # faces inside Debian's NotoSansCJK-*.ttc

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


CJK_SETS = {"SC": _gb2312_hanzi, "KR": _hangul}


def vendor_pypi_fonts() -> None:
    for package, source_name, target_name, pins in PYPI_FONTS:
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
                font.save(target)
        licence = resources.files(package) / "LICENSE"
        (DEST / f"LICENSE-{package.removeprefix('fontpkg_')}.txt").write_bytes(licence.read_bytes())
        print(f"{target_name}: from {package}")


def vendor_cjk_fonts() -> None:
    options = subset.Options()
    options.layout_features = ["*"]  # keep vertical forms, locale forms, kerning
    options.name_IDs = ["*"]
    options.notdef_outline = True
    for weight in ("Regular", "Bold"):
        collection = TTCollection(NOTO_CJK / f"NotoSansCJK-{weight}.ttc")
        for region, index in CJK_FACE_INDEX.items():
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


def main() -> None:
    DEST.mkdir(parents=True, exist_ok=True)
    vendor_pypi_fonts()
    vendor_cjk_fonts()


if __name__ == "__main__":
    main()
