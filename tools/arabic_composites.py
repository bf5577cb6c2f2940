"""One glyph per Arabic letter form in Noto Sans Arabic, for text a PDF reader can get back.

Noto Sans Arabic draws a dotted letter as a shared base shape plus separate
dots: its `ccmp` feature turns خ into the shape of ح and a dot above, ت into
the shape of ٮ and two dots. In a PDF each glyph can stand for one piece of
text only, so the shared shape is read as whichever letter used it first (خ
reads as ح, ت as ن) and the dot as nothing: copy and paste, search and
screen readers get other words than the page shows.

Turning `ccmp` off is no cure: the font has joining forms (initial, medial,
final) only for the base shapes, so the letters would print unjoined. Instead
this adds, for each base shape form and its dots, one composite glyph that
draws the same outlines at the positions the font's own mark anchors give,
and a last substitution that puts it in place of the shape and its dots once
every other substitution has run. Each composite is named after its letter
(uni062E.uni062D_init), so a glyph's text follows from its name.

Run by tools/vendor_fonts.py; never at render time.
"""

from __future__ import annotations

import copy
import itertools
from collections import defaultdict
from typing import Any

from fontTools.otlLib import builder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables import otTables

ARABIC_LETTERS = range(0x0620, 0x0700)
Point = tuple[int, int]


def add_letter_composites(font: TTFont) -> int:
    """Add the composites and their substitution; returns how many were added."""
    gsub, gpos = font["GSUB"].table, font["GPOS"].table
    glyph_class = font["GDEF"].table.GlyphClassDef.classDefs
    letters = {name: code for code, name in font.getBestCmap().items() if code in ARABIC_LETTERS}
    variants = _single_substitutions(gsub)
    anchors = _MarkAnchors(gpos)
    # Every one-to-many substitution: 'ccmp' splits most letters, but the joining
    # forms split some more (a final ك is a dotless shape and a small mark).
    decompositions: dict[str, list[list[str]]] = defaultdict(list)
    for lookup in _lookups(gsub, 2):
        for subtable in lookup.SubTable:
            for glyph, parts in subtable.mapping.items():
                if len(parts) > 1:
                    decompositions[glyph].append(list(parts))
    wanted: dict[tuple[str, ...], str] = {}
    for letter, code in sorted(letters.items(), key=lambda item: item[1]):
        for parts in decompositions.get(letter, ()):
            for base, *marks in _expansions(parts, decompositions):
                # Only a base and its marks; not two spacing shapes (U+0675 to U+0678).
                forms = [form for form in sorted(_closure(base, variants)) if glyph_class.get(form) == 1]
                dots = [
                    [dot for dot in sorted(_closure(mark, variants)) if glyph_class.get(dot) == 3]
                    for mark in marks
                ]
                for form, placed in itertools.product(forms, itertools.product(*dots)):
                    wanted.setdefault((form, *placed), f"uni{code:04X}")
    added = _build(font, wanted, anchors)
    _substitute_last(font, added)
    _position_like_bases(font, added, anchors)
    return len(added)


def _lookups(table: Any, kind: int) -> list[Any]:
    """The lookups of one type (Noto Sans Arabic has no extension lookups)."""
    return [lookup for lookup in table.LookupList.Lookup if lookup.LookupType == kind]


def _expansions(parts: list[str], decompositions: dict[str, list[list[str]]]) -> list[list[str]]:
    """The parts as they are, and with the base split again where a later
    substitution splits it (ؽ: the shape of ی and a mark, and ی itself is a
    dotless shape and two dots when it starts a word)."""
    found = [parts]
    for inner in decompositions.get(parts[0], ()):
        if parts[0] not in inner:
            found += _expansions(inner + parts[1:], decompositions)
    return found


def _single_substitutions(gsub: Any) -> dict[str, set[str]]:
    """Every glyph a glyph can become through one-to-one substitutions, except
    those of 'aalt' (alternates a user picks, never applied on their own)."""
    by_feature: dict[int, set[str]] = defaultdict(set)
    for record in gsub.FeatureList.FeatureRecord:
        for index in record.Feature.LookupListIndex:
            by_feature[index].add(record.FeatureTag)
    variants: dict[str, set[str]] = defaultdict(set)
    for index, lookup in enumerate(gsub.LookupList.Lookup):
        if by_feature.get(index) == {"aalt"} or lookup.LookupType not in (1, 2):
            continue
        for subtable in lookup.SubTable:
            for source, target in subtable.mapping.items():
                # The joining forms are written as one-to-one "multiple" substitutions.
                if isinstance(target, str):
                    variants[source].add(target)
                elif len(target) == 1:
                    variants[source].add(target[0])
    return variants


def _closure(glyph: str, variants: dict[str, set[str]]) -> set[str]:
    found, todo = {glyph}, [glyph]
    while todo:
        for target in variants.get(todo.pop(), ()):
            if target not in found:
                found.add(target)
                todo.append(target)
    return found


class _MarkAnchors:
    """Where the font's mark positioning puts a mark on a base or on another mark."""

    def __init__(self, gpos: Any) -> None:
        self.on_base: list[Any] = [sub for lookup in _lookups(gpos, 4) for sub in lookup.SubTable]
        self.on_mark: list[Any] = [sub for lookup in _lookups(gpos, 6) for sub in lookup.SubTable]
        # (marks, their records, the glyphs they sit on, those glyphs' anchors by class)
        self._bases = [
            (sub.MarkCoverage.glyphs, sub.MarkArray.MarkRecord, sub.BaseCoverage.glyphs,
             [record.BaseAnchor for record in sub.BaseArray.BaseRecord])
            for sub in self.on_base
        ]  # fmt: skip
        self._marks = [
            (sub.Mark1Coverage.glyphs, sub.Mark1Array.MarkRecord, sub.Mark2Coverage.glyphs,
             [record.Mark2Anchor for record in sub.Mark2Array.Mark2Record])
            for sub in self.on_mark
        ]  # fmt: skip

    def base_offset(self, base: str, mark: str) -> Point | None:
        return _attachment(self._bases, base, mark)

    def mark_offset(self, under: str, mark: str) -> Point | None:
        return _attachment(self._marks, under, mark)


def _attachment(
    tables: list[tuple[list[str], Any, list[str], list[Any]]], holder: str, mark: str
) -> Point | None:
    """The offset that puts the mark's anchor on the holder's anchor of its class."""
    for marks, records, holders, anchors in tables:
        if mark in marks and holder in holders:
            record = records[marks.index(mark)]
            anchor = anchors[holders.index(holder)][record.Class]
            if anchor is not None:
                mark_anchor = record.MarkAnchor
                return (
                    anchor.XCoordinate - mark_anchor.XCoordinate,
                    anchor.YCoordinate - mark_anchor.YCoordinate,
                )
    return None


def _build(
    font: TTFont, wanted: dict[tuple[str, ...], str], anchors: _MarkAnchors
) -> dict[tuple[str, ...], str]:
    """The composite glyphs, appended after the font's own glyphs."""
    glyf, hmtx = font["glyf"], font["hmtx"]
    order = list(font.getGlyphOrder())
    taken = set(order)
    added: dict[tuple[str, ...], str] = {}
    for parts in sorted(wanted):
        base, marks = parts[0], parts[1:]
        offsets = _offsets(base, marks, anchors)
        if offsets is None:
            continue  # the font does not place these marks on this base; it stays as it is
        name = f"{wanted[parts]}.{base.replace('.', '_')}"
        suffix = 1
        while name in taken:
            name = f"{wanted[parts]}.{base.replace('.', '_')}.{suffix}"
            suffix += 1
        pen = TTGlyphPen(font.getGlyphSet())
        pen.addComponent(base, (1, 0, 0, 1, 0, 0))
        for mark, (dx, dy) in zip(marks, offsets, strict=True):
            pen.addComponent(mark, (1, 0, 0, 1, dx, dy))
        glyph = pen.glyph()
        order.append(name)
        taken.add(name)
        glyf.glyphs[name] = glyph
        glyph.recalcBounds(glyf)
        hmtx.metrics[name] = (hmtx.metrics[base][0], getattr(glyph, "xMin", 0))
        added[parts] = name
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    font["GDEF"].table.GlyphClassDef.classDefs.update(dict.fromkeys(added.values(), 1))
    return added


def _offsets(base: str, marks: tuple[str, ...], anchors: _MarkAnchors) -> list[Point] | None:
    offsets: list[Point] = []
    for index, mark in enumerate(marks):
        placed = None
        if index:  # on the mark before it, as the font's mark-to-mark positioning does
            on_mark = anchors.mark_offset(marks[index - 1], mark)
            if on_mark is not None:
                placed = (offsets[-1][0] + on_mark[0], offsets[-1][1] + on_mark[1])
        placed = placed or anchors.base_offset(base, mark)
        if placed is None:
            return None
        offsets.append(placed)
    return offsets


def _substitute_last(font: TTFont, added: dict[tuple[str, ...], str]) -> None:
    """A ligature lookup after all the others in 'rlig' (required, so always on):
    by then the shapes have their joining forms and the dots their final places."""
    gsub = font["GSUB"].table
    subtable = builder.buildLigatureSubstSubtable(added)
    index = _append_lookup(gsub, builder.buildLookup([subtable], flags=0))
    _add_to_feature(gsub, "rlig", index)


def _position_like_bases(font: TTFont, added: dict[tuple[str, ...], str], anchors: _MarkAnchors) -> None:
    """Kerning and vowel marks on a composite as on its base shape; a vowel
    that the font would stack on the dot is put on the dot's place."""
    gpos = font["GPOS"].table
    by_base: dict[str, list[str]] = defaultdict(list)
    for parts, name in sorted(added.items(), key=lambda item: font.getGlyphID(item[1])):
        by_base[parts[0]].append(name)
    for lookup in _lookups(gpos, 2):
        for subtable in lookup.SubTable:
            _copy_pair_positioning(font, subtable, by_base)
    for subtable in anchors.on_base:
        bases = subtable.BaseCoverage.glyphs
        for base in list(bases):
            for name in by_base.get(base, ()):
                bases.append(name)
                subtable.BaseArray.BaseRecord.append(
                    copy.deepcopy(subtable.BaseArray.BaseRecord[bases.index(base)])
                )
        _sort_by_glyph(font, bases, subtable.BaseArray.BaseRecord)
        subtable.BaseArray.BaseCount = len(subtable.BaseArray.BaseRecord)
    stacked = []
    glyph_map = font.getReverseGlyphMap()
    for on_mark in anchors.on_mark:
        unders = on_mark.Mark2Coverage.glyphs
        bases: dict[str, dict[int, Any]] = {}
        for parts, name in added.items():
            base, marks = parts[0], parts[1:]
            offsets = _offsets(base, marks, anchors) or []
            for mark, (dx, dy) in zip(marks, offsets, strict=True):
                if mark in unders:
                    record = on_mark.Mark2Array.Mark2Record[unders.index(mark)]
                    bases[name] = {
                        cls: builder.buildAnchor(anchor.XCoordinate + dx, anchor.YCoordinate + dy)
                        for cls, anchor in enumerate(record.Mark2Anchor)
                        if anchor is not None
                    }
        if bases:
            marks_of = {
                glyph: (record.Class, record.MarkAnchor)
                for glyph, record in zip(
                    on_mark.Mark1Coverage.glyphs, on_mark.Mark1Array.MarkRecord, strict=True
                )
            }
            stacked.append(builder.buildMarkBasePosSubtable(marks_of, bases, glyph_map))
    if stacked:
        index = _append_lookup(gpos, builder.buildLookup(stacked, flags=0))
        _add_to_feature(gpos, "mark", index)


def _copy_pair_positioning(font: TTFont, subtable: Any, by_base: dict[str, list[str]]) -> None:
    coverage = subtable.Coverage.glyphs
    if subtable.Format == 1:
        for base in list(coverage):
            for name in by_base.get(base, ()):
                coverage.append(name)
                subtable.PairSet.append(copy.deepcopy(subtable.PairSet[coverage.index(base)]))
        _sort_by_glyph(font, coverage, subtable.PairSet)
        for pair_set in subtable.PairSet:
            records = pair_set.PairValueRecord
            for record in list(records):
                for name in by_base.get(record.SecondGlyph, ()):
                    twin = copy.deepcopy(record)
                    twin.SecondGlyph = name
                    records.append(twin)
            records.sort(key=lambda record: font.getGlyphID(record.SecondGlyph))
            pair_set.PairValueCount = len(records)
        subtable.PairSetCount = len(subtable.PairSet)
    else:
        for base in list(coverage):
            coverage.extend(by_base.get(base, ()))
        coverage.sort(key=font.getGlyphID)
        for class_def in (subtable.ClassDef1, subtable.ClassDef2):
            for base, cls in list(class_def.classDefs.items()):
                for name in by_base.get(base, ()):
                    class_def.classDefs[name] = cls


def _sort_by_glyph(font: TTFont, coverage: list[str], records: list[Any]) -> None:
    """A coverage and the records that go with it, in glyph order, as the
    OpenType binary search needs (the composites were appended at the end)."""
    pairs = sorted(zip(coverage, records, strict=True), key=lambda pair: font.getGlyphID(pair[0]))
    coverage[:] = [glyph for glyph, _record in pairs]
    records[:] = [record for _glyph, record in pairs]


def _append_lookup(table: Any, lookup: otTables.Lookup) -> int:
    table.LookupList.Lookup.append(lookup)
    table.LookupList.LookupCount = len(table.LookupList.Lookup)
    return len(table.LookupList.Lookup) - 1


def _add_to_feature(table: Any, tag: str, index: int) -> None:
    for record in table.FeatureList.FeatureRecord:
        if record.FeatureTag == tag:
            record.Feature.LookupListIndex.append(index)
            record.Feature.LookupCount = len(record.Feature.LookupListIndex)
