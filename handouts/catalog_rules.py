"""The rules a translated catalog keeps before any page is printed from it.

Babel's .po reader is forgiving: a string whose closing quote is missing
loses its last character without a word. So the file's syntax is checked
here first, strictly and with line numbers. Then each translation must carry
exactly the placeholders and markup of its source: a translation that drops
%(number)s prints a warning with no phone number in it.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

_QUOTED = r'"(?:[^"\\]|\\[\\"abfnrtv]|\\[0-7]{1,3})*"'
_KEYWORD_LINE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d\])[ \t]+{_QUOTED}[ \t]*$")
_CONTINUATION = re.compile(rf"^[ \t]*{_QUOTED}[ \t]*$")
_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[sdifeEgGxXorc]|%%")
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")


def syntax_problem(text: str) -> str | None:
    """The first thing in a .po file that a strict reader (like msgfmt) would refuse."""
    tokens: list[_Token] = []
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        match = _KEYWORD_LINE.match(stripped)
        if match:
            tokens.append(_Token(number, match.group(1), stripped[len(match.group(1)) :].strip()))
        elif _CONTINUATION.match(stripped) and tokens:
            tokens[-1].text += stripped
        else:
            return f"line {number}: {_describe(stripped)}"
    return _grammar_problem(tokens)


@dataclass
class _Token:
    line: int
    keyword: str
    text: str  # the quoted strings, as written


def _grammar_problem(tokens: list[_Token]) -> str | None:
    """Entries are: [msgctxt] msgid (msgstr | msgid_plural msgstr[0] msgstr[1] ...)."""
    seen: set[tuple[str, str]] = set()
    position = 0

    def take(keyword: str) -> _Token | None:
        nonlocal position
        if position < len(tokens) and tokens[position].keyword == keyword:
            position += 1
            return tokens[position - 1]
        return None

    def found() -> str:
        if position >= len(tokens):
            return "the end of the file"
        return f"{tokens[position].keyword} (line {tokens[position].line})"

    while position < len(tokens):
        context = take("msgctxt")
        msgid = take("msgid")
        if msgid is None:
            return f"expected msgid, found {found()}"
        if take("msgid_plural"):
            forms = 0
            while take(f"msgstr[{forms}]"):
                forms += 1
            if forms == 0:
                return f"line {msgid.line}: expected msgstr[0] after msgid_plural, found {found()}"
        elif take("msgstr") is None:
            return f"line {msgid.line}: expected msgstr after msgid, found {found()}"
        key = (context.text if context else "", msgid.text)
        if key in seen:
            return f"line {msgid.line}: this message is already in the catalog"
        seen.add(key)
    return None


def _describe(line: str) -> str:
    if line.count('"') % 2 == 1:
        return f"a quoted text is not closed: {line[:60]}"
    if not line.endswith('"'):
        return f"something follows the closing quote: {line[:60]}"
    if "\\" in line:
        return f"an unknown backslash escape: {line[:60]}"
    return f"not a msgid, msgstr or quoted text: {line[:60]}"


def placeholders(text: str) -> Counter[str]:
    return Counter(name for name in _PLACEHOLDER.findall(text) if name)


def tags(text: str) -> Counter[str]:
    return Counter(re.sub(r"[\s>].*", "", tag, flags=re.DOTALL).lower() + ">" for tag in _TAG.findall(text))


def translation_problems(source: tuple[str, ...], translation: tuple[str, ...]) -> list[str]:
    """Each translated form must hold every placeholder and tag of the source, and no others."""
    wanted_names = set().union(*(placeholders(text) for text in source))
    wanted_tags = tags(source[-1])
    problems = []
    for form, text in enumerate(translation):
        if not text:
            continue  # an untranslated form is counted as missing, not as broken
        label = f"msgstr[{form}]" if len(translation) > 1 else "msgstr"
        names = set(placeholders(text))
        for name in sorted(wanted_names - names):
            problems.append(f"{label} leaves out %({name})s, so the page would lose it")
        for name in sorted(names - wanted_names):
            problems.append(f"{label} has %({name})s, which the source does not have")
        found_tags = tags(text)
        if found_tags != wanted_tags:
            problems.append(
                f"{label} has markup {_tag_list(found_tags)} where the source has {_tag_list(wanted_tags)}"
            )
    return problems


def _tag_list(counted: Counter[str]) -> str:
    return " ".join(sorted(counted.elements())) or "none"
