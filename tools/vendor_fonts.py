"""Refresh the fonts bundled in handouts/fonts/ from their registry packages.

Run by a maintainer, never at install or render time: the wheel carries the
resulting files so that a clinic's machine needs no font packages and every
render embeds exactly the same glyphs (reproducible PDFs).

    pip install fontpkg-atkinson-hyperlegible fontpkg-noto-sans
    python tools/vendor_fonts.py
"""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.varLib import instancer

DEST = Path(__file__).resolve().parent.parent / "handouts" / "fonts"

# (registry package, file in it, file written here, variable-axis pins or None)
FONTS = [
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
]


def main() -> None:
    DEST.mkdir(parents=True, exist_ok=True)
    for package, source_name, target_name, pins in FONTS:
        source = resources.files(package) / "files" / source_name
        target = DEST / target_name
        with resources.as_file(source) as path:
            if pins is None:
                shutil.copyfile(path, target)
            else:
                font = instancer.instantiateVariableFont(TTFont(path), pins)
                font.save(target)
        licence = resources.files(package) / "LICENSE"
        (DEST / f"LICENSE-{package.removeprefix('fontpkg_')}.txt").write_bytes(licence.read_bytes())
        print(f"{target_name}: from {package}")


if __name__ == "__main__":
    main()
