"""The bundled fonts: one table, the @font-face rules made from it, and the
check that every character of a page has a glyph in them (no tofu, ever)."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from fontTools.ttLib import TTFont

from handouts.resources import asset_dir


@dataclass(frozen=True)
class FontFace:
    family: str
    file: str
    weight: int = 400
    style: str = "normal"


# One source of truth for the fonts: CSS, coverage checks and tests read this.
FONT_FACES: tuple[FontFace, ...] = (
    FontFace("Atkinson Hyperlegible", "AtkinsonHyperlegible-Regular.ttf"),
    FontFace("Atkinson Hyperlegible", "AtkinsonHyperlegible-Bold.ttf", 700),
    FontFace("Atkinson Hyperlegible", "AtkinsonHyperlegible-Italic.ttf", 400, "italic"),
    FontFace("Noto Sans", "NotoSans-Regular.ttf"),
    FontFace("Noto Sans", "NotoSans-Bold.ttf", 700),
    FontFace("Noto Sans Arabic", "NotoSansArabic-Regular.ttf"),
    FontFace("Noto Sans Arabic", "NotoSansArabic-Bold.ttf", 700),
    FontFace("Noto Sans CJK SC", "NotoSansCJKSC-Regular-subset.otf"),
    FontFace("Noto Sans CJK SC", "NotoSansCJKSC-Bold-subset.otf", 700),
    FontFace("Noto Sans CJK KR", "NotoSansCJKKR-Regular-subset.otf"),
    FontFace("Noto Sans CJK KR", "NotoSansCJKKR-Bold-subset.otf", 700),
    FontFace("Noto Sans Devanagari", "NotoSansDevanagari-Regular.ttf"),
    FontFace("Noto Sans Devanagari", "NotoSansDevanagari-Bold.ttf", 700),
    FontFace("Noto Sans CJK JP", "NotoSansCJKJP-Regular-subset.otf"),
    FontFace("Noto Sans CJK JP", "NotoSansCJKJP-Bold-subset.otf", 700),
    FontFace("Noto Sans CJK TC", "NotoSansCJKTC-Regular-subset.otf"),
    FontFace("Noto Sans CJK TC", "NotoSansCJKTC-Bold-subset.otf", 700),
)

# Font stacks, first choice first. Atkinson Hyperlegible was drawn for
# low-vision readers; Noto Sans fills in what it lacks. Vietnamese and
# Russian start with Noto Sans so that no word mixes two typefaces.
LATIN_STACK: tuple[str, ...] = ("Atkinson Hyperlegible", "Noto Sans")
NOTO_STACK: tuple[str, ...] = ("Noto Sans",)
ARABIC_STACK: tuple[str, ...] = ("Noto Sans Arabic", "Noto Sans")
CHINESE_STACK: tuple[str, ...] = ("Noto Sans CJK SC", "Noto Sans")
KOREAN_STACK: tuple[str, ...] = ("Noto Sans CJK KR", "Noto Sans")
DEVANAGARI_STACK: tuple[str, ...] = ("Noto Sans Devanagari", "Noto Sans")
# Japanese and Traditional Chinese draw many of the same code points as
# Simplified Chinese with other shapes (直, 骨): each needs its own face.
JAPANESE_STACK: tuple[str, ...] = ("Noto Sans CJK JP", "Noto Sans")
TRADITIONAL_CHINESE_STACK: tuple[str, ...] = ("Noto Sans CJK TC", "Noto Sans")

# Characters that are never drawn as glyphs, so need no coverage.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def with_fallbacks(stack: tuple[str, ...]) -> tuple[str, ...]:
    """The language's own fonts first, then every other bundled family, so a
    name in any bundled script (an Arabic name on an English sheet) prints."""
    others = tuple(dict.fromkeys(face.family for face in FONT_FACES if face.family not in stack))
    return stack + others


def css_family(family: str) -> str:
    """The name a bundled family has in CSS. It is our own, so that a system
    font of the same name (Debian's full Noto Sans CJK, say) is never picked
    instead of the bundled file the coverage check was made against."""
    return f"handouts {family}"


def font_face_css() -> str:
    """@font-face rules for every bundled face, as file URLs the fetcher allows."""
    fonts = asset_dir("fonts")
    rules = []
    for face in FONT_FACES:
        url = (fonts / face.file).as_uri()
        rules.append(
            f'@font-face {{ font-family: "{css_family(face.family)}"; src: url("{url}"); '
            f"font-weight: {face.weight}; font-style: {face.style}; }}"
        )
    return "\n".join(rules)


def font_family_css(stack: Iterable[str]) -> str:
    return ", ".join(f'"{css_family(family)}"' for family in stack)


@cache
def _codepoints(file: str) -> frozenset[int]:
    font = TTFont(asset_dir("fonts") / file, lazy=True)
    try:
        return frozenset(font.getBestCmap())
    finally:
        font.close()


@cache
def coverage(stack: tuple[str, ...]) -> frozenset[int]:
    """Code points drawn by the regular face of any family in the stack."""
    covered: set[int] = set()
    for face in FONT_FACES:
        if face.family in stack and face.weight == 400 and face.style == "normal":
            covered |= _codepoints(face.file)
    return frozenset(covered)


def uncovered_characters(text: str, stack: tuple[str, ...]) -> str:
    """The distinct characters of text that no font of the stack can draw."""
    covered = coverage(stack)
    missing = {
        char
        for char in text
        if ord(char) not in covered and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
    }
    return "".join(sorted(missing))


def describe_scripts(chars: str) -> str:
    """'Hebrew letters' for an error about patient data: the kind of character,
    never the characters themselves (together they could spell a name)."""
    kinds: list[str] = []
    for char in chars:
        words = unicodedata.name(char, "").split()
        kind = words[0].capitalize() if words else "unnamed"
        if "EMOJI" in unicodedata.name(char, "") or unicodedata.category(char) == "So":
            kind = "emoji or symbol"
        if kind not in kinds:
            kinds.append(kind)
    return ", ".join(f"{kind} characters" if kind != "emoji or symbol" else kind for kind in kinds[:3])


def describe_characters(chars: str) -> str:
    """'😀' (U+1F600 GRINNING FACE), ... for an error message."""
    parts = []
    for char in chars:
        name = unicodedata.name(char, "unnamed character")
        parts.append(f"'{char}' (U+{ord(char):04X} {name})")
    return ", ".join(parts)
