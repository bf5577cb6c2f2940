"""One glyph per reordered Devanagari syllable in Noto Sans Devanagari, for text a PDF reader can get back.

Shaping Hindi moves some letters: the vowel sign ि is drawn before the
consonant it follows in the text (कि is drawn ि then क), and a र् before a
consonant becomes the reph mark drawn after it (र्म is drawn म then the
reph). HarfBuzz then makes the whole syllable one cluster of several glyphs.
A PDF gives each glyph one piece of text, and WeasyPrint gives a cluster's
text to its last glyph and none to the others; a glyph keeps the text it
was first given. So "किताब" came back as "कताब" and "धर्म" as "धमर्म":
copy and paste, search and screen readers got other words than printed.

The same happens where a vowel sign is drawn in two parts (ो is ा and the
top of े) or two signs share one glyph (ें): a glyph then stands for ं in
one word and for ें in another ("में" came back as "मं", "संकेतों" as "संकेताें").

This shapes every syllable of those kinds a Hindi text is likely to hold (each
consonant with each vowel and nasal sign, each two-consonant conjunct with ि,
each reph with each vowel sign) and every word of the Hindi catalog, with
HarfBuzz as Pango does (one cluster per character unless reordering joins
them). Each cluster of several glyphs, and each run of signs drawn with
several glyphs, gets one composite glyph that draws the same
glyphs at the same places, and a last substitution puts it in their place.
It is named after its text (uni0915093F for कि), so a glyph's text follows
from its name. The pages look the same.

Run by tools/vendor_fonts.py; never at render time (uharfbuzz is a maintainer tool).
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from typing import Any

import uharfbuzz as hb
from fontTools.otlLib import builder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

CONSONANTS = [chr(code) for code in (*range(0x0915, 0x093A), *range(0x0958, 0x0960))]
VIRAMA, RA, I_SIGN = "\u094d", "\u0930", "\u093f"
VOWEL_SIGNS = [chr(code) for code in (*range(0x093E, 0x094D), 0x0962, 0x0963)]
NASALS = ["\u0901", "\u0902", "\u0903"]  # candrabindu, anusvara, visarga
Cluster = tuple[str, ...]


def syllables(extra_text: Iterable[str] = ()) -> list[str]:
    """The syllables whose shaping reorders or joins signs, and the words of extra_text.
    A reph on a conjunct (र्त्र) or a nasal with one (स्थिं) is rarer: from extra_text only."""
    conjuncts = [first + VIRAMA + second for first in CONSONANTS for second in CONSONANTS]
    found = [base + sign + nasal for base in CONSONANTS for sign in ("", *VOWEL_SIGNS) for nasal in ("", *NASALS)]
    found += [conjunct + I_SIGN for conjunct in conjuncts]
    found += [RA + VIRAMA + base + sign for base in CONSONANTS for sign in ("", *VOWEL_SIGNS, *NASALS)]
    found += [word for text in extra_text for word in text.split()]
    return list(dict.fromkeys(found))


def add_cluster_composites(font: TTFont, extra_text: Iterable[str] = ()) -> int:
    """Add the composites and their substitution; returns how many were added."""
    clusters = _reordered_clusters(font, syllables(extra_text))
    added = _build(font, clusters)
    if added:
        lookup = builder.buildLookup([builder.buildLigatureSubstSubtable(added)], flags=0)
        gsub = font["GSUB"].table
        gsub.LookupList.Lookup.append(lookup)
        gsub.LookupList.LookupCount = len(gsub.LookupList.Lookup)
        # 'psts' is in HarfBuzz's last stage for Indic scripts, and this lookup is the
        # last of all: it sees the glyphs as every other substitution left them.
        for record in gsub.FeatureList.FeatureRecord:
            if record.FeatureTag == "psts":
                record.Feature.LookupListIndex.append(gsub.LookupList.LookupCount - 1)
                record.Feature.LookupCount = len(record.Feature.LookupListIndex)
    return len(added)


def _reordered_clusters(font: TTFont, texts: list[str]) -> dict[Cluster, tuple[str, list[tuple[int, int]]]]:
    """Each cluster of several glyphs: its glyphs, its text and where each glyph is drawn."""
    buffer = io.BytesIO()
    font.save(buffer)
    shaper = hb.Font(hb.Face(buffer.getvalue()))
    names = font.getGlyphOrder()
    found: dict[Cluster, tuple[str, list[tuple[int, int]]]] = {}
    for text in texts:
        shaped = hb.Buffer()
        shaped.add_codepoints([ord(char) for char in text])  # clusters are then indexes into text
        shaped.guess_segment_properties()
        shaped.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS  # as Pango shapes
        hb.shape(shaper, shaped, {})
        groups: dict[int, list[tuple[Any, Any]]] = {}
        for info, position in zip(shaped.glyph_infos, shaped.glyph_positions, strict=True):
            groups.setdefault(info.cluster, []).append((info, position))
        for piece, group in _units(text, groups):
            if len(group) < 2:
                continue
            glyphs = tuple(names[info.codepoint] for info, _position in group)
            places, pen_x = [], 0
            for _info, position in group:
                places.append((pen_x + position.x_offset, position.y_offset))
                pen_x += position.x_advance
            places.append((pen_x, 0))  # the advance of the whole
            found.setdefault(glyphs, (piece, places))
    return found


def _units(text: str, groups: dict[int, list[tuple[Any, Any]]]) -> list[tuple[str, list[tuple[Any, Any]]]]:
    """The clusters, with signs that follow one another joined into one unit:
    ो with ं is drawn as ा and the glyph of ें, one cluster each, so that glyph
    would stand for ं here and for ें elsewhere. Joined, they are one glyph, ों."""
    units: list[tuple[int, int, list[tuple[Any, Any]]]] = []  # start, end, glyphs
    starts = sorted(groups)
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(text)
        if units and _is_sign(text[start]) and _is_sign(text[units[-1][0]]):
            first, _end, glyphs = units.pop()
            units.append((first, end, glyphs + groups[start]))
        else:
            units.append((start, end, list(groups[start])))
    return [(text[start:end], glyphs) for start, end, glyphs in units]


def _is_sign(char: str) -> bool:
    """A vowel sign or a nasal sign: drawn on or beside the letter before it."""
    return unicodedata.category(char) in ("Mn", "Mc") and char != VIRAMA


def _build(font: TTFont, clusters: dict[Cluster, tuple[str, list[tuple[int, int]]]]) -> dict[Cluster, str]:
    """The composite glyphs, appended after the font's own glyphs."""
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    taken = set(order)
    added: dict[Cluster, str] = {}
    for glyphs, (text, places) in sorted(clusters.items(), key=lambda item: item[1][0]):
        name = "uni" + "".join(f"{ord(char):04X}" for char in text)
        suffix = 1
        while name in taken:
            name = f"{name.split('.')[0]}.{suffix}"
            suffix += 1
        pen = TTGlyphPen(font.getGlyphSet())
        for glyph, (x, y) in zip(glyphs, places[:-1], strict=True):
            pen.addComponent(glyph, (1, 0, 0, 1, x, y))
        composite = pen.glyph()
        order.append(name)
        taken.add(name)
        glyf.glyphs[name] = composite
        composite.recalcBounds(glyf)
        hmtx.metrics[name] = (places[-1][0], getattr(composite, "xMin", 0))
        added[glyphs] = name
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    font["GDEF"].table.GlyphClassDef.classDefs.update(dict.fromkeys(added.values(), 1))
    return added
