"""The logo checks accept the images clinics really have, judged against
Pillow's own decoder, and refuse the same images cut short."""

from __future__ import annotations

import base64
import io
import zlib
from pathlib import Path

import pytest
from PIL import Image

from handouts.clinic import sample_profile_path
from handouts.errors import ProfileError
from handouts.input_files import read_toml
from handouts.raster_images import ImageProblem, check_png, check_raster
from handouts.svg_images import check_svg

SIDE = 4000


def _saved(image: Image.Image, kind: str) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, kind)
    return buffer.getvalue()


@pytest.mark.parametrize("mode", ["1", "L", "LA", "P", "RGB", "RGBA", "I;16"])
def test_every_png_colour_type_and_depth_passes_whole_and_fails_cut(mode: str) -> None:
    png = _saved(Image.new(mode, (37, 23)), "PNG")
    check_png(png, SIDE)
    with pytest.raises(ImageProblem, match="not a complete PNG image"):
        check_png(png[: png.index(b"IEND") - 8], SIDE)


def _interlaced_png(width: int, height: int) -> bytes:
    """An Adam7 PNG of grey 8-bit pixels, built pass by pass."""
    passes = (
        (0, 0, 8, 8),
        (4, 0, 8, 8),
        (0, 4, 4, 8),
        (2, 0, 4, 4),
        (0, 2, 2, 4),
        (1, 0, 2, 2),
        (0, 1, 1, 2),
    )
    raw = b""
    for x0, y0, dx, dy in passes:
        columns, rows = len(range(x0, width, dx)), len(range(y0, height, dy))
        if columns and rows:
            raw += (b"\x00" + b"\x80" * columns) * rows

    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([8, 0, 0, 0, 1])
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize("size", [(1, 1), (5, 3), (37, 23)])
def test_an_interlaced_png_pillow_decodes_passes(size: tuple[int, int]) -> None:
    png = _interlaced_png(*size)
    Image.open(io.BytesIO(png)).load()  # the independent judge: Pillow reads it whole
    check_png(png, SIDE)


def test_a_jpeg_passes_whole_and_fails_cut_or_too_large() -> None:
    jpeg = _saved(Image.new("RGB", (120, 80), "navy"), "JPEG")
    check_raster(jpeg, SIDE)
    with pytest.raises(ImageProblem, match="not a complete JPEG"):
        check_raster(jpeg[: len(jpeg) // 2], SIDE)
    with pytest.raises(ImageProblem, match="5000 x 10 pixels"):
        check_raster(_saved(Image.new("L", (5000, 10)), "JPEG"), SIDE)


def test_the_sample_logo_and_usual_svg_features_pass() -> None:
    check_svg((sample_profile_path().parent / "logo.svg").read_bytes(), SIDE)
    picture = _saved(Image.new("RGB", (8, 8), "red"), "PNG")
    inline = base64.b64encode(picture).decode()
    drawing = f"""<?xml version="1.0" encoding="UTF-8"?>
<!-- exported by a drawing program -->
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 100 40">
  <defs>
    <linearGradient id="base"><stop offset="0" stop-color="#036"/></linearGradient>
    <linearGradient id="g" xlink:href="#base"/>
    <style>.cls-1 {{ fill: url(#g); }} .cls-2 {{ fill: url( "#g" ) }}</style>
    <g id="leaf"><path d="M0 0 L10 10 Z"/></g>
  </defs>
  <rect class="cls-1" width="100" height="40" style="stroke: url(#g)"/>
  {"".join(f'<use href="#leaf" x="{i}"/>' for i in range(50))}
  <image width="8" height="8" href="data:image/png;base64,{inline}"/>
</svg>"""
    check_svg(drawing.encode(), SIDE)


@pytest.mark.parametrize(
    ("value", "refused"),
    [("999999999999999", False), ("1_000_000_000_000_000", True), ("-1000000000000000", True)],
)
def test_numbers_are_bounded_at_fifteen_digits(tmp_path: Path, value: str, refused: bool) -> None:
    path = tmp_path / "patient.toml"
    path.write_text(f"[medication]\ndaily_mg = {value}\n", encoding="utf-8")
    if refused:
        with pytest.raises(ProfileError, match=r"\[medication\] daily_mg is a number of more than 15 digits"):
            read_toml(path, ProfileError, "patient file", "fix it")
    else:
        assert read_toml(path, ProfileError, "patient file", "fix it") == {
            "medication": {"daily_mg": int(value)}
        }
