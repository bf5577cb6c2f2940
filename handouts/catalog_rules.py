"""The rules a translated catalog keeps before any page is printed from it.

Babel's .po reader is forgiving: a string whose closing quote is missing
loses its last character without a word. So the file's syntax is checked
here first, strictly and with line numbers. Then each translation must carry
exactly the placeholders and markup of its source: a translation that drops
%(number)s prints a warning with no phone number in it.

A translation is markup on the page (Jinja marks it safe), so the rest of it
must print as plain text: a "<!--" would blank the rest of the page, a
%(number).0s would print an empty phone number, a %(number)d would crash.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

_QUOTED = r'"(?:[^"\\]|\\[\\"abfnrtv]|\\[0-7]{1,3})*"'
_KEYWORD_LINE = re.compile(rf"^(msgctxt|msgid|msgid_plural|msgstr|msgstr\[\d\])[ \t]+{_QUOTED}[ \t]*$")
_CONTINUATION = re.compile(rf"^[ \t]*{_QUOTED}[ \t]*$")


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


# Every count up to 1000, and the round millions that some languages (es, fr, pt) treat apart.
_COUNTS = (*range(1001), *(m * 10**k for k in range(3, 10) for m in (1, 2, 5)))


def plural_rule_problem(written: str, forms: int, expected: str, expected_forms: int) -> str | None:
    """The header's Plural-Forms must pick, for every count, the form the language's CLDR rule picks.

    A wrong rule prints "after 10 day" (or the English text); a rule that
    divides by zero crashes every page with a count on it.
    """
    wanted = f"nplurals={expected_forms}; plural={expected};"
    fix = f'write the header line "Plural-Forms: {wanted}\\n"'
    if forms != expected_forms:
        return f"Plural-Forms has nplurals={forms}, but this language has {expected_forms} forms: {fix}"
    language, header = gettext.c2py(expected), _compiled_rule(written)
    if header is None:
        return f"the Plural-Forms rule '{written[:60]}' cannot be read: {fix}"
    try:
        wrong = next((n for n in _COUNTS if header(n) != language(n)), None)
    except ArithmeticError:
        return f"the Plural-Forms rule '{written[:60]}' fails for some counts: {fix}"
    if wrong is None:
        return None
    return f"the Plural-Forms rule picks form {header(wrong)} for {wrong}, not {language(wrong)}: {fix}"


def _compiled_rule(written: str) -> Callable[[int], int] | None:
    try:  # the standard library's reader refuses anything but n, numbers and operators
        return gettext.c2py(written)
    except (ValueError, RecursionError):
        return None


# Python's % runs on the translation before any HTML parser sees it, so every
# % is read here as Python reads it: a name, flags, width, precision, type.
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d*))?[hlL]?[A-Za-z%]?")
_NAMED = re.compile(r"%\((\w+)\)")
_ENTITY = re.compile(r"&(?:amp|lt|gt|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});")
_ENTITY_AS_WRITTEN = re.compile(r"&[^\s&;<]{0,12};?")
# Embeddings and overrides reorder what follows them: "911" could show as "119".
_REORDERING = frozenset("\u202a\u202b\u202c\u202d\u202e")
# Read from the text itself, not from the parser's events: an unclosed "<!--"
# is data to Python's parser but hides the rest of the page in WeasyPrint's.
_HIDING = re.compile(r"<(!--|!\[CDATA\[|\?|!|/(?![A-Za-z]))")
_HIDDEN = {
    "!--": "an HTML comment (<!--)",
    "![CDATA[": "a CDATA section (<![CDATA[)",
    "?": "a processing instruction (<?)",
    "!": "a declaration (<!...>)",
    "/": "an end tag without a name (</)",
}


def single_number_forms(plural_expr: str, forms: int) -> frozenset[int]:
    """The plural forms that the rule uses for exactly one count (Arabic's zero, one and two).

    Such a form may leave the number out ("مرتين", "twice"), as GNU gettext
    allows: the count is already said by the form itself.
    """
    rule = _compiled_rule(plural_expr)
    if rule is None or forms < 2:
        return frozenset()
    counts: dict[int, set[int]] = {}
    try:
        for n in _COUNTS:
            counts.setdefault(rule(n), set()).add(n)
    except ArithmeticError:
        return frozenset()
    return frozenset(form for form, numbers in counts.items() if len(numbers) == 1)


COUNT = "%(count)s"  # ngettext's number: the one placeholder a single-number form may omit


def translation_problems(
    source: tuple[str, ...], translation: tuple[str, ...], single_forms: frozenset[int] = frozenset()
) -> list[str]:
    """Each translated form prints every placeholder of the source, and has the source's tags.

    The exception: a plural form in single_forms may leave out %(count)s.

    Whatever else it holds must print as text: no comment, no declaration, no
    other tag or attribute, no % but the source's, no entity but &amp; &lt;
    &gt; &quot; and numeric ones, no control or reordering character.
    """
    wanted = {token for text in source for token in _PERCENT.findall(text) if token != "%%"}
    percent_sign = any("%%" in text for text in source)
    wanted_tags = _Markup.of(source[-1]).tags
    problems = []
    for form, text in enumerate(translation):
        if not text:
            continue  # an untranslated form is counted as missing, not as broken
        label = f"msgstr[{form}]" if len(translation) > 1 else "msgstr"
        markup = _Markup.of(text)
        conversions = _percent_problems(text, wanted, percent_sign)
        needed = wanted - {COUNT} if form in single_forms and len(translation) > 1 else wanted
        found = [
            problem for token in sorted(needed) for problem in _unprinted(token, text, markup, conversions)
        ]
        found += [*conversions, *markup.problems, *_character_problems(text)]
        if markup.tags != wanted_tags:
            found.append(f"has markup {_tag_list(markup.tags)} where the source has {_tag_list(wanted_tags)}")
        problems += [f"{label} {problem}" for problem in found]
    return problems


def _unprinted(token: str, text: str, markup: _Markup, conversions: list[str]) -> list[str]:
    if token in markup.printed() or any(f"writes {token[:-1]}" in problem for problem in conversions):
        return []  # printed, or already named as misspelled
    if token in text:
        return [f"puts {token} where it is not printed (in a comment or a tag's attribute)"]
    return [f"leaves out {token}, so the page would lose it"]


def _percent_problems(text: str, wanted: set[str], percent_sign: bool) -> list[str]:
    problems = []
    for token in _PERCENT.findall(text):
        if token in wanted or (token == "%%" and percent_sign):
            continue
        named = _NAMED.match(token)
        same_name = [spelled for spelled in wanted if named and spelled.startswith(named.group(0))]
        if same_name:
            problems.append(f"writes {token}: write the placeholder exactly {same_name[0]}")
        elif named and token == named.group(0) + "s":
            problems.append(f"has {token}, which the source does not have")
        else:
            sign = (
                "write a percent sign as %%"
                if percent_sign
                else "the source has no % sign, so write the word"
            )
            problems.append(f"has {token}, which is not a placeholder of the source ({sign})")
    return problems


def _character_problems(text: str) -> list[str]:
    """Controls and reordering marks, written or as numeric entities."""
    characters = set(text)
    for entity in _ENTITY.findall(text):
        if entity.startswith("&#"):
            number = int(entity[3:-1], 16) if entity[2] in "xX" else int(entity[2:-1])
            characters.add(chr(number) if number < 0x110000 else "\x00")
    bad = sorted(c for c in characters if c in _REORDERING or unicodedata.category(c) in ("Cc", "Cs"))
    return [f"has the invisible character U+{ord(c):04X}, which would hide or reorder text" for c in bad]


def _tag_list(tags: tuple[str, ...]) -> str:
    return " ".join(tags) or "none"


def _recorder(kind: str) -> Callable[..., None]:
    def record(markup: _Markup, *_details: object) -> None:
        markup._event(kind)

    return record


class _Markup(HTMLParser):
    """A translation read as HTML: its tags as written, and the text the page prints."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self._line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._events: list[tuple[str, int]] = []
        self.tags: tuple[str, ...] = ()
        self.problems: list[str] = []

    @classmethod
    def of(cls, text: str) -> _Markup:
        markup = cls(text)
        try:
            markup.feed(text)
            markup.close()
        except AssertionError:  # how html.parser gives up on a malformed "<![" section
            markup.problems.append("has markup that HTML cannot read")
        markup._inspect()
        return markup

    def _event(self, kind: str) -> None:
        line, column = self.getpos()
        self._events.append((kind, self._line_starts[line - 1] + column))

    def _pieces(self) -> list[tuple[str, str]]:
        """Each event with the text it was read from (up to where the next one starts)."""
        if not self._events:
            return []
        ends = [offset for _kind, offset in self._events[1:]] + [len(self.text)]
        return [(kind, self.text[start:end]) for (kind, start), end in zip(self._events, ends, strict=True)]

    def _inspect(self) -> None:
        pieces = self._pieces()
        self.tags = tuple(written for kind, written in pieces if kind == "tag")
        data = "".join(written for kind, written in pieces if kind == "data")
        openings = dict.fromkeys(_HIDING.findall(self.text))
        self.problems += [f"has {_HIDDEN[opening]}, which hides what follows it" for opening in openings]
        if not openings and any(kind == "hidden" for kind, _written in pieces):
            self.problems.append("has markup that HTML reads as a comment, which hides what follows it")
        if not openings and ("<" in data or ">" in data):
            self.problems.append("has a < or > outside the source's tags: write &lt; or &gt;")
        if '"' in data:
            self.problems.append(
                'has a straight double quote ("), which can end an attribute: write “ ” or &quot;'
            )
        for entity in dict.fromkeys(_ENTITY_AS_WRITTEN.findall(_ENTITY.sub("", self.text))):
            self.problems.append(
                f"has {entity}: write & as &amp;; only &amp; &lt; &gt; &quot; &#39; and numbers are allowed"
            )

    def printed(self) -> str:
        return "".join(written for kind, written in self._pieces() if kind in ("data", "entity"))

    # Each of the parser's callbacks only records what kind of thing starts where.
    handle_starttag = handle_startendtag = handle_endtag = _recorder("tag")
    handle_data = _recorder("data")
    handle_entityref = handle_charref = _recorder("entity")
    handle_comment = handle_decl = unknown_decl = handle_pi = _recorder("hidden")
