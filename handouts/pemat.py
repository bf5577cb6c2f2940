"""The PEMAT-P items a machine can check on a handout's HTML.

AHRQ's Patient Education Materials Assessment Tool (printable) is scored by
people; a few of its items are about structure, which the page's own markup
shows: a summary first, informative headers, steps as lists or tables, a tool
the reader can use, and no calculation asked of the reader. `handouts check`
prints these beside the reading level, so that an edit that drops one is seen
before a reviewer has to find it. The other items still need a person.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from xml.etree.ElementTree import Element

import tinyhtml5

_XHTML = "{http://www.w3.org/1999/xhtml}"
_WORD = re.compile(r"\w+")
# Asking the reader to do arithmetic (PEMAT-P items 7 and 24): the verbs that ask for it, and percentages.
_CALCULATION = re.compile(
    r"\b(calculate|work out|add up|divide|multiply|subtract|convert)\b|\d\s*%", re.IGNORECASE
)
# Words of body text under one heading before the reader loses the thread (PEMAT-P item 8, "short sections").
MAX_WORDS_PER_SECTION = 200
MIN_HEADINGS = 3

SUMMARY = "a summary first"
HEADERS = "short sections with headers"
LISTS = "lists or tables for steps"
TOOL = "a tool the reader can use"
NO_CALCULATION = "no calculation asked of the reader"
ITEM_NAMES = (SUMMARY, HEADERS, LISTS, TOOL, NO_CALCULATION)


@dataclass(frozen=True)
class PematItem:
    name: str
    met: bool
    why: str  # what was found, or what is missing


def _tag(element: Element) -> str:
    return element.tag.removeprefix(_XHTML) if isinstance(element.tag, str) else ""


def _classes(element: Element) -> set[str]:
    return set((element.get("class") or "").split())


def _text(element: Element) -> str:
    # Pieces joined with spaces: a heading's last word and the next paragraph's first stay two words.
    return " ".join(" ".join(element.itertext()).split())


def _descendants(element: Element, tag: str) -> Iterator[Element]:
    return (found for found in element.iter() if _tag(found) == tag)


def _main(html: str) -> Element:
    root = tinyhtml5.parse(html)
    return next(_descendants(root, "main"), root)


def summary_first(main: Element) -> PematItem:
    children = [child for child in main if _tag(child) not in ("", "script")]
    after_title = children[1] if len(children) > 1 and _tag(children[0]) == "h1" else None
    points = len(list(_descendants(after_title, "li"))) if after_title is not None else 0
    met = after_title is not None and "key-points" in _classes(after_title) and points >= 2
    why = f"key points first, {points} of them" if met else "no key points right after the title"
    return PematItem(SUMMARY, met, why)


def informative_headers(main: Element) -> PematItem:
    """Sections with a heading: h2 and h3, and whatever labels a section (a warning level's word)."""
    labels = {element.get("aria-labelledby") for element in main.iter() if _tag(element) == "section"}
    headings = 0
    longest = 0
    words = 0
    for element in main.iter():
        tag = _tag(element)
        if tag in ("h2", "h3") or (element.get("id") and element.get("id") in labels):
            headings += tag != "h3"
            longest, words = max(longest, words), 0
        elif tag in ("p", "li", "td", "th"):
            words += len(_WORD.findall(element.text or "")) + sum(
                len(_WORD.findall(child.tail or "")) for child in element
            )
    longest = max(longest, words)
    met = headings >= MIN_HEADINGS and longest <= MAX_WORDS_PER_SECTION
    why = f"{headings} headings, at most {longest} words under one"
    return PematItem(HEADERS, met, why)


def lists_for_steps(main: Element) -> PematItem:
    lists = [found for tag in ("ul", "ol") for found in _descendants(main, tag) if len(list(found)) >= 2]
    tables = list(_descendants(main, "table"))
    met = bool(lists or tables)
    return PematItem(LISTS, met, f"{len(lists)} lists, {len(tables)} tables")


def tool_present(main: Element) -> PematItem:
    """Something the reader fills in or follows: a table with cells to write in, lines to
    write on, boxes to tick, or an action plan (levels, each with its own action)."""
    found: list[str] = []
    for table in _descendants(main, "table"):
        cells = list(_descendants(table, "td"))
        if cells and sum(1 for cell in cells if not _text(cell)) >= len(cells) // 2:
            found.append("a table to fill in")
    if any("write-line" in _classes(element) for element in main.iter()):
        found.append("lines to write on")
    if any("box" in _classes(element) for element in main.iter()):
        found.append("boxes to tick")
    levels = [
        element
        for element in main.iter()
        if "level" in _classes(element) and any("level-action" in _classes(child) for child in element.iter())
    ]
    if len(levels) >= 2:
        found.append(f"an action plan of {len(levels)} levels")
    found = list(dict.fromkeys(found))
    return PematItem(TOOL, bool(found), ", ".join(found) or "none found")


def no_calculation(main: Element) -> PematItem:
    asked = _CALCULATION.search(_text(main))
    why = "none asked" if asked is None else f"asks: '{asked.group(0)}'"
    return PematItem(NO_CALCULATION, asked is None, why)


def pemat_items(html: str) -> tuple[PematItem, ...]:
    main = _main(html)
    return (
        summary_first(main),
        informative_headers(main),
        lists_for_steps(main),
        tool_present(main),
        no_calculation(main),
    )
