"""PNG and JPEG images a clinic supplies (a logo, or a picture inside an SVG
logo): their size read from the header, and the image checked whole, before
anything decodes it.

A PNG of 20000 x 20000 pixels fits in 1 MB and unpacks to over a gigabyte; a
PNG cut short prints half blank without a word from the decoder. So the size
is capped first, then the compressed pixels are inflated in small pieces
(never held whole) and must come to exactly the size the header promises.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
JPEG_START = b"\xff\xd8\xff"
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # by colour type: grey, RGB, palette, grey+alpha, RGBA
# Adam7 interlacing: each pass's first column and row, and its steps.
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))
_PIECE = 1 << 20
# Start-of-frame markers, which carry a JPEG's size (not DHT C4, JPG C8 or DAC CC).
_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


class ImageProblem(Exception):
    """What is wrong with an image (to follow its name) and how to fix it."""

    def __init__(self, what: str, fix: str):
        super().__init__(what)
        self.what = what
        self.fix = fix


RESAVE = "open the image in an image editor and save it again as PNG"


def check_raster(data: bytes, max_side: int) -> None:
    """A complete PNG or JPEG of at most max_side pixels a side, or ImageProblem."""
    if data.startswith(PNG_SIGNATURE):
        check_png(data, max_side)
    elif data.startswith(JPEG_START):
        check_jpeg(data, max_side)
    else:
        raise ImageProblem("is not a PNG or JPEG image", RESAVE)


def check_png(data: bytes, max_side: int) -> None:
    chunks = _png_chunks(data)
    kind, header = next(chunks, (b"", b""))
    if kind != b"IHDR" or len(header) != 13:
        raise ImageProblem("is not a complete PNG image", RESAVE)
    width, height = int.from_bytes(header[0:4], "big"), int.from_bytes(header[4:8], "big")
    depth, colour, interlaced = header[8], header[9], header[12]
    _check_side(width, height, max_side)
    if colour not in _PNG_CHANNELS or depth not in (1, 2, 4, 8, 16) or interlaced > 1:
        raise ImageProblem("is a damaged PNG image (its header is not valid)", RESAVE)
    expected = _png_pixel_bytes(width, height, _PNG_CHANNELS[colour] * depth, bool(interlaced))
    inflater = zlib.decompressobj()
    inflated = 0
    ended = False
    for kind, body in chunks:
        if kind == b"IEND":
            ended = True
            break
        if kind == b"IDAT":
            inflated += _inflate(inflater, body, expected - inflated)
    if not ended or inflated < expected or not inflater.eof:
        raise ImageProblem(
            "is not a complete PNG image (it is cut short, so part of it would print blank)", RESAVE
        )


def _png_chunks(data: bytes) -> Iterator[tuple[bytes, bytes]]:
    """(kind, body) of each chunk, checking each one's length and checksum."""
    position = len(PNG_SIGNATURE)
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            return  # cut short: the caller sees no IEND
        body = data[position + 8 : end - 4]
        if zlib.crc32(kind + body) != int.from_bytes(data[end - 4 : end], "big"):
            raise ImageProblem("is a damaged PNG image (a checksum is wrong)", RESAVE)
        yield kind, body
        position = end


def _inflate(inflater: zlib._Decompress, data: bytes, room: int) -> int:
    """How many bytes `data` inflates to, in pieces; more than `room` is damage."""
    total = 0
    while True:
        try:
            piece = inflater.decompress(data, _PIECE)
        except zlib.error:
            raise ImageProblem("is a damaged PNG image (its pixel data cannot be read)", RESAVE) from None
        total += len(piece)
        if total > room:
            raise ImageProblem("is a damaged PNG image (more pixels than its size says)", RESAVE)
        data = inflater.unconsumed_tail
        if not data and len(piece) < _PIECE:
            return total


def _png_pixel_bytes(width: int, height: int, bits_per_pixel: int, interlaced: bool) -> int:
    """The size of the inflated pixel data: each row is a filter byte and its pixels."""
    passes = _ADAM7 if interlaced else ((0, 0, 1, 1),)
    total = 0
    for x0, y0, dx, dy in passes:
        columns, rows = (width - x0 + dx - 1) // dx, (height - y0 + dy - 1) // dy
        if columns > 0 and rows > 0:
            total += rows * (1 + (columns * bits_per_pixel + 7) // 8)
    return total


def check_jpeg(data: bytes, max_side: int) -> None:
    position = 2
    while position + 4 <= len(data):
        if data[position] != 0xFF:
            break
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte
            position += 1
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        if marker in _JPEG_FRAMES and position + 9 <= len(data):
            height = int.from_bytes(data[position + 5 : position + 7], "big")
            width = int.from_bytes(data[position + 7 : position + 9], "big")
            _check_side(width, height, max_side)
            if not data.rstrip(b"\x00").endswith(b"\xff\xd9"):
                raise ImageProblem("is not a complete JPEG image (it is cut short)", RESAVE)
            return
        if marker == 0xDA:  # the pixels start, and no size was given
            break
        position += 2 + length
    raise ImageProblem("is a damaged JPEG image (its size cannot be read)", RESAVE)


def _check_side(width: int, height: int, max_side: int) -> None:
    if width == 0 or height == 0:
        raise ImageProblem(f"is {width} x {height} pixels, an empty image", RESAVE)
    if max(width, height) > max_side:
        raise ImageProblem(
            f"is {width} x {height} pixels",
            f"use an image at most {max_side} pixels wide and high (500 is plenty)",
        )
