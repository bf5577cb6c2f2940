"""Pictograms of one dose, drawn for this project: whole and half tablets with
their strength on each, packets, or an oral syringe filled to the mark.

They show the thing the patient handles; the words beside them say the same
("1½ tablets of 5 mg"), so a pictogram is a picture of the words, never the
only place a dose is written. A dose no pictogram can draw exactly is refused
(PictogramError), never drawn approximately. Pure: numbers in, SVG text out.
"""

from __future__ import annotations

import base64
from decimal import Decimal

from handouts.numbers import plain_number
from handouts.taper import Form, Preparation

# Oral syringe sizes a pharmacy hands out, in mL; a dose is drawn in the
# smallest that holds it.
SYRINGE_SIZES = (Decimal(1), Decimal(3), Decimal(5), Decimal(10), Decimal(20))
_TABLET = 13  # diameter, pt
_GAP = 3
_INK = "#000"


class PictogramError(ValueError):
    """A dose that cannot be drawn exactly as the patient takes it."""


def syringe_size(ml: Decimal) -> Decimal:
    for size in SYRINGE_SIZES:
        if ml <= size:
            return size
    raise PictogramError(f"a dose larger than the largest oral syringe ({plain_number(SYRINGE_SIZES[-1])} mL)")


def dose_pictogram(preparation: Preparation, form: str) -> tuple[str, float]:
    """(SVG text, width in pt) of one dose; empty for no dose."""
    if preparation.mg == 0:
        return "", 0.0
    if form == Form.SOLUTION:
        assert preparation.ml is not None
        return _syringe(preparation.ml)
    pieces: list[str] = []
    x = 0.0
    for strength, halves in preparation.halves:
        wholes, half = divmod(halves, 2)
        for _ in range(wholes):
            pieces.append(_packet(x, strength) if form == Form.GRANULES else _whole(x, strength))
            x += (_TABLET * 1.6 if form == Form.GRANULES else _TABLET) + _GAP
        if half:
            if form == Form.GRANULES:
                raise PictogramError("half a packet cannot be measured")
            pieces.append(_half(x, strength))
            x += _TABLET / 2 + _GAP
    width = max(x - _GAP, 1.0)
    return _svg(width, _TABLET + 2, "".join(pieces)), width


def data_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _svg(width: float, height: float, body: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.1f}pt" height="{height:.1f}pt" '
        f'viewBox="0 0 {width:.1f} {height:.1f}">{body}</svg>'
    )


def _label(x: float, text: str, size: float) -> str:
    return (
        f'<text x="{x:.1f}" y="{_TABLET / 2 + 1 + size * 0.35:.1f}" font-family="sans-serif" '
        f'font-size="{size:.1f}" text-anchor="middle" fill="{_INK}">{text}</text>'
    )


def _whole(x: float, strength: Decimal) -> str:
    r = _TABLET / 2
    return (
        f'<circle cx="{x + r:.1f}" cy="{r + 1:.1f}" r="{r - 0.6:.1f}" fill="#fff" stroke="{_INK}" '
        f'stroke-width="1.2"/>' + _label(x + r, plain_number(strength), 6.5)
    )


def _half(x: float, strength: Decimal) -> str:
    """The left half of a tablet: a half disc with its cut edge drawn heavy."""
    r = _TABLET / 2
    cx, cy = x + r, r + 1
    return (
        f'<path d="M {cx:.1f} {cy - r + 0.6:.1f} A {r - 0.6:.1f} {r - 0.6:.1f} 0 0 0 {cx:.1f} '
        f'{cy + r - 0.6:.1f} Z" fill="#fff" stroke="{_INK}" stroke-width="1.2"/>'
        + _label(x + r * 0.55, plain_number(strength), 5)
    )


def _packet(x: float, strength: Decimal) -> str:
    width = _TABLET * 1.6
    return (
        f'<rect x="{x + 0.6:.1f}" y="1.6" width="{width - 1.2:.1f}" height="{_TABLET - 1.2:.1f}" rx="1.5" '
        f'fill="#fff" stroke="{_INK}" stroke-width="1.2"/>' + _label(x + width / 2, plain_number(strength), 6.5)
    )


def _syringe(ml: Decimal) -> tuple[str, float]:
    """An oral syringe drawn to scale, filled to the dose's mark."""
    size = syringe_size(ml)
    barrel, height = 60.0, 10.0
    filled = float(ml / size) * barrel
    marks = "".join(
        f'<line x1="{8 + barrel * i / 10:.1f}" y1="3" x2="{8 + barrel * i / 10:.1f}" y2="{3 + (4 if i % 5 else 6)}" '
        f'stroke="{_INK}" stroke-width="0.6"/>'
        for i in range(11)
    )
    body = (
        f'<rect x="2" y="{1 + height / 2 - 1:.1f}" width="6" height="2" fill="{_INK}"/>'  # the tip
        f'<rect x="8" y="1" width="{filled:.1f}" height="{height:.1f}" fill="#9a9a9a"/>'  # the dose
        f'<rect x="8" y="1" width="{barrel:.1f}" height="{height:.1f}" fill="none" stroke="{_INK}" '
        f'stroke-width="1.2"/>'
        + marks
        + f'<line x1="{8 + filled:.1f}" y1="-1" x2="{8 + filled:.1f}" y2="{height + 3:.1f}" '
        f'stroke="{_INK}" stroke-width="2"/>'  # the mark to fill to
        f'<rect x="{8 + barrel:.1f}" y="{1 + height / 2 - 1.5:.1f}" width="10" height="3" fill="{_INK}"/>'
        f'<rect x="{18 + barrel:.1f}" y="0" width="2.5" height="{height + 2:.1f}" fill="{_INK}"/>'
    )
    width = barrel + 21
    return _svg(width, height + 4, body), width
