"""A translator's catalog that tries to print something the clinic did not
write: one row a trick, each run through the real `render --catalog` command.

Every trick is in the translation of one warning ("At any time ... call
%(number)s now"): hide the number, print another, blank the rest of the
page, or crash the command. Each must be refused before anything is
rendered, with one line naming the catalog's line and what to fix, exit 1,
no traceback and no file. test_bad_input.py's checker judges each row.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_bad_input import AT_ANY_TIME, Case, catalog, swap, translation
from test_bad_input import desk as desk  # the fixture: a ward folder with a good es.po
from test_bad_input import test_bad_input as judge

from handouts.catalogs import catalog_path


def _entry_line() -> str:
    """Where the Spanish "At any time" entry starts in the shipped catalog; errors name it."""
    lines = catalog_path("es").read_text(encoding="utf-8").splitlines()
    found = next(number for number, text in enumerate(lines, 1) if text.startswith('msgid "') and AT_ANY_TIME[:20] in "".join(lines[number - 1 : number + 3]))
    return f"line {found}"


LINE = _entry_line()
NUMBER = "llame al %(number)s ahora"


def trick(name: str, new: str, *words: str) -> Case:
    return catalog(name, translation(AT_ANY_TIME, NUMBER, new), LINE, *words)


def plural_rule(name: str, rule: str, *words: str) -> Case:
    """The header's plural rule replaced: it picks which form of "after 10 days" is printed."""

    def spoil(po: str) -> str:
        line = f'"Plural-Forms: {rule}\\n"'
        spoiled, count = re.subn(r'"Plural-Forms: [^"]*"', lambda _found: line, po, count=1)
        assert count == 1
        return spoiled

    return catalog(name, spoil, "Plural-Forms", *words)


# fmt: off
TRICKS = [
    trick("comment left open blanks the page", "llame al %(number)s <!-- ahora", "an HTML comment (<!--)"),
    trick("number hidden in a comment", "llame al <!-- %(number)s --> 112 ahora", "puts %(number)s where it is not printed"),
    trick("precision prints nothing", "llame al %(number).0s ahora", "writes %(number).0s", "exactly %(number)s"),
    trick("integer conversion crashes", "llame al %(number)d ahora", "writes %(number)d", "exactly %(number)s"),
    trick("width pads the number", "llame al %(number)5s ahora", "writes %(number)5s"),
    catalog("number in an attribute", lambda po: translation(AT_ANY_TIME, "<strong>", '<strong title=\\"%(number)s\\">')(
        translation(AT_ANY_TIME, NUMBER, "llame al 112 ahora")(po)), LINE, "puts %(number)s where it is not printed", "attribute"),
    trick("CDATA section", "llame al %(number)s <![CDATA[ ahora ]]>", "a CDATA section"),
    trick("processing instruction", "llame al %(number)s <?x ahora", "a processing instruction"),
    trick("doctype", "llame al %(number)s <!DOCTYPE html> ahora", "a declaration"),
    trick("stray angle bracket", "llame al %(number)s < ahora", "a < or >", "&lt;"),
    trick("entity not allowed", "llame al %(number)s&nbsp;ahora", "has &nbsp;", "&amp;"),
    trick("lone percent sign", "llame al %(number)s 100% ahora", "has % a,", "no % sign"),
    trick("other conversion", "llame al %(number)s %s ahora", "has %s,", "not a placeholder"),
    trick("right-to-left override", "llame al \u202e%(number)s ahora", "U+202E", "reorder"),
    trick("override as a numeric entity", "llame al &#x202e;%(number)s ahora", "U+202E"),
    trick("straight double quote", 'llame al %(number)s \\" ahora', "double quote"),
]
PLURAL_RULES = [
    plural_rule("plural rule divides by zero", "nplurals=3; plural=(n/0);", "fails for some counts"),
    plural_rule("plural rule picks the singular for 10", "nplurals=3; plural=(n != 1 ? 0 : 1);", "picks form 0 for 0, not 2"),
    plural_rule("plural rule that is not arithmetic", 'nplurals=3; plural=__import__(\\"os\\");', "cannot be read"),
]
CHARSET = [catalog("header names another charset", swap("charset=utf-8", "charset=ISO-8859-1"), "charset=iso-8859-1", "charset=UTF-8")]
CASES = TRICKS + PLURAL_RULES + CHARSET
# fmt: on


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_trick_is_refused_before_rendering(desk: Path, case: Case) -> None:
    judge(desk, case)
