"""Give Atkinson Hyperlegible a plain zero: its default 0 is slashed, and ISMP
lists a slashed zero as error-prone in doses (Ø is read as 4, 6, 8 or 9).

The font has no unslashed alternate (its only other zero, zero.tf, is a copy
of this one), so the glyph is redrawn from its own outlines. The slash cuts
the counter into two pieces, each closed by a straight edge along the slash.
Joining the pieces' curves, and bridging each short gap the slash leaves with
one curve that meets both sides' tangents, gives the counter the zero would
have without the slash; the outer contour is kept as drawn.

    python tools/plain_zero.py handouts/fonts/AtkinsonHyperlegible-*.ttf

tools/vendor_fonts.py applies it to each Atkinson face it copies.
"""

from __future__ import annotations

import sys
from array import array
from pathlib import Path

from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphCoordinates
from fontTools.ttLib.tables.ttProgram import Program

Point = tuple[float, float]
# (x, y, on-curve) as TrueType stores a contour.
Contour = list[tuple[float, float, bool]]

_ON_CURVE = 0x01


def plain_zero(font: TTFont, glyph_name: str = "zero") -> bool:
    """Redraw a slashed zero (outer contour and two counter pieces) as a plain
    one; False when it is plain already. Raises if the glyph is neither."""
    glyf = font["glyf"]
    glyph = glyf[glyph_name]
    contours = _contours(glyph, glyf)
    if len(contours) == 2:
        return False
    if len(contours) != 3:
        raise ValueError(f"{glyph_name} has {len(contours)} contours; expected a slashed zero's 3")
    outer, first, second = contours
    first, second = _from_slash(first), _from_slash(second)
    counter = [*first, (*_bridge(first, second), False), *second, (*_bridge(second, first), False)]
    _set_contours(glyph, [outer, counter])
    glyph.recalcBounds(glyf)
    return True


def _contours(glyph: Glyph, glyf: object) -> list[Contour]:
    coordinates, ends, flags = glyph.getCoordinates(glyf)
    contours: list[Contour] = []
    start = 0
    for end in ends:
        contours.append(
            [
                (coordinates[i][0], coordinates[i][1], bool(flags[i] & _ON_CURVE))
                for i in range(start, end + 1)
            ]
        )
        start = end + 1
    return contours


def _from_slash(piece: Contour) -> Contour:
    """The piece's points in order, starting just after its straight edge along
    the slash (its longest on-curve to on-curve segment) and ending just before it."""
    count = len(piece)
    edges = [
        i for i in range(count) if piece[i][2] and piece[(i + 1) % count][2]
    ]  # on-curve point followed by an on-curve point: a straight segment
    if not edges:
        raise ValueError("a counter piece has no straight edge along the slash")
    cut = max(edges, key=lambda i: _distance(piece[i], piece[(i + 1) % count]))
    return piece[cut + 1 :] + piece[: cut + 1]


def _bridge(before: Contour, after: Contour) -> Point:
    """The off-curve point of the curve from before's last point to after's
    first: where the tangents at the two ends meet, so the join is smooth."""
    end, end_control = before[-1], before[-2]
    start, start_control = after[0], after[1]
    direction_in = (end[0] - end_control[0], end[1] - end_control[1])
    direction_out = (start_control[0] - start[0], start_control[1] - start[1])
    # end + t * direction_in == start - s * direction_out
    cross = direction_in[0] * -direction_out[1] - direction_in[1] * -direction_out[0]
    if abs(cross) < 1e-9:
        raise ValueError("the counter's sides at the slash are parallel; cannot bridge the gap")
    gap = (start[0] - end[0], start[1] - end[1])
    t = (gap[0] * -direction_out[1] - gap[1] * -direction_out[0]) / cross
    if t <= 0:
        raise ValueError("the counter's sides at the slash do not meet ahead of the gap")
    return (round(end[0] + t * direction_in[0]), round(end[1] + t * direction_in[1]))


def _distance(a: tuple[float, float, bool], b: tuple[float, float, bool]) -> float:
    return float(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5)


def _set_contours(glyph: Glyph, contours: list[Contour]) -> None:
    points = [point for contour in contours for point in contour]
    glyph.coordinates = GlyphCoordinates([(x, y) for x, y, _on in points])
    glyph.flags = array("B", [_ON_CURVE if on else 0 for _x, _y, on in points])
    ends, total = [], 0
    for contour in contours:
        total += len(contour)
        ends.append(total - 1)
    glyph.endPtsOfContours = ends
    glyph.numberOfContours = len(contours)
    # The hints addressed the old points by number; an unhinted glyph is drawn as outlined.
    glyph.program = Program()
    glyph.program.fromBytecode(b"")


def main(paths: list[str]) -> None:
    for path in paths:
        # Keep the font's own date (the PDFs embed it: reproducible output).
        font = TTFont(path, recalcTimestamp=False)
        changed = plain_zero(font)
        if changed:
            font.save(path)
        print(f"{Path(path).name}: {'zero redrawn without its slash' if changed else 'zero already plain'}")


if __name__ == "__main__":
    main(sys.argv[1:])
