"""No slashed zero in any font the tool ships (ISMP lists Ø as error-prone:
it is read as 4, 6, 8 or 9), checked in the font files and on the page."""

from __future__ import annotations

import subprocess

import pytest
from fontTools.pens.recordingPen import DecomposingRecordingPen
from fontTools.ttLib import TTFont
from PIL import Image

from handouts.clinic import load_sample_profile
from handouts.fonts import FONT_FACES, css_family
from handouts.localization import LANGUAGES
from handouts.page import PageOptions
from handouts.rendering import Renderer
from handouts.resources import asset_dir

# Zero, superscript and subscript zero, fullwidth zero.
ZEROS = (0x30, 0x2070, 0x2080, 0xFF10)


def _contour_count(font: TTFont, glyph: str) -> int:
    pen = DecomposingRecordingPen(font.getGlyphSet())
    font.getGlyphSet()[glyph].draw(pen)
    return sum(1 for operator, _args in pen.value if operator in ("closePath", "endPath"))


# Features that ask for a slashed zero or list every alternate; only a
# stylesheet could turn them on, and the test below shows ours never does.
SLASHING_FEATURES = {"zero", "aalt"}


def _substitutes(font: TTFont, glyphs: set[str]) -> set[str]:
    """The glyphs and every glyph a single or alternate substitution of any
    other feature (tnum, sups, frac, case...) can put in their place, repeatedly."""
    if "GSUB" not in font:
        return glyphs
    gsub = font["GSUB"].table
    used = {
        index
        for record in gsub.FeatureList.FeatureRecord
        if record.FeatureTag not in SLASHING_FEATURES
        for index in record.Feature.LookupListIndex
    }
    mappings: list[dict[str, list[str]]] = []
    for index in sorted(used):
        for table in gsub.LookupList.Lookup[index].SubTable:
            table = getattr(table, "ExtSubTable", table)
            if table.LookupType == 1:
                mappings.append({old: [new] for old, new in table.mapping.items()})
            elif table.LookupType == 3:
                mappings.append(dict(table.alternates))
    found = set(glyphs)
    while True:
        more = {new for mapping in mappings for old in found for new in mapping.get(old, [])} - found
        if not more:
            return found
        found |= more


@pytest.mark.parametrize("file", sorted({face.file for face in FONT_FACES}))
def test_every_zero_glyph_in_the_font_is_a_plain_ring(file: str) -> None:
    font = TTFont(asset_dir("fonts") / file)
    cmap = font.getBestCmap()
    zeros = _substitutes(font, {cmap[code] for code in ZEROS if code in cmap})
    assert cmap[0x30] in zeros
    # A plain zero is an outline and its counter; a slash adds a contour or splits the counter.
    assert {glyph: _contour_count(font, glyph) for glyph in zeros} == {glyph: 2 for glyph in zeros}


def test_no_stylesheet_turns_on_a_slashed_zero() -> None:
    for sheet in (asset_dir("templates") / "style").glob("*.css"):
        text = sheet.read_text(encoding="utf-8")
        assert "slashed-zero" not in text, sheet.name
        assert not any(f'"{feature}"' in text or f"'{feature}'" in text for feature in SLASHING_FEATURES)


@pytest.fixture(scope="module")
def zeros_page_images(tmp_path_factory: pytest.TempPathFactory) -> list[Image.Image]:
    """One page per bundled face showing a large "0", laid out by the tool's
    own renderer and stylesheets, then rasterised as a printer would."""
    renderer = Renderer()
    pages = "".join(
        f"<p style=\"font-family: '{css_family(face.family)}'; font-weight: {face.weight}; "
        f'font-style: {face.style}; font-size: 200pt; margin: 0; break-after: page">0</p>'
        for face in FONT_FACES
    )
    html = f'<html lang="en"><head><title>zeros</title></head><body>{pages}</body></html>'
    options = PageOptions(LANGUAGES["en"])
    clinic = load_sample_profile()
    document = renderer.lay_out_html(html, "the zeros page", clinic, options, renderer.fetcher)
    folder = tmp_path_factory.mktemp("zeros")
    (folder / "zeros.pdf").write_bytes(renderer.write([document]).data)
    subprocess.run(["pdftoppm", "-r", "40", "-gray", "zeros.pdf", "page"], cwd=folder, check=True)
    return [Image.open(path) for path in sorted(folder.glob("page-*.pgm"))]


def _ink_runs(row: list[int]) -> int:
    runs, inside = 0, False
    for value in row:
        ink = value < 128
        runs += ink and not inside
        inside = ink
    return runs


def test_each_face_draws_zero_with_an_empty_middle(zeros_page_images: list[Image.Image]) -> None:
    assert len(zeros_page_images) == len(FONT_FACES)
    for face, image in zip(FONT_FACES, zeros_page_images, strict=True):
        box = image.point(lambda value: 255 if value < 128 else 0).getbbox()
        assert box is not None, face
        left, top, right, bottom = box
        middle = (top + bottom) // 2
        row = [int(image.getpixel((x, middle))) for x in range(left, right)]  # type: ignore[arg-type]
        # Across the middle: the left side, the empty counter, the right side. A slash is a third run.
        assert _ink_runs(row) == 2, f"{face.file}: {row}"
        assert min(row[len(row) // 3 : 2 * len(row) // 3]) > 200, f"{face.file}: ink inside the zero"
